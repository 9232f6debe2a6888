import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../agents/core/evaluation.js';
import { makeAgent } from '../../../agents/index.js';
import { InputFileError, InvalidActionError, OptionError } from '../../../core/errors.js';
import { BatchSchedulingEnv } from '../../../envs/batch/batch-scheduling.js';
import type { BatchQueueOrder, BatchQueueView } from '../../../envs/batch/queue-view.js';
import { make } from '../../../envs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'batch-env-'));
/** Writes a hand-made trace; jobs as full SWF field maps (1-based), others -1. */
function traceFile(name: string, header: string[], jobs: Partial<Record<number, number>>[]): string {
  const lines = jobs.map((f, i) => Array.from({ length: 18 }, (_, k) => (k === 0 ? i + 1 : (f[k + 1] ?? -1))).join(' '));
  const path = join(dir, name);
  writeFileSync(path, [...header, ...lines].join('\n') + '\n');
  return path;
}

// N = 4 nodes, P = 8 processors. Job 1 fills the machine until 100; jobs 2-4 arrive while job 2 waits.
const small = traceFile(
  'small.swf',
  ['; MaxNodes: 4', '; MaxProcs: 8'],
  [
    { 2: 0, 4: 100, 5: 8, 9: 200, 10: 10, 12: 1, 13: 1, 14: 1 },
    { 2: 10, 4: 50, 5: 6, 9: 400, 10: 40, 12: 4, 13: 2, 14: 3 },
    { 2: 20, 4: 30, 5: 2, 9: 40 },
    { 2: 30, 4: 20, 5: 1, 9: 20, 12: 2 },
  ],
);

describe('BatchScheduling-v0', () => {
  it('has the reference spaces and rejects unknown options', () => {
    const env = new BatchSchedulingEnv({ trace: small, sequenceLength: 4, starts: [0] });
    expect(env.observationSpace.shape).toEqual([1024]);
    expect(env.actionSpace.n).toBe(128);
    expect(() => new BatchSchedulingEnv({ trace: small, seqLen: 4 })).toThrow(
      /option 'seqLen' is not an option; accepted: one of trace, sequenceLength/,
    );
  });

  it('builds the 8 features per visible job, the empty-slot pattern, and the action mask', () => {
    const env = new BatchSchedulingEnv({ trace: small, sequenceLength: 4, starts: [0], queueSize: 4 });
    let { observation: o, info } = env.reset({ seed: 0 });
    // Requested time over the trace's max RUN time (100), as the reference: 200 and 400 are capped.
    const cap = 1 - 1e-5;
    const f32 = (xs: number[]) => Array.from(new Float32Array(xs));
    expect(Array.from(o.subarray(0, 8))).toEqual(f32([0, cap, cap, 10 / 40, 1 / 4, 1 / 2, 1 / 3, cap]));
    expect(Array.from(o.subarray(8, 16))).toEqual(f32([0, 1, 1, 1, 1, 1, 1, 0]));
    expect(Array.from(info.actionMask!)).toEqual([1, 0, 0, 0]);
    ({ observation: o, info } = env.step(0));
    // Job 2 arrived at 10 (the queue was empty); job 1 holds all nodes: cannot start now.
    expect(Array.from(o.subarray(0, 8))).toEqual(f32([0, cap, 6 / 8, cap, cap, cap, cap, 1e-5]));
    ({ observation: o, info } = env.step(0));
    // Committing job 2 waited until 100: jobs 3 and 4 arrived; 2 nodes left after job 2 started.
    expect((info.batch as BatchQueueView).now).toBe(100);
    expect(Array.from(o.subarray(0, 8))).toEqual(f32([80 / 43200, 40 / 100, 2 / 8, 1, 1, 1, 1, cap]));
    expect(Array.from(o.subarray(8, 16))).toEqual(f32([70 / 43200, 20 / 100, 1 / 8, 1, 2 / 4, 1, 1, cap]));
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 0, 0]);
    expect(() => env.step(2)).toThrow(InvalidActionError);
    expect(() => env.step(2)).toThrow(/slot 2 is empty; accepted: .* 0 to 1/);
    expect(() => env.step(7)).toThrow(/not in Discrete\(4\)/);
  });

  it('keeps the incremental observation equal to one built from scratch, with and without backfilling', () => {
    for (const backfill of [false, true]) {
      const env = new BatchSchedulingEnv({ trace: 'lublin-1', sequenceLength: 256, queueSize: 32, backfill, starts: [1981, 4299] });
      const t = env.trace;
      const cap = 1 - 1e-5;
      const norm = (v: number, max: number) => (v === -1 ? 1 : Math.min(v / max, cap));
      let { observation, info } = env.reset({ seed: 0 });
      env.actionSpace.seed(7);
      for (let step = 0; step < 300; step++) {
        const view = info.batch as BatchQueueView;
        const window = view.window;
        // The window is the FCFS prefix of the whole queue.
        const fcfs = Array.from(view.queue)
          .sort((a, b) => t.submit[a] - t.submit[b])
          .slice(0, 32);
        expect(Array.from(window)).toEqual(fcfs);
        const expected = new Float32Array(32 * 8);
        for (let slot = 0; slot < 32; slot++) {
          const j = window[slot];
          const row =
            j === undefined
              ? [0, 1, 1, 1, 1, 1, 1, 0]
              : [
                  Math.min((view.now - t.submit[j]) / 43200, cap),
                  norm(t.requestTime[j], t.norm.maxRunTime),
                  norm(t.procs[j], t.maxProcs),
                  1,
                  1,
                  1,
                  1,
                  t.nodes[j] <= view.freeNodes ? cap : 1e-5,
                ];
          expected.set(row, slot * 8);
        }
        expect(observation).toEqual(expected);
        const r = env.step(env.actionSpace.sample(info.actionMask));
        ({ observation, info } = r);
        if (r.terminated) ({ observation, info } = env.reset());
      }
    }
  });

  it('ends at the last start with every metric in info.metrics and the reward −metric', () => {
    for (const metric of ['bsld', 'wait', 'turnaround', 'slowdown', 'utilization', 'rlschedulerUtilization'] as const) {
      const env = new BatchSimulatorDriver(metric);
      const { reward, info } = env.run([0, 0, 1, 0]);
      expect(Object.keys(info.metrics!).sort()).toEqual([
        'bsld',
        'decisions',
        'rlschedulerUtilization',
        'slowdown',
        'turnaround',
        'utilization',
        'wait',
      ]);
      // Starts: job 1 at 0, job 2 at 100 (3 nodes), slot 1 = job 4 at 100 (the last node), job 3 when job 4 ends (120).
      const m = info.metrics!;
      expect(reward).toBe(metric === 'utilization' || metric === 'rlschedulerUtilization' ? m[metric] : -m[metric]);
      expect(m.wait).toBeCloseTo((0 + 90 + 70 + 100) / 4, 10);
      expect(m.decisions).toBe(4);
    }
  });

  it('plays explicit starts in order, cycling; a seeded reset starts the list again', () => {
    const env = new BatchSchedulingEnv({ trace: 'lublin-1', sequenceLength: 8, starts: [5, 100, 7] });
    const startOf = (r: { info: Record<string, unknown> }) => (r.info.batch as BatchQueueView).sequenceStart;
    const seen = [
      startOf(env.reset({ seed: 1 })),
      startOf(env.reset()),
      startOf(env.reset()),
      startOf(env.reset()),
      startOf(env.reset({ seed: 2 })),
    ];
    expect(seen).toEqual([5, 100, 7, 5, 5]);
    expect((env.reset({ options: { start: 42 } }).info.batch as BatchQueueView).sequenceStart).toBe(42);
  });

  it('draws random starts from the seed, in [sequenceLength, size − sequenceLength − 1)', () => {
    const draw = (seed: number) => {
      const env = new BatchSchedulingEnv({ trace: 'lublin-1', sequenceLength: 256 });
      const startOf = (r: { info: Record<string, unknown> }) => (r.info.batch as BatchQueueView).sequenceStart;
      return [startOf(env.reset({ seed })), startOf(env.reset()), startOf(env.reset())];
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    expect(draw(4)).not.toEqual(a);
    for (const s of a) expect(s >= 256 && s < 10000 - 257).toBe(true);
  });

  it('filterSjf keeps only sequences whose SJF score lies in (10, 150)', () => {
    const env = new BatchSchedulingEnv({ trace: 'lublin-1', sequenceLength: 64, filterSjf: true });
    env.reset({ seed: 0 });
    for (let i = 0; i < 3; i++) {
      const start = (env.reset().info.batch as BatchQueueView).sequenceStart;
      const score = env.sjfScore(start);
      expect(score > 10 && score < 150).toBe(true);
    }
  });

  it("rewardBaseline 'sjf': the end reward is SJF's score minus the policy's, so SJF earns 0 and FCFS its gap to SJF", () => {
    const options = { trace: 'lublin-1', sequenceLength: 64 };
    const sjf = makeAgent('sjf', make('BatchScheduling-v0', options));
    const relative = evaluate(make('BatchScheduling-v0', { ...options, rewardBaseline: 'sjf' }), sjf, { episodes: 4, seed: 5 });
    expect(relative.metrics.return.mean).toBe(0);
    const fcfsOf = (o: Record<string, unknown>) =>
      evaluate(make('BatchScheduling-v0', o), makeAgent('fcfs', make('BatchScheduling-v0', options)), { episodes: 4, seed: 5 });
    const plainSjf = evaluate(make('BatchScheduling-v0', options), sjf, { episodes: 4, seed: 5 });
    const [plain, gap] = [fcfsOf(options), fcfsOf({ ...options, rewardBaseline: 'sjf' })];
    expect(gap.metrics.bsld.mean).toBe(plain.metrics.bsld.mean);
    expect(gap.metrics.return.mean).toBeCloseTo(plainSjf.metrics.bsld.mean - plain.metrics.bsld.mean, 9);
    expect(gap.metrics.return.mean).toBeLessThan(0);
    expect(() => make('BatchScheduling-v0', { ...options, rewardBaseline: 'fcfs' })).toThrow(/rewardBaseline.*'none' \| 'sjf'/);
  });

  it('rejects a start beyond the trace, a sequence longer than the trace, a missing or malformed file', () => {
    expect(() => new BatchSchedulingEnv({ trace: small, sequenceLength: 2, starts: [9] })).toThrow(
      /start index 9, beyond the trace \(4 jobs/,
    );
    expect(() => new BatchSchedulingEnv({ trace: small, sequenceLength: 2, starts: [3] })).toThrow(
      /a sequence of 2 jobs from there is longer than the trace/,
    );
    expect(() => new BatchSchedulingEnv({ trace: small, sequenceLength: 5, starts: [0] })).toThrow(
      /sequenceLength' is 5, longer than the trace/,
    );
    expect(() => new BatchSchedulingEnv({ trace: small, sequenceLength: 2 })).toThrow(/random starts/);
    expect(() => new BatchSchedulingEnv({ trace: join(dir, 'nope.swf') })).toThrow(OptionError);
    const bad = join(dir, 'bad.swf');
    writeFileSync(
      bad,
      '; MaxNodes: 2\n1 0 -1 10 1 -1 -1 -1 -1 -1 1 -1 -1 -1 0 -1 -1 -1\n2 0 -1 ten 1 -1 -1 -1 -1 -1 1 -1 -1 -1 0 -1 -1 -1\n',
    );
    expect(() => new BatchSchedulingEnv({ trace: bad, sequenceLength: 1, starts: [0] })).toThrow(InputFileError);
    expect(() => new BatchSchedulingEnv({ trace: bad, sequenceLength: 1, starts: [0] })).toThrow(/bad\.swf:3 \(field 4 \(run time\)\)/);
    const skipped = new BatchSchedulingEnv({ trace: bad, sequenceLength: 1, starts: [0], onBadLine: 'skip' });
    expect(skipped.traceStats.skippedBadLines).toBe(1);
  });

  it('heuristics rank the whole queue, beyond the window an RL policy sees', () => {
    // queueSize 1: the window shows only the oldest waiting job; SJF still picks the 20 s job.
    const env = make('BatchScheduling-v0', { trace: small, sequenceLength: 4, starts: [0], queueSize: 1 });
    const agent = makeAgent('sjf', env);
    let { info } = env.reset({ seed: 0 });
    // info.batch is a snapshot: act on the info of the last reset or step.
    ({ info } = env.step(agent.act(new Float32Array(8), { info })));
    ({ info } = env.step(agent.act(new Float32Array(8), { info })));
    const view = info.batch as BatchQueueView;
    expect(Array.from(view.queue)).toEqual([2, 3]);
    expect(Array.from(view.window)).toEqual([2]);
    // SJF's pick (job 3, 20 s) is beyond the window: it acts with a queue order, and acting changes nothing.
    const action = agent.act(new Float32Array(8), { info }) as BatchQueueOrder;
    expect(Array.from(action.queueOrder)).toEqual([3, 2]);
    expect(Array.from(view.queue)).toEqual([2, 3]);
    expect(Array.from(view.window)).toEqual([2]);
    const after = env.step(action).info.batch as BatchQueueView;
    expect(Array.from(after.queue)).toEqual([2]);
    expect(() => makeAgent('sjf', make('CartPole-v1'))).toThrow(/does not support CartPole-v1/);
  });

  it('info.batch is a frozen snapshot; a queue order must list every queued job once', () => {
    const env = new BatchSchedulingEnv({ trace: small, sequenceLength: 4, starts: [0], queueSize: 1 });
    env.reset({ seed: 0 });
    env.step(0);
    const { info } = env.step(0);
    const view = info.batch as BatchQueueView;
    expect(Object.isFrozen(view)).toBe(true);
    expect(() => ((view as { now: number }).now = 5)).toThrow(TypeError);
    // The arrays are copies: writing to them does not reach the env, and a later step does not change them.
    (view.queue as Int32Array)[0] = 99;
    const next = env.step({ queueOrder: [2, 3] }).info.batch as BatchQueueView;
    expect(Array.from(next.queue)).toEqual([3]);
    expect(view.now).toBe(100);
    env.reset({ seed: 0 });
    env.step(0);
    env.step(0);
    for (const [order, message] of [
      [[3], /lists 1 jobs, but 2 are queued/],
      [[3, 3], /has job 3 twice/],
      [[3, 0], /has 0 at position 1, not a queued job/],
      [[3, 1.5], /has 1\.5 at position 1, not a queued job/],
      [7, /not an array/],
    ] as const) {
      expect(() => env.step({ queueOrder: order as unknown as number[] })).toThrow(InvalidActionError);
      expect(() => env.step({ queueOrder: order as unknown as number[] })).toThrow(message);
    }
    expect(() => env.step({ order: [2, 3] } as unknown as number)).toThrow(/or \{queueOrder: every queued job once\}/);
  });

  it('runs the published protocol through evaluate: Lublin-1, FCFS, 1024-job sequences', () => {
    const starts = [1981, 2756, 4299, 8850, 3316, 2714, 5228, 7762, 4022, 7085];
    const env = make('BatchScheduling-v0', { trace: 'lublin-1', sequenceLength: 1024, starts });
    const r = evaluate(env, makeAgent('fcfs', env), { episodes: 10, seed: 0 });
    expect(r.metrics.bsld.mean.toFixed(2)).toBe('7273.77');
    expect(Object.keys(r.metrics)).toEqual(expect.arrayContaining(['bsld', 'wait', 'turnaround', 'slowdown', 'utilization']));
  });
});

/** Drives the small trace with the given slots under one reward metric. */
class BatchSimulatorDriver {
  private readonly env: BatchSchedulingEnv;
  constructor(metric: 'bsld' | 'wait' | 'turnaround' | 'slowdown' | 'utilization' | 'rlschedulerUtilization') {
    this.env = new BatchSchedulingEnv({ trace: small, sequenceLength: 4, starts: [0], queueSize: 4, metric });
  }
  run(slots: number[]) {
    this.env.reset({ seed: 0 });
    let last;
    for (const a of slots) {
      last = this.env.step(a);
      if (last.terminated) break;
    }
    if (!last) throw new Error('no slots given');
    return last;
  }
}
