/**
 * One run: build the env and the agent through the registries, train (learned agents) while logging the
 * learning curve, evaluate on a fresh env with the run's evaluation seed, save the checkpoint, and write
 * the record atomically. A failing run is recorded with its error instead of an evaluation.
 * With `validation` in the config, training also evaluates on validation episodes (EvalCallback with a
 * best-model folder); the best model is then loaded, evaluated on the evaluation seed and saved as the
 * run's checkpoint, and `validation.json` records every validation score and the one selected.
 */
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { make } from '../../envs/index.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { listAgents, makeAgent, type Agent, type Callback } from '../../agents/index.js';
import { currentBackend, initBackend } from '../../agents/core/backend.js';
import { SchedlabError } from '../../core/errors.js';
import { EvalCallback } from '../../agents/core/callbacks.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { writeFileAtomic, writeJsonAtomic } from '../records/atomic.js';
import { runFiles } from '../records/layout.js';
import { commitRunDir, stageRunDir } from '../records/run-dir.js';
import type { RunSpec } from '../sweep/expand.js';

export interface RunOutcome {
  id: string;
  ok: boolean;
  error?: string;
}

/** Logged keys that measure speed, not results: they go to timing.json, never into the curve. */
const isTimingKey = (k: string) => k === 'SPS' || k === 'fps' || k === 'time' || k.startsWith('time/') || k.startsWith('time_');

export async function executeRun(run: RunSpec, resultsDir: string): Promise<RunOutcome> {
  const staged = stageRunDir(resultsDir, run.id);
  writeJsonAtomic(join(staged, runFiles.run), run);
  const started = Date.now();
  const timing: Record<string, unknown> = { host: hostname(), pid: process.pid, startedAt: new Date(started).toISOString() };
  let outcome: RunOutcome;
  let agent: Agent | undefined;
  try {
    const { env: envConfig, agent: agentConfig } = run.config;
    const env = make(envConfig.id, envConfig.options);
    // A learned agent builds tensors as it is made: choose the backend first (the one the manifest records),
    // quietly, so the workers do not print tfjs banners over the progress bar.
    if (!currentBackend() && listAgents().some((a) => a.name === agentConfig.name && a.kind === 'learned')) await initBackend('auto', null);
    agent = makeAgent(agentConfig.name, env, agentConfig.options, { seed: run.seed, envId: envConfig.id });
    const curve: Record<string, number>[] = [];
    const speeds: number[] = [];
    const logger: Callback = {
      onRolloutEnd: ({ steps, episodes, metrics }) => {
        const row: Record<string, number> = { steps, episodes };
        for (const [k, v] of Object.entries(metrics)) {
          if (k === 'SPS') speeds.push(v);
          if (isTimingKey(k)) continue;
          row[k] = v;
        }
        curve.push(row);
      },
    };
    const validation = run.config.validation && run.config.totalSteps > 0 ? run.config.validation : undefined;
    const bestDir = join(staged, 'validation-best');
    const validationEnv = validation ? make(envConfig.id, envConfig.options) : undefined;
    const selector = validation
      ? new EvalCallback(validationEnv!, { everySteps: validation.everySteps, episodes: validation.episodes, seed: run.seed + validation.seedOffset, deterministic: run.config.evaluation.deterministic, bestModelDir: bestDir })
      : undefined;
    // The selector runs before the logger, so the curve carries eval/mean_reward at the iterations it validated.
    const callbacks: Callback[] = selector ? [selector, logger] : [logger];
    const t0 = Date.now();
    if (run.config.totalSteps > 0) {
      // An agent that trains on several envs at once says so with a `numEnvs` option (as `schedlab train`).
      const numEnvs = Number((agent.options as { numEnvs?: unknown }).numEnvs ?? 1);
      if (Number.isInteger(numEnvs) && numEnvs > 1) {
        const vec = makeVec(envConfig.id, numEnvs, { options: envConfig.options, autoresetMode: 'same-step' });
        try {
          await agent.learn(vec as never, { totalSteps: run.config.totalSteps, callbacks });
        } finally {
          await vec.close();
        }
      } else {
        env.reset({ seed: run.seed });
        await agent.learn(env, { totalSteps: run.config.totalSteps, callbacks });
      }
    }
    env.close();
    validationEnv?.close();
    if (selector?.best) {
      await agent.load(bestDir);
      rmSync(bestDir, { recursive: true, force: true });
      writeJsonAtomic(join(staged, runFiles.validation), {
        ...validation,
        seed: run.seed + validation!.seedOffset,
        deterministic: run.config.evaluation.deterministic,
        evaluations: selector.results.map((r) => ({ steps: r.steps, meanReturn: r.result.metrics.return.mean })),
        selected: selector.best,
      });
    }
    const t1 = Date.now();
    const evalEnv = make(envConfig.id, envConfig.options);
    const evaluation = evaluate(evalEnv, agent, { episodes: run.config.evaluation.episodes, seed: run.evalSeed, deterministic: run.config.evaluation.deterministic });
    evalEnv.close();
    const t2 = Date.now();
    await agent.save(join(staged, runFiles.checkpoint));
    writeFileAtomic(join(staged, runFiles.curve), curveCsv(curve));
    writeJsonAtomic(join(staged, runFiles.evaluation), evaluation);
    Object.assign(timing, { learnSeconds: (t1 - t0) / 1000, evaluateSeconds: (t2 - t1) / 1000, ...(speeds.length ? { meanSPS: speeds.reduce((a, b) => a + b, 0) / speeds.length } : {}) });
    outcome = { id: run.id, ok: true };
  } catch (e) {
    const err = e as Error;
    const message = err instanceof SchedlabError ? err.message : `${err.name}: ${err.message}`;
    writeJsonAtomic(join(staged, runFiles.error), { message, ...(err instanceof SchedlabError ? {} : { stack: err.stack }) });
    outcome = { id: run.id, ok: false, error: message };
  } finally {
    agent?.dispose?.();
  }
  timing.wallSeconds = (Date.now() - started) / 1000;
  writeJsonAtomic(join(staged, runFiles.timing), timing);
  commitRunDir(resultsDir, run.id, staged);
  return outcome;
}

/** The curve as CSV: steps, episodes, then the logged metrics in name order (rows may lack some). */
export function curveCsv(rows: Record<string, number>[]): string {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'steps' && k !== 'episodes').sort();
  const columns = ['steps', 'episodes', ...metrics];
  return stringify(rows.map((r) => columns.map((c) => (r[c] === undefined ? '' : r[c]))), { header: true, columns });
}
