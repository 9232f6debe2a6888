import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HeuristicAgent, registerAgent, type Agent } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { writePlots } from '../../experiments/figures/write.js';
import { runSweep } from '../../experiments/run/sweep.js';
import { writeTables } from '../../experiments/tables/write.js';
import { runEntries, tempDir, writeExperiment } from './helpers.js';

class FailingAgent extends HeuristicAgent {
  constructor(private readonly seed: number) {
    super('test-fails-on-seed-1');
  }
  act(): number {
    if (this.seed === 1) throw new Error('boom on seed 1');
    return 0;
  }
}

/** A learned agent whose "training" logs a known curve, to test curve records and figures. */
class CurveAgent extends HeuristicAgent {
  constructor() {
    super('test-curve');
  }
  act(): number {
    return 1;
  }
  override async learn(
    _env: unknown,
    { totalSteps, callbacks = [] }: { totalSteps: number; callbacks?: { onRolloutEnd?: (c: never) => unknown }[] },
  ) {
    for (let steps = 100; steps <= totalSteps; steps += 100) {
      const ctx = {
        agent: this as Agent,
        steps,
        episodes: steps / 10,
        metrics: { episodic_return: steps / 10, SPS: 1234, 'time/update': 0.5 },
      };
      for (const cb of callbacks) await cb.onRolloutEnd?.(ctx as never);
    }
    return { steps: totalSteps, episodes: totalSteps / 10, stoppedEarly: false };
  }
}

/** Always pushes left: CartPole episodes of ~10 steps, shorter than random's. */
class ConstantAgent extends HeuristicAgent {
  constructor() {
    super('test-constant');
  }
  act(): number {
    return 0;
  }
}

/**
 * A learned agent whose policy is good only at the middle of training: at step 200 of 300 it pushes the
 * cart towards the pole's lean, otherwise always left. It saves and loads its phase, so model selection
 * can bring the step-200 policy back.
 */
class PhaseAgent extends HeuristicAgent {
  phase = 0;
  constructor() {
    super('test-phase');
  }
  act(observation: Float32Array): number {
    return this.phase === 200 ? (observation[2] > 0 ? 1 : 0) : 0;
  }
  override async learn(
    _env: unknown,
    {
      totalSteps,
      callbacks = [],
    }: { totalSteps: number; callbacks?: { onRolloutEnd?: (c: never) => unknown; onTrainingEnd?: (c: never) => unknown }[] },
  ) {
    const ctx = { agent: this as Agent, steps: 0, episodes: 0, metrics: {} as Record<string, number> };
    for (let steps = 100; steps <= totalSteps; steps += 100) {
      this.phase = steps;
      Object.assign(ctx, { steps, episodes: steps / 10, metrics: { episodic_return: steps / 10 } });
      for (const cb of callbacks) await cb.onRolloutEnd?.(ctx as never);
    }
    for (const cb of callbacks) await cb.onTrainingEnd?.(ctx as never);
    return { steps: totalSteps, episodes: totalSteps / 10, stoppedEarly: false };
  }
  override async save(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'phase.json'), JSON.stringify({ phase: this.phase }));
  }
  override async load(dir: string): Promise<void> {
    this.phase = (JSON.parse(readFileSync(join(dir, 'phase.json'), 'utf8')) as { phase: number }).phase;
  }
}

beforeAll(() => {
  registerAgent({ name: 'test-phase', kind: 'learned', description: 'test', supports: () => null, create: () => new PhaseAgent() });
  registerAgent({ name: 'test-constant', kind: 'heuristic', description: 'test', supports: () => null, create: () => new ConstantAgent() });
  registerAgent({
    name: 'test-fails-on-seed-1',
    kind: 'heuristic',
    description: 'test',
    supports: () => null,
    create: (_e, _o, ctx) => new FailingAgent(ctx.seed),
  });
  registerAgent({ name: 'test-curve', kind: 'learned', description: 'test', supports: () => null, create: () => new CurveAgent() });
});

const quiet = { workers: 0, progress: false } as const;

describe('schedlab run (in process)', () => {
  it('writes one complete record per run, and resumes: finished runs skipped, failed and interrupted ones rerun', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { sweep: { 'evaluation.episodes': [1, 2] } });
    const results = join(dir, 'results');
    const first = await runSweep(file, { ...quiet, resultsDir: results });
    expect(first.outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    const ids = first.runs.map((r) => r.id).sort();
    expect(runEntries(results)).toEqual(ids);
    for (const id of ids) {
      expect(readdirSync(join(results, 'runs', id)).sort()).toEqual([
        'checkpoint',
        'curve.csv',
        'evaluation.json',
        'run.json',
        'timing.json',
      ]);
    }
    const manifest = JSON.parse(readFileSync(join(results, 'manifest.json'), 'utf8'));
    expect(manifest.seeds).toEqual({ training: [0, 1], evaluationSeedOffset: 1000, evaluation: [1000, 1001] });
    expect(manifest).toHaveProperty('packages.mathjs');
    expect(manifest.node).toBe(process.version);
    expect(typeof manifest.backend).toBe('string');

    const again = await runSweep(file, { ...quiet, resultsDir: results });
    expect(again.outcomes).toEqual([]);
    expect(again.skipped).toBe(4);

    // One run lost, one failed, one killed half-way (its staging directory left behind).
    rmSync(join(results, 'runs', ids[0]), { recursive: true });
    renameSync(join(results, 'runs', ids[1], 'evaluation.json'), join(results, 'runs', ids[1], 'error.json'));
    mkdirSync(join(results, 'runs', `.tmp-${ids[2]}-999-deadbeef`));
    const resumed = await runSweep(file, { ...quiet, resultsDir: results });
    expect(resumed.outcomes.map((o) => o.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(runEntries(results)).toEqual(ids);
    expect(existsSync(join(results, 'runs', ids[1], 'error.json'))).toBe(false);
  });

  it('records a failing run with its error and goes on with the sweep', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      tasks: [{ label: 'cartpole', env: { id: 'CartPole-v1' }, agents: ['test-fails-on-seed-1', 'random'] }],
    });
    const results = join(dir, 'results');
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    expect(summary.outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    const failed = summary.runs[1];
    const error = JSON.parse(readFileSync(join(results, 'runs', failed.id, 'error.json'), 'utf8'));
    expect(error.message).toContain('boom on seed 1');
    expect(existsSync(join(results, 'runs', failed.id, 'evaluation.json'))).toBe(false);
    const { tables, unfinished } = writeTables(results);
    expect(unfinished).toBe(1);
    expect(tables[0].rows.map((r) => [r.agent, r.failed, r.stats.return?.n])).toEqual([
      ['test-fails-on-seed-1', 1, 1],
      ['random', 0, 2],
    ]);
  });

  it('logs learning curves without timing columns and draws figures and report.html', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      tasks: [{ label: 'cartpole', env: { id: 'CartPole-v1' }, agents: ['random', { name: 'test-curve', totalSteps: 300 }] }],
    });
    const results = join(dir, 'results');
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    const learned = summary.runs.find((r) => r.agent === 'test-curve')!;
    const runDir = join(results, 'runs', learned.id);
    expect(readFileSync(join(runDir, 'curve.csv'), 'utf8')).toBe('steps,episodes,episodic_return\n100,10,10\n200,20,20\n300,30,30\n');
    expect(JSON.parse(readFileSync(join(runDir, 'timing.json'), 'utf8')).meanSPS).toBe(1234);
    const { figures, report } = await writePlots(results);
    expect(figures.map((f) => f.name)).toEqual(['learning-curves', 'bar-return', 'bar-length']);
    for (const f of figures) {
      expect(readFileSync(f.files[1], 'utf8')).toMatch(/^<svg/);
      expect(readFileSync(f.files[2]).subarray(1, 4).toString()).toBe('PNG');
      expect(JSON.parse(readFileSync(f.files[0], 'utf8')).$schema).toContain('vega-lite');
    }
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<table>');
    expect(html.match(/<svg/g)).toHaveLength(3);
  });

  it('validation: the model with the best validation return is the one evaluated and saved, and validation.json says which', async () => {
    const dir = tempDir();
    const agent = { name: 'test-phase', totalSteps: 300, validation: { everySteps: 100, episodes: 3, seedOffset: 5000 } };
    const file = writeExperiment(dir, {
      seeds: [0],
      tasks: [{ label: 'cartpole', env: { id: 'CartPole-v1' }, agents: [agent, 'test-constant'] }],
    });
    const results = join(dir, 'results');
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    const run = summary.runs.find((r) => r.agent === 'test-phase')!;
    const runDir = join(results, 'runs', run.id);
    const validation = JSON.parse(readFileSync(join(runDir, 'validation.json'), 'utf8'));
    expect(validation.seed).toBe(5000);
    expect(validation.evaluations.map((e: { steps: number }) => e.steps)).toEqual([100, 200, 300]);
    expect(validation.selected.steps).toBe(200);
    expect(JSON.parse(readFileSync(join(runDir, 'checkpoint', 'phase.json'), 'utf8')).phase).toBe(200);
    expect(existsSync(join(runDir, 'validation-best'))).toBe(false);
    // The selected (leaning) policy outlasts always-left on the evaluation episodes.
    const evaluation = (id: string) => JSON.parse(readFileSync(join(results, 'runs', id, 'evaluation.json'), 'utf8')).metrics.return.mean;
    const constant = summary.runs.find((r) => r.agent === 'test-constant')!;
    expect(evaluation(run.id)).toBeGreaterThan(2 * evaluation(constant.id));
    expect(readFileSync(join(runDir, 'curve.csv'), 'utf8').split('\n')[0]).toBe(
      'steps,episodes,episodic_return,eval/best_mean_reward,eval/mean_ep_length,eval/mean_reward',
    );
  });

  it('validation.envOptions: the validation episodes play the task env with those options over its own, the evaluation the task env', async () => {
    const dir = tempDir();
    // Sutton & Barto's reward (0 per step, −1 at the fall) only in validation: every validation return is −1 or 0.
    const validation = { everySteps: 100, episodes: 3, seedOffset: 5000, envOptions: { suttonBartoReward: true } };
    const file = writeExperiment(dir, {
      seeds: [0],
      tasks: [{ label: 'cartpole', env: { id: 'CartPole-v1' }, agents: [{ name: 'test-phase', totalSteps: 300, validation }] }],
    });
    const results = join(dir, 'results');
    const summary = await runSweep(file, { ...quiet, resultsDir: results });
    const runDir = join(results, 'runs', summary.runs[0].id);
    const recorded = JSON.parse(readFileSync(join(runDir, 'validation.json'), 'utf8'));
    expect(recorded.envOptions).toEqual({ suttonBartoReward: true });
    for (const e of recorded.evaluations as { meanReturn: number }[]) expect(e.meanReturn).toBeLessThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(runDir, 'evaluation.json'), 'utf8')).metrics.return.mean).toBeGreaterThan(5);
  });

  it('refuses validation.envOptions that the env does not accept or that change its spaces, naming the field', () => {
    const dir = tempDir();
    const bad = (envOptions: Record<string, unknown>, env = { id: 'CartPole-v1' }) =>
      runSweep(
        writeExperiment(dir, {
          tasks: [
            {
              label: 'task',
              env,
              agents: [{ name: 'test-phase', totalSteps: 300, validation: { everySteps: 100, seedOffset: 5000, envOptions } }],
            },
          ],
        }),
        { ...quiet, resultsDir: join(dir, 'results') },
      );
    return Promise.all([
      expect(bad({ suttonBartoRewrd: true })).rejects.toThrow(
        /validation\.envOptions of task 'task', agent 'test-phase'.*suttonBartoRewrd/,
      ),
      expect(bad({ numSlots: 3 }, { id: 'ClusterScheduling-v0' })).rejects.toThrow(
        /validation\.envOptions of task 'task', agent 'test-phase'.*change the env's spaces/,
      ),
    ]);
  });

  it('refuses validation seeds that coincide with training or evaluation seeds', () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      tasks: [
        {
          label: 'cartpole',
          env: { id: 'CartPole-v1' },
          agents: [{ name: 'test-phase', totalSteps: 300, validation: { everySteps: 100, seedOffset: 1000 } }],
        },
      ],
    });
    return expect(runSweep(file, { ...quiet, resultsDir: join(dir, 'results') })).rejects.toThrow(
      /tasks\[0\]\.agents\[0\]\.validation\.seedOffset.*1000 makes validation seed 1000 equal to a training or evaluation seed/,
    );
  });

  it('writes byte-identical tables when the experiment is run again, with timings kept apart', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      seeds: [0, 1, 2],
      tasks: [{ label: 'cartpole', env: 'CartPole-v1', agents: ['random', 'test-constant'] }],
      sweep: { 'evaluation.episodes': [1, 3] },
    });
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await runSweep(file, { ...quiet, resultsDir: a });
    await runSweep(file, { ...quiet, resultsDir: b });
    const ta = writeTables(a);
    writeTables(b);
    for (const name of ['table.csv', 'table.md', 'table.tex']) {
      expect(readFileSync(join(a, name))).toEqual(readFileSync(join(b, name)));
    }
    expect(readFileSync(join(a, 'table.csv'), 'utf8')).not.toContain('seconds');
    expect(readFileSync(join(a, 'timing.csv'), 'utf8').split('\n')[0]).toContain('wall_seconds');
    // Best per column among the agents at each swept point: random lasts longer (return, higher is better),
    // the constant agent falls sooner (length, lower is better).
    const model = ta.tables[0];
    expect(model.rows.map((r) => `${r.agent}@${r.sweep['evaluation.episodes']}`)).toEqual([
      'random@1',
      'random@3',
      'test-constant@1',
      'test-constant@3',
    ]);
    expect([...model.best.return].sort()).toEqual([0, 1]);
    expect([...model.best.length].sort()).toEqual([2, 3]);
    const md = readFileSync(join(a, 'table.md'), 'utf8').split('\n');
    // With 3 seeds a cell is mean ± std (no IQM or interval: they say nothing at n = 3).
    expect(md[2]).toMatch(/^\| cartpole \| random \| 1 \| \*\*[\d.]+ ± [\d.]+\*\* \| [\d.]+ ± [\d.]+ \|/);
    expect(md[4]).toMatch(/\| \*\*[\d.]+ ± [\d.]+\*\* \|\s*$/);
    const tex = readFileSync(join(a, 'table.tex'), 'utf8');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('\\bottomrule');
    expect(tex).toContain('Length $\\downarrow$');
    expect(tex.match(/\\textbf\{/g)).toHaveLength(4);
  });

  it('tables label runs as the experiment file now labels them, and leave out runs the file no longer has', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const tasks = (label: string, agent: string) => [{ label, env: 'CartPole-v1', agents: [{ name: agent, label: `${agent} agent` }] }];
    await runSweep(writeExperiment(dir, { tasks: tasks('old label', 'random') }), { ...quiet, resultsDir: results });
    // The label is no part of a run's id: renamed, the finished runs are kept and their run.json keeps the old label.
    const renamed = await runSweep(writeExperiment(dir, { tasks: tasks('new label', 'random') }), { ...quiet, resultsDir: results });
    expect(renamed.skipped).toBe(2);
    const runJson = JSON.parse(readFileSync(join(results, 'runs', renamed.runs[0].id, 'run.json'), 'utf8'));
    expect(runJson.task).toBe('old label');
    expect(writeTables(results).tables[0].rows.map((r) => `${r.task}/${r.agent}`)).toEqual(['new label/random agent']);
    // A run the experiment does not have (here copied in from another results directory) is left out.
    const other = join(dir, 'other');
    const stray = await runSweep(writeExperiment(dir, { tasks: tasks('new label', 'test-constant') }, 'other.yaml'), {
      ...quiet,
      resultsDir: other,
    });
    cpSync(join(other, 'runs', stray.runs[0].id), join(results, 'runs', stray.runs[0].id), { recursive: true });
    expect(runEntries(results)).toHaveLength(3);
    const written = writeTables(results);
    expect(written.tables[0].rows.map((r) => `${r.task}/${r.agent}`)).toEqual(['new label/random agent']);
    expect(written.records).toHaveLength(2);
    expect(written.unfinished).toBe(0);
  });
});

describe('schedlab run: bad input', () => {
  const expectError = async (p: Promise<unknown>, ...parts: string[]) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SchedlabError);
    for (const part of parts) expect((err as Error).message).toContain(part);
  };

  it('names an unknown env or agent and lists the known ones', async () => {
    const dir = tempDir();
    const env = writeExperiment(dir, { tasks: [{ env: 'CartPol-v1', agents: ['random'] }] }, 'env.yaml');
    await expectError(runSweep(env, { ...quiet, resultsDir: join(dir, 'r1') }), "unknown env id 'CartPol-v1'", 'Known envs', 'CartPole-v1');
    const agent = writeExperiment(dir, { tasks: [{ env: 'CartPole-v1', agents: ['randm'] }] }, 'agent.yaml');
    await expectError(runSweep(agent, { ...quiet, resultsDir: join(dir, 'r2') }), "unknown agent 'randm'", 'Known agents', 'random');
    expect(existsSync(join(dir, 'r1'))).toBe(false);
  });

  it('refuses an unwritable results directory', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {});
    writeFileSync(join(dir, 'a-file'), 'x');
    await expectError(
      runSweep(file, { ...quiet, resultsDir: join(dir, 'a-file', 'results') }),
      `cannot write to the results directory ${join(dir, 'a-file', 'results')}: a part of the path is a file, not a folder (ENOTDIR)`,
      '(--out)',
    );
  });

  it('an experiment file that only adds runs (same name) keeps the finished ones; one that changes a recorded run is refused', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const first = await runSweep(writeExperiment(dir, {}), { ...quiet, resultsDir: results });
    expect(first.outcomes).toHaveLength(2);
    const tasks = (agents: unknown[]) => [{ label: 'cartpole', env: { id: 'CartPole-v1', options: {} }, agents }];
    const added = await runSweep(writeExperiment(dir, { tasks: tasks(['random', 'test-constant']) }), { ...quiet, resultsDir: results });
    expect(added.skipped).toBe(2);
    expect(added.outcomes).toHaveLength(2);
    expect(writeTables(results).tables[0].rows.map((r) => r.agent)).toEqual(['random', 'test-constant']);
    // Dropping the random runs (or changing their config) would leave recorded runs the file no longer has.
    await expectError(
      runSweep(writeExperiment(dir, { tasks: tasks(['test-constant']) }), { ...quiet, resultsDir: results }),
      'holds results of another experiment file',
    );
    // Another experiment name adding runs is another experiment.
    await expectError(
      runSweep(
        writeExperiment(dir, { name: 'other', tasks: tasks(['random', 'test-constant', { name: 'test-phase', totalSteps: 100 }]) }),
        {
          ...quiet,
          resultsDir: results,
        },
      ),
      'holds results of another experiment file',
    );
  });

  it("refuses another experiment's results directory and changes nothing there", async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    await runSweep(writeExperiment(dir, {}, 'a.yaml'), { ...quiet, resultsDir: results });
    const before = runEntries(results).join() + readFileSync(join(results, 'manifest.json'), 'utf8');
    const other = writeExperiment(dir, { seeds: [5] }, 'b.yaml');
    await expectError(
      runSweep(other, { ...quiet, resultsDir: results }),
      'holds results of another experiment file',
      'nothing was changed',
    );
    expect(runEntries(results).join() + readFileSync(join(results, 'manifest.json'), 'utf8')).toBe(before);
    mkdirSync(join(dir, 'not-results'));
    writeFileSync(join(dir, 'not-results', 'notes.txt'), 'mine');
    await expectError(runSweep(other, { ...quiet, resultsDir: join(dir, 'not-results') }), 'not a schedlab results directory');
  });
});
