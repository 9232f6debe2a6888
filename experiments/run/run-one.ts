/**
 * One run, as `schedlab train` and the experiment runner both do it: build the env and the agent through
 * the registries; train a learned agent (on `makeVec(id, n, {autoresetMode: 'same-step'})`, n being the
 * sub-envs its registration declares through `vectorEnvs`) while collecting the learning curve; with
 * `validation`, keep the model with the best validation return and bring it back; save the checkpoint;
 * then evaluate on a fresh env with the evaluation seed. The checkpoint is saved before the evaluation,
 * and evaluation draws any sampled action from a generator derived from its own seed, so
 * `schedlab evaluate --checkpoint` replays a recorded evaluation exactly, greedy or sampled.
 *
 * `resume: true` continues a run from the checkpoint in `checkpoint.dir`: the agent is loaded from it and
 * trains the steps the checkpoint has not done yet; with validation, the selector takes up the earlier
 * validations (`validation.history`) and the best model still in `validation.bestDir`.
 */
import { rmSync } from 'node:fs';
import { currentBackend, initBackend, type BackendInfo, type BackendOption } from '../../agents/core/backend.js';
import { CheckpointCallback, EvalCallback } from '../../agents/core/callbacks.js';
import { readCheckpointMeta } from '../../agents/core/checkpoint.js';
import { evaluate, type EvaluationResult } from '../../agents/core/evaluation.js';
import { LearnedAgent } from '../../agents/core/learned-agent.js';
import type { TrainingLogger } from '../../agents/core/logger.js';
import { NonFiniteLossError } from '../../agents/core/training-errors.js';
import { agentEntry, listAgents, type Agent, type Callback, type LearnResult } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';

export interface RunOneSpec {
  env: { id: string; options: Record<string, unknown> };
  agent: { name: string; options: Record<string, unknown> };
  /** Seed of the agent (weights, sampling) and of the training envs' resets. */
  seed: number;
  /** Env steps to train for, in all (0: no training, e.g. heuristics). */
  totalSteps: number;
  /** The final evaluation; absent: none. */
  evaluation?: { episodes: number; seed: number; deterministic: boolean };
  /** Model selection (SB3's EvalCallback with best_model_save_path), the best model kept in `bestDir`. */
  validation?: {
    everySteps: number;
    episodes: number;
    seed: number;
    deterministic: boolean;
    bestDir: string;
    /** Laid over the env's options for the validation episodes only. */
    envOptions?: Record<string, unknown>;
    /**
     * With `resume`: the validations the interrupted attempt made (those after the checkpoint's step are
     * dropped); its best model must still be in `bestDir`.
     */
    history?: { steps: number; result: EvaluationResult }[];
    /** Told each validation as it is made, after the best model is saved (e.g. to keep a resumable history). */
    onResult?: (steps: number, result: EvaluationResult) => void;
  };
  /** Where the agent is saved after training (and, with `everySteps`, every that many steps during it). */
  checkpoint: { dir: string; everySteps?: number };
  /** Continue from the checkpoint in `checkpoint.dir` instead of starting afresh. */
  resume?: boolean;
  /** TensorFlow.js backend for learned agents (default 'auto'); `announce` logs the choice. */
  backend?: { option: BackendOption; announce: boolean };
  /**
   * Makes the learned agent's progress logger (progress.csv / progress.jsonl), called once the agent is
   * built (and loaded, when resuming); only learned agents have one.
   */
  logger?: () => TrainingLogger;
  /** More callbacks, after the run's own (e.g. an interrupt that stops training). */
  callbacks?: Callback[];
  /** Told each curve row as it is logged (e.g. to keep the curve of a run that may be interrupted). */
  onCurveRow?: (row: Record<string, number>) => void;
}

export interface RunOneRecord {
  /** The agent's options after defaults. */
  agentOptions: Record<string, unknown>;
  kind: 'heuristic' | 'learned';
  backend?: BackendInfo;
  /** The training's outcome (absent without training); `steps` counts this call's steps only. */
  learned?: LearnResult;
  /** The step the run resumed from (resume only). */
  resumedFrom?: number;
  /** One row per logged iteration: steps, episodes and the logged metrics, timing keys left out. */
  curve: Record<string, number>[];
  /** Mean of the logged steps-per-second (timing, not a result). */
  meanSPS?: number;
  /** With validation: every validation score and the model selected. */
  validation?: { evaluations: { steps: number; meanReturn: number }[]; selected: { steps: number; meanReturn: number } };
  evaluation?: EvaluationResult;
  /** The learned agent's own timings (seconds in env steps, inference and updates). */
  timings?: Record<string, number>;
  learnSeconds: number;
  evaluateSeconds: number;
}

/** Logged keys that measure speed, not results: they go to timing records, never into the curve. */
export const isTimingKey = (k: string) => k === 'SPS' || k === 'fps' || k === 'time' || k.startsWith('time/') || k.startsWith('time_');

export async function runOne(spec: RunOneSpec): Promise<RunOneRecord> {
  const { env: envConfig, agent: agentConfig } = spec;
  const env = make(envConfig.id, envConfig.options);
  let agent: Agent | undefined;
  try {
    const entry = agentEntry(agentConfig.name, env, { seed: spec.seed, envId: envConfig.id });
    // A learned agent builds tensors as it is made: choose the backend first (the one records name).
    let backend: BackendInfo | undefined;
    if (entry.kind === 'learned') {
      const { option, announce } = spec.backend ?? { option: 'auto', announce: false };
      backend = announce || !currentBackend() ? await initBackend(option, announce ? undefined : null) : currentBackend();
    }
    agent = entry.create(env, agentConfig.options, { seed: spec.seed, envId: envConfig.id });
    if (spec.logger) {
      if (!(agent instanceof LearnedAgent)) {
        const learnedNames = [
          ...new Set(
            listAgents()
              .filter((a) => a.kind === 'learned')
              .map((a) => a.name),
          ),
        ];
        throw new SchedlabError(`agent '${agentConfig.name}' is not a learned agent; the learned agents are ${learnedNames.join(', ')}`);
      }
    }
    let done = 0;
    if (spec.resume) {
      done = (await readCheckpointMeta(spec.checkpoint.dir)).counters.globalStep ?? 0;
      await agent.load(spec.checkpoint.dir);
    }
    if (spec.logger && agent instanceof LearnedAgent) agent.logger = spec.logger();

    const curve: Record<string, number>[] = [];
    const speeds: number[] = [];
    const curveLogger: Callback = {
      onRolloutEnd: ({ steps, episodes, metrics }) => {
        const row: Record<string, number> = { steps, episodes };
        for (const [k, v] of Object.entries(metrics)) {
          if (k === 'SPS') speeds.push(v);
          if (isTimingKey(k)) continue;
          row[k] = v;
        }
        curve.push(row);
        spec.onCurveRow?.(row);
      },
    };
    const validation = spec.validation && spec.totalSteps > 0 ? spec.validation : undefined;
    const validationEnv = validation ? make(envConfig.id, { ...envConfig.options, ...validation.envOptions }) : undefined;
    const selector = validation
      ? new EvalCallback(validationEnv!, {
          everySteps: validation.everySteps,
          episodes: validation.episodes,
          seed: validation.seed,
          deterministic: validation.deterministic,
          bestModelDir: validation.bestDir,
          ...(validation.onResult ? { onResult: validation.onResult } : {}),
        })
      : undefined;
    if (selector && spec.resume) selector.restore(validation!.history ?? [], done);
    const checkpoints = spec.checkpoint.everySteps ? new CheckpointCallback(spec.checkpoint.dir, spec.checkpoint.everySteps) : undefined;
    // The selector runs before the curve logger, so the curve carries eval/mean_reward at the iterations it validated.
    const callbacks: Callback[] = [
      ...(selector ? [selector] : []),
      curveLogger,
      ...(checkpoints ? [checkpoints] : []),
      ...(spec.callbacks ?? []),
    ];

    const t0 = Date.now();
    let learned: LearnResult | undefined;
    const remaining = spec.totalSteps - done;
    if (remaining > 0) {
      const vec = makeVec(envConfig.id, entry.vectorEnvs?.(agent.options) ?? 1, { options: envConfig.options, autoresetMode: 'same-step' });
      try {
        learned = await agent.learn(vec, { totalSteps: remaining, callbacks });
      } catch (e) {
        if (e instanceof NonFiniteLossError && checkpoints) {
          const kept =
            checkpoints.lastSaved !== undefined
              ? `the last good checkpoint (step ${checkpoints.lastSaved}) is in ${spec.checkpoint.dir}`
              : 'no checkpoint was saved before it';
          throw new SchedlabError(`${e.message}; ${kept}`);
        }
        throw e;
      } finally {
        await vec.close();
      }
    }
    validationEnv?.close();
    let selected: RunOneRecord['validation'];
    if (selector?.best) {
      await agent.load(validation!.bestDir);
      rmSync(validation!.bestDir, { recursive: true, force: true });
      selected = {
        evaluations: selector.results.map((r) => ({ steps: r.steps, meanReturn: r.result.metrics.return.mean })),
        selected: selector.best,
      };
    }
    // The checkpoint first: the evaluation below never changes the agent, so it replays from this checkpoint.
    const finalStep = learned ? (checkpoints?.lastSaved ?? -1) : -1;
    if (!(checkpoints && learned && !selected && finalStep === done + learned.steps)) await agent.save(spec.checkpoint.dir);
    const t1 = Date.now();
    let evaluation: EvaluationResult | undefined;
    if (spec.evaluation && spec.evaluation.episodes > 0) {
      const evalEnv = make(envConfig.id, envConfig.options);
      try {
        evaluation = evaluate(evalEnv, agent, spec.evaluation);
      } finally {
        evalEnv.close();
      }
    }
    const t2 = Date.now();
    return {
      agentOptions: agent.options,
      kind: entry.kind,
      ...(backend ? { backend } : {}),
      ...(learned ? { learned } : {}),
      ...(spec.resume ? { resumedFrom: done } : {}),
      curve,
      ...(speeds.length ? { meanSPS: speeds.reduce((a, b) => a + b, 0) / speeds.length } : {}),
      ...(selected ? { validation: selected } : {}),
      ...(evaluation ? { evaluation } : {}),
      ...(agent instanceof LearnedAgent ? { timings: { ...agent.timings } } : {}),
      learnSeconds: (t1 - t0) / 1000,
      evaluateSeconds: (t2 - t1) / 1000,
    };
  } finally {
    env.close();
    agent?.dispose?.();
  }
}

/**
 * Evaluates the agent saved in `checkpointDir` as `runOne` evaluates a run's agent: built through the
 * registry with the run's seed, loaded, and played on a fresh env with the evaluation seed. Nothing is
 * written; `schedlab evaluate --checkpoint` gives the same figures.
 */
export async function evaluateCheckpoint(
  spec: Pick<RunOneSpec, 'env' | 'agent' | 'seed'> & {
    checkpointDir: string;
    evaluation: { episodes: number; seed: number; deterministic: boolean };
  },
): Promise<EvaluationResult> {
  const env = make(spec.env.id, spec.env.options);
  let agent: Agent | undefined;
  try {
    const ctx = { seed: spec.seed, envId: spec.env.id };
    const entry = agentEntry(spec.agent.name, env, ctx);
    if (entry.kind === 'learned' && !currentBackend()) await initBackend('auto', null);
    agent = entry.create(env, spec.agent.options, ctx);
    await agent.load(spec.checkpointDir);
    return evaluate(env, agent, spec.evaluation);
  } finally {
    env.close();
    agent?.dispose?.();
  }
}
