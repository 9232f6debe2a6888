/**
 * The one run pipeline (`runOne`) behind `schedlab run` and `schedlab train`: a recorded evaluation,
 * greedy or sampled, replays exactly from the run's checkpoint with `schedlab evaluate --checkpoint`;
 * `--reevaluate` rewrites evaluation.json only; both commands train the same agent the same way; agent
 * options are checked when the experiment is loaded; claims keep concurrent processes apart.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { isFinished } from '../../experiments/records/run-dir.js';
import { executeRun } from '../../experiments/run/execute.js';
import { reevaluateRuns } from '../../experiments/run/reevaluate.js';
import { initResultsDir, planSweep, runSweep } from '../../experiments/run/sweep.js';
import { writeTables } from '../../experiments/tables/write.js';
import { captureStdout, evaluateCli, train } from '../cli-handlers.js';
import { runEntries, tempDir, writeExperiment } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const quiet = { workers: 0, progress: false } as const;
const ppo = (deterministic: boolean, options: Record<string, unknown> = {}) => ({
  name: 'ppo',
  label: deterministic ? 'greedy' : 'sampled',
  totalSteps: 512,
  deterministic,
  options: { numEnvs: 2, numSteps: 64, ...options },
});

interface Evaluation {
  episodes: number;
  seed: number;
  metrics: Record<string, { values: number[] }>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('one run pipeline', () => {
  it('schedlab evaluate --checkpoint replays every recorded evaluation exactly, greedy or sampled; --reevaluate keeps them and every other file', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      seeds: [4],
      evaluation: { episodes: 3, seedOffset: 1000 },
      tasks: [{ label: 'cartpole', env: 'CartPole-v1', agents: [ppo(true), ppo(false)] }],
    });
    const results = join(dir, 'results');
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    expect(summary.outcomes.map((o) => o.ok)).toEqual([true, true]);
    const recorded: Record<string, Evaluation> = {};
    for (const run of summary.runs) {
      const runDir = join(results, 'runs', run.id);
      const evaluation = readJson<Evaluation>(join(runDir, 'evaluation.json'));
      recorded[run.id] = evaluation;
      expect(evaluation.seed).toBe(1004);
      const out = captureStdout();
      await evaluateCli({
        env: 'CartPole-v1',
        agent: 'ppo',
        episodes: 3,
        seed: run.evalSeed,
        json: true,
        stochastic: !run.config.evaluation.deterministic,
        checkpoint: join(runDir, 'checkpoint'),
      });
      vi.restoreAllMocks();
      const replay = JSON.parse(out.text()) as Evaluation & { deterministic: boolean };
      expect(replay.deterministic).toBe(run.config.evaluation.deterministic);
      expect(Object.keys(replay.metrics)).toEqual(Object.keys(evaluation.metrics));
      for (const [name, m] of Object.entries(evaluation.metrics))
        expect(replay.metrics[name].values, `${run.agent} ${name}`).toEqual(m.values);
    }
    // The sampled evaluation is not the greedy one (same weights would be a coincidence; different seeds make it so).
    const [greedy, sampled] = summary.runs.map((r) => recorded[r.id].metrics.return.values);
    expect(sampled).not.toEqual(greedy);

    // Re-evaluation from the checkpoints rewrites evaluation.json with the same figures and keeps every other file.
    const snapshot = (id: string) =>
      readdirSync(join(results, 'runs', id), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort()
        .map((f) => `${f}:${f.endsWith('evaluation.json') ? '' : readFileSync(f).toString('base64')}`)
        .join('\n');
    const before = summary.runs.map((r) => snapshot(r.id));
    // Dated back an hour, so that "rewritten" needs no waiting for the clock to move.
    const evaluationFile = join(results, 'runs', summary.runs[1].id, 'evaluation.json');
    const hourAgo = new Date(statSync(evaluationFile).mtimeMs - 3_600_000);
    utimesSync(evaluationFile, hourAgo, hourAgo);
    const mtime = statSync(evaluationFile).mtimeMs;
    const { done, skipped } = await reevaluateRuns(planSweep(file, { resultsDir: results }), { agents: ['sampled'] });
    expect(skipped).toEqual([]);
    expect(done.map((d) => d.run.agent)).toEqual(['sampled']);
    expect(done[0].after).toEqual(recorded[summary.runs[1].id]);
    expect(statSync(evaluationFile).mtimeMs).toBeGreaterThan(mtime);
    expect(summary.runs.map((r) => snapshot(r.id))).toEqual(before);
    expect(runEntries(results)).toEqual(summary.runs.map((r) => r.id).sort());
    await expect(reevaluateRuns(planSweep(file, { resultsDir: results }), { agents: ['PPO'] })).rejects.toThrow(
      /--agents: no agent labelled 'PPO'.*'greedy', 'sampled'/,
    );
  }, 120_000);

  it('schedlab train and the experiment runner train the same agent the same way (numEnvs 1 and 2)', async () => {
    for (const numEnvs of [1, 2]) {
      const dir = tempDir();
      const options = { numEnvs, numSteps: 64 };
      const file = writeExperiment(dir, {
        seeds: [3],
        tasks: [{ label: 'cartpole', env: 'CartPole-v1', agents: [{ name: 'ppo', totalSteps: 512, options }] }],
      });
      const summary = await runSweep(file, { ...quiet, resultsDir: join(dir, 'results') });
      const runDir = join(dir, 'results', 'runs', summary.runs[0].id);
      captureStdout();
      const out = join(dir, 'train');
      await train({
        env: 'CartPole-v1',
        agent: 'ppo',
        'agent-options': JSON.stringify(options),
        steps: 512,
        seed: 3,
        out,
        backend: 'auto',
        'eval-episodes': 2,
        quiet: true,
      });
      vi.restoreAllMocks();
      // The weights file is named by the hash of its bytes: same name, same weights and optimiser state.
      const weights = (d: string) => readdirSync(d).filter((f) => f.startsWith('weights-'));
      expect(weights(join(out, 'checkpoint'))).toEqual(weights(join(runDir, 'checkpoint')));
      const counters = (d: string) => readJson<{ counters: unknown; rng: unknown }>(join(d, 'checkpoint.json'));
      expect(counters(join(out, 'checkpoint')).counters).toEqual(counters(join(runDir, 'checkpoint')).counters);
      expect(counters(join(out, 'checkpoint')).rng).toEqual(counters(join(runDir, 'checkpoint')).rng);
      // The curves agree on every result column (train logs CleanRL's names, the runner's curve keeps them).
      const curve = readFileSync(join(runDir, 'curve.csv'), 'utf8').trim().split('\n');
      const progress = readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n');
      expect(progress.length).toBe(curve.length);
      const col = (lines: string[], name: string) => {
        const i = lines[0].split(',').indexOf(name);
        return lines.slice(1).map((l) => l.split(',')[i]);
      };
      for (const name of ['value_loss', 'policy_loss', 'approx_kl', 'episodic_return'])
        expect(col(progress, name), name).toEqual(col(curve, name));
    }
  }, 120_000);

  it.each([
    ['', {}],
    [', model selection included', { validation: { everySteps: 384, episodes: 2, seedOffset: 20000 } }],
  ])(
    'a learned run killed half-way resumes from its last checkpoint in runs/.partial-<id> and ends with the record of a run never interrupted%s',
    async (_name, extra) => {
      const dir = tempDir();
      const agent = { ...ppo(true), totalSteps: 1280, options: { numEnvs: 2, numSteps: 64 }, ...extra };
      const file = writeExperiment(dir, { seeds: [3], tasks: [{ label: 'cartpole', env: 'CartPole-v1', agents: [agent] }] });
      const clean = join(dir, 'clean');
      await runSweep(file, { ...quiet, resultsDir: clean });

      // The interrupted attempt: training stops with an error after step 896 (7 of 10 rollouts), as a crash would.
      const crashed = join(dir, 'crashed');
      const plan = planSweep(file, { resultsDir: crashed });
      await initResultsDir(plan);
      const [run] = plan.runs;
      const crash = {
        onRolloutEnd: ({ steps }: { steps: number }) => {
          if (steps >= 896) throw new Error('simulated crash');
        },
      };
      expect((await executeRun(run, crashed, { callbacks: [crash as never] })).ok).toBe(false);
      const partial = join(crashed, 'runs', `.partial-${run.id}`);
      const saved = readJson<{ counters: { globalStep: number } }>(join(partial, 'checkpoint', 'checkpoint.json')).counters.globalStep;
      expect(saved).toBeGreaterThan(0);
      expect(saved).toBeLessThan(1280);

      // Run again: it resumes at that checkpoint and ends where the clean run ended, file for file.
      const resumed = await runSweep(file, { ...quiet, resultsDir: crashed });
      expect(resumed.outcomes.map((o) => o.ok)).toEqual([true]);
      expect(existsSync(partial)).toBe(false);
      expect(readJson<{ resumedFrom?: number }>(join(crashed, 'runs', run.id, 'timing.json')).resumedFrom).toBe(saved);
      expect(readJson<{ resumedFrom?: number }>(join(clean, 'runs', run.id, 'timing.json')).resumedFrom).toBeUndefined();
      const files = (root: string) => {
        const runDir = join(root, 'runs', run.id);
        const ckpt = join(runDir, 'checkpoint');
        return [
          readFileSync(join(runDir, 'evaluation.json'), 'utf8'),
          readFileSync(join(runDir, 'curve.csv'), 'utf8'),
          existsSync(join(runDir, 'validation.json')) ? readFileSync(join(runDir, 'validation.json'), 'utf8') : 'no validation',
          ...readdirSync(ckpt)
            .sort()
            .map((f) => `${f}:${readFileSync(join(ckpt, f)).toString('base64')}`),
        ];
      };
      expect(files(crashed)).toEqual(files(clean));
      if ('validation' in extra) {
        // The validations before the crash were taken up, not made again: the resumed attempt added only the later ones.
        const selection = readJson<{ evaluations: { steps: number }[] }>(join(crashed, 'runs', run.id, 'validation.json'));
        expect(selection.evaluations.map((e) => e.steps)).toEqual([384, 768, 1152, 1280]);
      }
    },
  );

  it('a misspelt or impossible agent option fails when the experiment is loaded, before anything is written', async () => {
    const dir = tempDir();
    const misspelt = writeExperiment(
      dir,
      {
        tasks: [
          { label: 'cartpole', env: 'CartPole-v1', agents: ['random', { name: 'ppo', totalSteps: 512, options: { learningRat: 0.1 } }] },
        ],
      },
      'a.yaml',
    );
    const results = join(dir, 'r');
    await expect(runSweep(misspelt, { ...quiet, resultsDir: results })).rejects.toThrow(
      /agent\.options of task 'cartpole', agent 'ppo'.*ppo: option 'learningRat' is not an option; accepted: one of learningRate/,
    );
    expect(existsSync(results)).toBe(false);
    const impossible = writeExperiment(
      dir,
      {
        tasks: [
          {
            label: 'cartpole',
            env: 'CartPole-v1',
            agents: [{ name: 'ppo', totalSteps: 512, options: { numEnvs: 3, numSteps: 5, numMinibatches: 4 } }],
          },
        ],
      },
      'b.yaml',
    );
    await expect(runSweep(impossible, { ...quiet, resultsDir: results })).rejects.toThrow(/numMinibatches/);
    expect(existsSync(results)).toBe(false);
  });

  it('evaluate refuses a learned agent without --checkpoint unless --untrained', async () => {
    captureStdout();
    const args = { env: 'CartPole-v1', agent: 'ppo', episodes: 1, seed: 0, json: true };
    await expect(evaluateCli(args)).rejects.toThrow(
      /agent 'ppo' is learned: evaluate a trained one with --checkpoint DIR.*or pass --untrained/,
    );
    await expect(evaluateCli({ ...args, untrained: true })).resolves.toBeUndefined();
    await expect(evaluateCli({ ...args, agent: 'random' })).resolves.toBeUndefined();
  });
});

describe('claims: several schedlab run processes on one results folder', () => {
  /** A pid that was alive a moment ago and is not any more. */
  const deadPid = async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    return child.pid!;
  };

  it("takes over a dead process's claim and removes only its temporary folder", async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { seeds: [0] });
    const results = join(dir, 'results');
    const [run] = planSweep(file, { resultsDir: results }).runs;
    const pid = await deadPid();
    mkdirSync(join(results, 'runs', `.tmp-${run.id}-${pid}-deadbeef`), { recursive: true });
    writeFileSync(join(results, 'runs', `.claim-${run.id}`), JSON.stringify({ pid, host: hostname(), startedAt: 'then' }));
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    expect(summary.outcomes).toEqual([{ id: run.id, ok: true }]);
    expect(runEntries(results)).toEqual([run.id]);
  });

  it("takes over another host's claim once its heartbeat stopped ten minutes ago", async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { seeds: [0] });
    const results = join(dir, 'results');
    const [run] = planSweep(file, { resultsDir: results }).runs;
    const claim = join(results, 'runs', `.claim-${run.id}`);
    mkdirSync(join(results, 'runs'), { recursive: true });
    writeFileSync(claim, JSON.stringify({ pid: 1, host: 'another-node', startedAt: 'then' }));
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(claim, old, old);
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    expect(summary.outcomes).toEqual([{ id: run.id, ok: true }]);
    expect(runEntries(results)).toEqual([run.id]);
  });

  it('waits for a run a live process holds, and takes it over when that process dies', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { seeds: [0, 1] });
    const results = join(dir, 'results');
    const runs = planSweep(file, { resultsDir: results }).runs;
    // A live process "running" runs[0], with a temporary folder of its own that must survive while it lives;
    // it lives until the test kills it (no timing: the sweep waits for as long as it takes).
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)']);
    const mine = join(results, 'runs', `.tmp-${runs[0].id}-${holder.pid}-cafe0000`);
    mkdirSync(mine, { recursive: true });
    writeFileSync(join(results, 'runs', `.claim-${runs[0].id}`), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: 'now' }));
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const sweep = runSweep(file, { ...quiet, resultsDir: results });
    const waiting = `waiting for 1 runs that another schedlab run is running in ${results} (pid ${holder.pid} on ${hostname()})`;
    while (!stderr.join('').includes(waiting)) await new Promise((r) => setTimeout(r, 50));
    // Its own run done, the sweep waits for the holder's, leaving the holder's folder alone.
    expect(isFinished(results, runs[1].id)).toBe(true);
    expect(isFinished(results, runs[0].id)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    const died = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await died;
    const summary = await sweep;
    expect(summary.outcomes.map((o) => o.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect(runEntries(results)).toEqual(runs.map((r) => r.id).sort());
  });

  it('a run folder without its run.json is no finished run: tables leave it out, the next run replaces it', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { seeds: [0, 1] });
    const results = join(dir, 'results');
    const { runs } = await runSweep(file, { ...quiet, resultsDir: results });
    rmSync(join(results, 'runs', runs[0].id, 'run.json'));
    const { tables } = writeTables(results);
    expect(tables[0].rows.map((r) => r.stats.return?.n)).toEqual([1]);
    const again = await runSweep(file, { ...quiet, resultsDir: results });
    expect(again.outcomes).toEqual([{ id: runs[0].id, ok: true }]);
    expect(readJson<{ id: string }>(join(results, 'runs', runs[0].id, 'run.json')).id).toBe(runs[0].id);
    expect(writeTables(results).tables[0].rows.map((r) => r.stats.return?.n)).toEqual([2]);
  });

  it('an experiment file changed only in its tables keeps its results directory: nothing reruns, the tables follow the file', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const first = await runSweep(writeExperiment(dir, { seeds: [0] }, 'a.yaml'), { ...quiet, resultsDir: results });
    const relabelled = writeExperiment(
      dir,
      { seeds: [0], tables: [{ name: 'main', metrics: [{ metric: 'return', label: 'Episode return', better: 'higher' }] }] },
      'b.yaml',
    );
    const again = await runSweep(relabelled, { ...quiet, resultsDir: results });
    expect(again.outcomes).toEqual([]);
    expect(again.skipped).toBe(first.runs.length);
    writeTables(results);
    expect(readFileSync(join(results, 'table.md'), 'utf8')).toContain('Episode return');
  });

  it('refuses to re-evaluate a run another live process holds', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { seeds: [0] });
    const results = join(dir, 'results');
    const { runs } = await runSweep(file, { ...quiet, resultsDir: results });
    writeFileSync(join(results, 'runs', `.claim-${runs[0].id}`), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'now' }));
    const err = await reevaluateRuns(planSweep(file, { resultsDir: results }), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchedlabError);
    expect((err as Error).message).toContain(`is held by another process (pid ${process.ppid}`);
  });
});
