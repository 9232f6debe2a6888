/**
 * BatchScheduling-v0: pick the next job of an HPC batch queue, replaying a Standard Workload Format
 * trace, with RLScheduler's exact semantics (so its published heuristic tables are reproduced).
 *
 * ## Description
 * A cluster of N identical nodes (the trace's `; MaxNodes`) runs the jobs of a sequence of consecutive
 * trace jobs. At each decision the agent picks a queued job; the job is committed: nothing else starts
 * before it. Without backfilling, time advances event by event until it fits; with backfilling
 * (EASY-like) a reservation is computed once and, before each event, queued jobs (FCFS order) that fit
 * now and end by their request strictly before the reservation start at once. Jobs free their nodes at
 * their actual run time. The machine model is `BatchSimulator`; the trace loading rules are
 * `SwfParser`'s. Source: D. Zhang, D. Dai, Y. He, F. S. Bao, B. Xie, "RLScheduler: An Automated HPC
 * Batch Job Scheduler Using Reinforcement Learning", SC 2020, and its code (HPCSimPickJobs.py in
 * https://github.com/DIR-LAB/deep-batch-scheduler); traces in the Standard Workload Format of the
 * Parallel Workloads Archive (https://www.cs.huji.ac.il/labs/parallel/workload/).
 *
 * ## Observation
 * Box(float32, queueSize × 8) in [0, 1]: for each visible job, w / 12 h, r / max run time,
 * n / max procs, requested memory / max, user / max, group / max, executable / max (each of these four
 * is 1 where the trace has -1), can-start-now (1 − 1e-5 or 1e-5); every value is capped at 1 − 1e-5.
 * Empty slots are [0, 1, 1, 1, 1, 1, 1, 0]. The maxima are the whole trace's (raw field maxima over every
 * line; max procs is the header's P).
 * Window ordering rule: the visible jobs are the first `queueSize` of the queue in FCFS order (by submit
 * time, equal submit times in arrival order), slot 0 the oldest. (The reference mixes SJF- and smallest-first picks when more than
 * 128 jobs wait; schedlab keeps FCFS so that the window is a plain prefix.) Schedulers that rank the
 * whole queue read it in `info.batch` (below) and act with a queue order (see Actions).
 *
 * ## Actions
 * Discrete(queueSize): the slot of a visible job. `info.actionMask` (and `actionMasks()`) marks the
 * occupied slots; an empty slot is an InvalidActionError.
 * Env-level action, outside the action space, for schedulers that rank the whole queue (the priority
 * heuristics: their pick may lie beyond the window): `{queueOrder}` (BatchQueueOrder, queue-view.ts), every
 * queued job's trace index (each of `info.batch.queue` once) in the order to run them. The env keeps its
 * queue in that order (it decides ties of the next ranking, and of equal submit times in the backfilling
 * scan) and commits its first job; anything else is an InvalidActionError. The observation is unchanged by
 * it: the window stays the FCFS prefix.
 *
 * ## State view
 * `info.batch` on reset and every step (BatchQueueView, queue-view.ts), a frozen snapshot: the read-only
 * trace, now, free nodes, the sequence start, every queued job in the queue's order (`queue`) and the
 * window by slot (`window`).
 *
 * ## Reward
 * 0 at every step; at the end, −(average `metric`) for bsld, wait, turnaround and slowdown, and
 * +metric for `utilization` and `rlschedulerUtilization` (higher is better; the latter is the reference's
 * negated score).
 * With `rewardBaseline: 'sjf'` the end reward is measured against SJF on the same sequence: −(metric −
 * metric_SJF) (utilization − utilization_SJF), the reference's `rwd2`. The subtracted score depends only
 * on the sequence, which is fixed at reset, so the best policy is the same; the return's spread across
 * sequences (bsld from ~100 to ~5000 on Lublin-1) is gone, which steadies policy-gradient training.
 *
 * ## Episode end
 * Terminated when the queue is empty and no job of the sequence is left to arrive, i.e. at the last
 * start (not when every job has finished). `info.metrics` then holds every metric whatever drives the
 * reward: bsld (max(1, (wait + run) / max(run, 10))), wait, turnaround, slowdown (averages over the
 * sequence's jobs), `utilization` (busy processor-time over the machine's from the first submit to the
 * last finish: Σ run·procs / ((last finish − first submit) · P), in [0, 1]), `rlschedulerUtilization`
 * (RLScheduler's figure, Σ run·procs / ((last start − first submit) · P): the work of every job over the
 * span up to the last start, so it exceeds 1 when jobs run on past the last start — 5.56 on some HPC2N
 * sequences; NaN when every job started at the first submit time, e.g. a 1-job sequence; its published
 * tables' "utilization" column is this), and `decisions`.
 * Not truncated: an episode has at most sequenceLength decisions.
 *
 * ## Options (defaults)
 * - `trace` ('lublin-1'): a bundled trace (`lublin-1`, `lublin-2`, `hpc2n`, `nasa-ipsc`) or a path to
 *   an .swf / .swf.gz file. Parsed once per process.
 * - `sequenceLength` (256): jobs per episode.
 * - `starts` (null): explicit trace indices of the sequences, one per episode in order (cycling; a
 *   seeded reset starts the list again); null draws a start uniformly in [sequenceLength,
 *   size − sequenceLength − 1) from the env's generator, as the reference.
 * - `backfill` (false), `metric` ('bsld' | 'wait' | 'turnaround' | 'slowdown' | 'utilization' |
 *   'rlschedulerUtilization'), `queueSize` (128).
 * - `filterSjf` (false): keep only random sequences whose SJF average `metric` lies in (10, 150)
 *   (RLScheduler's training filter; computed lazily per drawn start, with the env's `backfill` and
 *   `metric`. The reference precomputes the scores with an off-by-one, filtering start s by the score of
 *   the sequence from s + 1; schedlab filters by the sequence actually played).
 * - `rewardBaseline` ('none' | 'sjf'): subtract SJF's score of the sequence from the end reward (see
 *   Reward; `info.rewardBaseline` holds the score). SJF runs once per drawn start, with the env's
 *   `backfill` and `metric`, cached as for `filterSjf`.
 * - `onBadLine` ('error' | 'skip'): what a malformed trace line does. With 'skip', the reset's and the
 *   last step's `info.skippedLines` report the lines left out: `{trace, count, lines, examples}` (`lines`:
 *   the first 5 line numbers, `examples`: their problems), also in `traceStats`; each load of a trace that
 *   skipped lines writes one line to stderr.
 * - Reset options: `start` (a trace index for this episode only).
 *
 * ## Version history
 * - v0 (schedlab 0.1): RLScheduler's HPCSimPickJobs semantics, FCFS window.
 * - v0 (schedlab 0.2): `utilization` is the true utilization in [0, 1]; RLScheduler's figure, which v0.1
 *   reported as `utilization`, is `rlschedulerUtilization` (also a `metric` value). With onBadLine
 *   'skip', `info.skippedLines` reports the lines left out. SWF headers: prose after a value and unknown
 *   keys are accepted (see SwfParser).
 */
import { InvalidActionError, OptionError, SchedlabError } from '../../core/errors.js';
import { opt, parseOptions } from '../../core/options.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import { BatchSimulator, type BatchMetrics } from './batch-simulator.js';
import { PRIORITY_RULES } from './priority-rules.js';
import type { BatchQueueOrder, BatchQueueView } from './queue-view.js';
import { loadTrace } from './swf-reader.js';
import type { SwfLoadStats, SwfTrace } from './swf-trace.js';
import { TypedArena } from './typed-arena.js';

export const BATCH_METRICS = ['bsld', 'wait', 'turnaround', 'slowdown', 'utilization', 'rlschedulerUtilization'] as const;
export type BatchMetric = (typeof BATCH_METRICS)[number];
/** The metrics where higher is better (the end reward is +metric, not −metric). */
const HIGHER_IS_BETTER: ReadonlySet<BatchMetric> = new Set(['utilization', 'rlschedulerUtilization']);

export const JOB_FEATURES = 8;
/** The reference's cap of the wait feature: 12 hours. */
export const MAX_WAIT = 12 * 60 * 60;
const CAP = 1.0 - 1e-5;
const ID = 'BatchScheduling-v0';

export const batchSchedulingOptions = {
  trace: opt.string('lublin-1'),
  sequenceLength: opt.int(256, { min: 1 }),
  starts: opt.intArray(null, { min: 0 }),
  backfill: opt.bool(false),
  metric: opt.oneOf<BatchMetric>('bsld', BATCH_METRICS),
  /** At most 65,536: the observation holds 8 floats per visible job. */
  queueSize: opt.int(128, { min: 1, max: 65_536 }),
  filterSjf: opt.bool(false),
  rewardBaseline: opt.oneOf<'none' | 'sjf'>('none', ['none', 'sjf']),
  onBadLine: opt.oneOf<'error' | 'skip'>('error', ['error', 'skip']),
  /** Which jobs fill the window when more than queueSize wait: 'fcfs' (the oldest) or 'rlscheduler' (the reference's SJF/smallest mix). */
  window: opt.oneOf<'fcfs' | 'rlscheduler'>('fcfs', ['fcfs', 'rlscheduler']),
};

export class BatchSchedulingEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  readonly trace: SwfTrace;
  readonly sequenceLength: number;
  readonly queueSize: number;
  readonly backfill: boolean;
  readonly metric: BatchMetric;
  readonly filterSjf: boolean;
  readonly rewardBaseline: 'none' | 'sjf';
  readonly starts: readonly number[] | null;
  readonly windowRule: 'fcfs' | 'rlscheduler';
  private readonly sim: BatchSimulator;
  private startCursor = 0;
  private window: Int32Array;
  private windowLength = 0;
  /** A queue-order action reordered the queue this episode: the FCFS window then comes from `fcfsOrder`, the queue keeps that order. */
  private ruleApplied = false;
  private readonly emptyObservation: Float32Array;
  /** The window's observation without the per-step features (wait, can-start): kept across steps. */
  private readonly windowStatic: Float32Array;
  /** Per sequence job (offset from the start): features 1–6 of its slot, computed at reset. */
  private staticFeatures = new Float32Array(0);
  private readonly sjfScores = new Map<number, number>();
  /** Per sequence job (offset from the start): its position in the queue-order action being checked. */
  private orderRank = new Float64Array(0);
  private episodeStart = 0;
  private readonly arena = new TypedArena();
  /** The sequence's offsets in FCFS order (submit time, then arrival). */
  private fcfsOrder = new Int32Array(0);
  /** The sequence start `fcfsOrder` was computed for (−1: not yet, it is needed only once a queue order is adopted). */
  private fcfsOrderStart = -1;
  private readonly windowScratch: Int32Array;
  /** With onBadLine 'skip': what loading left out, for `info.skippedLines`. */
  private readonly skipReport: SkippedLinesReport | null;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions(ID, options, batchSchedulingOptions);
    this.trace = loadTrace(o.trace, o.onBadLine);
    const st = this.trace.stats;
    this.skipReport =
      o.onBadLine === 'skip'
        ? { trace: this.trace.source, count: st.skippedBadLines, lines: st.skippedLines, examples: st.skippedExamples }
        : null;
    this.sequenceLength = o.sequenceLength;
    this.queueSize = o.queueSize;
    this.windowRule = o.window;
    this.backfill = o.backfill;
    this.metric = o.metric;
    this.filterSjf = o.filterSjf;
    this.rewardBaseline = o.rewardBaseline;
    const size = this.trace.size;
    if (o.sequenceLength > size) {
      throw new OptionError(
        'sequenceLength',
        `is ${o.sequenceLength}, longer than the trace (${size} jobs in ${this.trace.source})`,
        `an integer from 1 to ${size}`,
        ID,
      );
    }
    if (o.starts !== null) {
      if (o.starts.length === 0)
        throw new OptionError('starts', 'is an empty list', 'null (random starts) or a non-empty list of start indices', ID);
      for (const s of o.starts) this.checkStart(s, 'starts');
      if (o.filterSjf)
        throw new OptionError('filterSjf', 'is true with explicit starts', 'filterSjf only with random starts (starts: null)', ID);
    } else if (size - o.sequenceLength - 1 <= o.sequenceLength) {
      throw new OptionError(
        'sequenceLength',
        `is ${o.sequenceLength}: random starts are drawn from [sequenceLength, size − sequenceLength − 1) and the trace has only ${size} jobs`,
        `a sequenceLength below ${Math.floor((size - 1) / 2)}, or explicit starts`,
        ID,
      );
    }
    this.starts = o.starts;
    this.sim = new BatchSimulator(this.trace, this.backfill);
    this.window = new Int32Array(this.queueSize);
    this.windowScratch = new Int32Array(this.queueSize);
    this.observationSpace = new Box<Float32Array>(0, 1, [this.queueSize * JOB_FEATURES], 'float32');
    this.actionSpace = new Discrete(this.queueSize);
    this.metadata = { renderModes: ['ansi'] };
    this.emptyObservation = new Float32Array(this.queueSize * JOB_FEATURES);
    for (let k = 0; k < this.queueSize; k++) this.emptyObservation.fill(1, k * JOB_FEATURES + 1, k * JOB_FEATURES + 7);
    this.windowStatic = this.emptyObservation.slice();
  }

  /** What loading the trace did (lines, jobs kept, dropped, skipped bad lines). */
  get traceStats(): SwfLoadStats {
    return this.trace.stats;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    if (args.seed !== undefined) this.startCursor = 0;
    const requested = args.options?.start;
    for (const key of Object.keys(args.options ?? {})) {
      if (key !== 'start') throw new OptionError(key, 'is not a reset option', "'start' (a trace index)", `${ID} reset`);
    }
    let start: number;
    if (requested !== undefined) {
      if (typeof requested !== 'number' || !Number.isInteger(requested))
        throw new OptionError('start', `is ${JSON.stringify(requested)}`, 'an integer trace index', `${ID} reset`);
      start = this.checkStart(requested, 'start');
    } else if (this.starts) {
      start = this.starts[this.startCursor % this.starts.length];
      this.startCursor++;
    } else start = this.drawStart();
    this.episodeStart = start;
    this.sim.begin(start, this.sequenceLength);
    this.ruleApplied = false;
    this.computeStaticFeatures(start);
    this.fcfsOrderStart = -1;
    this.windowStatic.set(this.emptyObservation);
    this.windowLength = 0;
    const observation = this.observe();
    return { observation, info: this.withSkipReport(this.info()) };
  }

  /** `action`: a slot of the window (the action space), or a queue order (BatchQueueOrder, see Actions). */
  step(action: number | BatchQueueOrder): StepResult<Float32Array> {
    let job: number;
    if (typeof action === 'object' && action !== null && 'queueOrder' in action) job = this.adoptQueueOrder(action.queueOrder);
    else if (!Number.isInteger(action) || action < 0 || action >= this.windowLength) {
      const what =
        Number.isInteger(action) && action >= 0 && action < this.queueSize
          ? `slot ${action} is empty`
          : `${JSON.stringify(action)} is not in Discrete(${this.queueSize})`;
      throw new InvalidActionError(
        `${ID}: action ${what}; accepted: the slot of a visible job, 0 to ${this.windowLength - 1} (see info.actionMask), or {queueOrder: every queued job once}`,
      );
    } else job = this.window[action];
    const done = this.sim.commit(job);
    if (!done) return { observation: this.observe(), reward: 0, terminated: false, truncated: false, info: this.info() };
    const metrics = this.sim.metrics();
    const value = metrics[this.metric];
    this.updateWindow([], 0);
    const info = this.withSkipReport(this.info());
    info.metrics = { ...metrics, decisions: this.sim.decisions };
    const higher = HIGHER_IS_BETTER.has(this.metric);
    const score = higher ? value : -value;
    let reward = score;
    if (this.rewardBaseline === 'sjf') {
      const baseline = this.sjfScore(this.episodeStart);
      info.rewardBaseline = baseline;
      reward = score - (higher ? baseline : -baseline);
    }
    return { observation: this.emptyObservation.slice(), reward, terminated: true, truncated: false, info };
  }

  override actionMasks(): Uint8Array {
    const mask = this.arena.uint8(this.queueSize);
    mask.fill(1, 0, this.windowLength);
    return mask;
  }

  override render(): string {
    const s = this.sim;
    return `t=${s.now} free nodes ${s.freeNodes}/${this.trace.maxNodes} queued ${s.queueLength} running ${s.runningLength} started ${s.started}/${s.end - s.start}`;
  }

  /** The average SJF `metric` of the sequence from `start` (the filterSjf score), cached per start. */
  sjfScore(start: number): number {
    let score = this.sjfScores.get(start);
    if (score === undefined) {
      const sim = new BatchSimulator(this.trace, this.backfill);
      sim.begin(start, this.sequenceLength);
      const sjf = PRIORITY_RULES.sjf;
      do sim.applyRule(sjf);
      while (!sim.commit(sim.queue[0]));
      score = sim.metrics()[this.metric];
      this.sjfScores.set(start, score);
    }
    return score;
  }

  /**
   * Checks a queue-order action (every queued job exactly once), makes it the simulator's queue order
   * (the queue applyRule leaves for the rule that ranked it) and returns its first job.
   */
  private adoptQueueOrder(order: ArrayLike<number>): number {
    const sim = this.sim;
    const n = sim.queueLength;
    const bad = (problem: string) =>
      new InvalidActionError(
        `${ID}: action.queueOrder ${problem}; accepted: the trace indices of every queued job (info.batch.queue), each once, in the order to run them`,
      );
    if (sim.done || n === 0) throw bad('given with no job queued (the episode has ended; reset first)');
    if (order === null || typeof order !== 'object' || typeof order.length !== 'number')
      throw bad(`is ${JSON.stringify(order)}, not an array`);
    if (order.length !== n) throw bad(`lists ${order.length} jobs, but ${n} are queued`);
    if (this.orderRank.length < this.sequenceLength) this.orderRank = new Float64Array(this.sequenceLength);
    const rank = this.orderRank;
    const s0 = sim.start;
    for (let i = 0; i < n; i++) rank[sim.queue[i] - s0] = -1;
    for (let i = 0; i < n; i++) {
      const j = order[i];
      const off = Number.isInteger(j) ? j - s0 : -1;
      if (off < 0 || off >= this.sequenceLength || sim.startTime[off] >= 0 || j >= sim.nextArrival)
        throw bad(`has ${JSON.stringify(j)} at position ${i}, not a queued job`);
      if (rank[off] !== -1) throw bad(`has job ${j} twice`);
      rank[off] = i;
    }
    sim.setQueueOrder(order);
    this.ruleApplied = true;
    return sim.queue[0];
  }

  private drawStart(): number {
    const lo = this.sequenceLength;
    const hi = this.trace.size - this.sequenceLength - 1;
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const start = this.npRandom.integers(lo, hi);
      if (!this.filterSjf) return start;
      const score = this.sjfScore(start);
      if (score > 10 && score < 150) return start;
    }
    throw new SchedlabError(
      `${ID}: filterSjf found no sequence whose SJF ${this.metric} lies in (10, 150) after 100000 draws on ${this.trace.source}; turn filterSjf off for this trace`,
    );
  }

  private checkStart(s: number, option: string): number {
    const size = this.trace.size;
    if (s >= size)
      throw new OptionError(
        option,
        `has start index ${s}, beyond the trace (${size} jobs, indices 0 to ${size - 1})`,
        `indices from 0 to ${size - this.sequenceLength}`,
        ID,
      );
    if (s + this.sequenceLength > size) {
      throw new OptionError(
        option,
        `has start index ${s}: a sequence of ${this.sequenceLength} jobs from there is longer than the trace (${size} jobs)`,
        `indices from 0 to ${size - this.sequenceLength}`,
        ID,
      );
    }
    return s;
  }

  private computeStaticFeatures(start: number): void {
    const n = this.sequenceLength;
    if (this.staticFeatures.length < n * JOB_FEATURES) this.staticFeatures = new Float32Array(n * JOB_FEATURES);
    const t = this.trace;
    const f = this.staticFeatures;
    for (let k = 0; k < n; k++) {
      const j = start + k;
      const o = k * JOB_FEATURES;
      f[o + 1] = capped(t.requestTime[j], t.norm.maxRunTime);
      f[o + 2] = capped(t.procs[j], t.maxProcs);
      f[o + 3] = t.requestMemory[j] === -1 ? 1 : capped(t.requestMemory[j], t.norm.maxRequestMemory);
      f[o + 4] = t.userId[j] === -1 ? 1 : capped(t.userId[j], t.norm.maxUserId);
      f[o + 5] = t.groupId[j] === -1 ? 1 : capped(t.groupId[j], t.norm.maxGroupId);
      f[o + 6] = t.executable[j] === -1 ? 1 : capped(t.executable[j], t.norm.maxExecutable);
    }
  }

  private computeFcfsOrder(start: number): void {
    const n = this.sequenceLength;
    const submit = this.trace.submit;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => submit[start + a] - submit[start + b] || a - b);
    this.fcfsOrder = Int32Array.from(order);
    this.fcfsOrderStart = start;
  }

  /** Fills the window (first queueSize jobs in FCFS order) and builds its observation. */
  private observe(): Float32Array {
    const sim = this.sim;
    const k = Math.min(sim.queueLength, this.queueSize);
    if (this.windowRule === 'rlscheduler' && !this.ruleApplied && sim.queueLength > this.queueSize) {
      sim.sortQueueFcfs();
      this.updateWindow(this.rlschedulerWindow(), k);
    } else if (!this.ruleApplied || sim.queueIsFcfsOrdered()) {
      sim.sortQueueFcfs(); // as the reference, in place
      this.updateWindow(sim.queue, k);
    } else {
      // A heuristic ordered the queue by its rule: keep that order for it and take the FCFS window from
      // the sequence's (submit, arrival) order, skipping jobs not queued. No sort per step.
      if (this.fcfsOrderStart !== sim.start) this.computeFcfsOrder(sim.start);
      const order = this.fcfsOrder;
      const picked = this.windowScratch;
      const s0 = sim.start;
      const arrived = sim.nextArrival - s0;
      let n = 0;
      for (let i = 0; i < order.length && n < k; i++) {
        const off = order[i];
        if (off < arrived && sim.startTime[off] < 0) picked[n++] = s0 + off;
      }
      this.updateWindow(picked, k);
    }
    return this.buildObservation();
  }

  /**
   * The reference's window when more than queueSize jobs wait (HPCSimPickJobs.build_observation): the
   * queue, in submit order, is sorted in place, in turn, by F1, F2, SJF (r, s) and smallest (n, s), each
   * sort stable over the previous order; the first queueSize of the SJF order and of the smallest order
   * are kept, and the slots are filled alternately (SJF i, then smallest i), skipping jobs already placed.
   * The queue is left in the smallest order, as the reference leaves it (its backfilling scans that order).
   */
  private rlschedulerWindow(): Int32Array {
    const sim = this.sim;
    const size = this.queueSize;
    sim.applyRule(PRIORITY_RULES.f1);
    sim.applyRule(PRIORITY_RULES.f2);
    sim.applyRule(PRIORITY_RULES.sjf);
    const sjf = sim.queue.slice(0, size);
    sim.applyRule(PRIORITY_RULES.saf);
    const smallest = sim.queue.slice(0, size);
    const picked = this.windowScratch;
    const placed = new Set<number>();
    let n = 0;
    for (let i = 0; i < size && n < size; i++) {
      for (const j of [sjf[i], smallest[i]]) {
        if (n < size && !placed.has(j)) {
          placed.add(j);
          picked[n++] = j;
        }
      }
    }
    return picked;
  }

  /**
   * Makes the window the first `k` jobs of `jobs`, updating the window's static features incrementally:
   * jobs still visible keep their features (moved left in blocks past the jobs that started), only new
   * jobs are written. Falls back to writing the rest when the order changed.
   */
  private updateWindow(jobs: ArrayLike<number>, k: number): void {
    const win = this.window;
    const ws = this.windowStatic;
    const oldK = this.windowLength;
    const started = this.sim.startTime;
    const s0 = this.sim.start;
    let w = 0;
    let i = 0;
    let runFrom = 0;
    let runTo = 0;
    let runLength = 0;
    const flush = () => {
      if (runLength > 0 && runFrom !== runTo) {
        ws.copyWithin(runTo * JOB_FEATURES, runFrom * JOB_FEATURES, (runFrom + runLength) * JOB_FEATURES);
        win.copyWithin(runTo, runFrom, runFrom + runLength);
      }
      runLength = 0;
    };
    while (w < k && i < oldK) {
      const old = win[i];
      if (old === jobs[w]) {
        if (runLength > 0 && runFrom + runLength === i && runTo + runLength === w) runLength++;
        else {
          flush();
          runFrom = i;
          runTo = w;
          runLength = 1;
        }
        w++;
        i++;
      } else if (started[old - s0] >= 0)
        i++; // it left the queue
      else break; // the order changed: write the rest
    }
    flush();
    const f = this.staticFeatures;
    for (; w < k; w++) {
      const j = jobs[w];
      win[w] = j;
      const o = w * JOB_FEATURES;
      const so = (j - s0) * JOB_FEATURES;
      for (let m = 1; m < 7; m++) ws[o + m] = f[so + m];
    }
    if (k < oldK) ws.set(this.emptyObservation.subarray(k * JOB_FEATURES, oldK * JOB_FEATURES), k * JOB_FEATURES);
    this.windowLength = k;
  }

  private buildObservation(): Float32Array {
    const obs = this.arena.float32(this.windowStatic.length);
    obs.set(this.windowStatic);
    const t = this.trace;
    const sim = this.sim;
    const now = sim.now;
    const free = sim.freeNodes;
    const win = this.window;
    for (let slot = 0, o = 0; slot < this.windowLength; slot++, o += JOB_FEATURES) {
      const j = win[slot];
      obs[o] = Math.min((now - t.submit[j]) / MAX_WAIT, CAP);
      obs[o + 7] = t.nodes[j] <= free ? CAP : 1e-5;
    }
    return obs;
  }

  private info(): Info {
    return { actionMask: this.actionMasks(), batch: this.view() };
  }

  private withSkipReport(info: Info): Info {
    const r = this.skipReport;
    if (r) info.skippedLines = { ...r, lines: [...r.lines], examples: [...r.examples] } satisfies SkippedLinesReport;
    return info;
  }

  /** The state view: a frozen snapshot, its arrays copies (queue-view.ts). */
  private view(): BatchQueueView {
    const sim = this.sim;
    const queue = this.arena.int32(sim.queueLength);
    queue.set(sim.queue.subarray(0, sim.queueLength));
    const window = this.arena.int32(this.windowLength);
    window.set(this.window.subarray(0, this.windowLength));
    return Object.freeze({
      trace: this.trace,
      now: sim.now,
      freeNodes: sim.freeNodes,
      queueLength: sim.queueLength,
      sequenceStart: this.episodeStart,
      queue,
      window,
    });
  }
}

/** `info.skippedLines` (onBadLine: 'skip'): the malformed trace lines loading left out. */
export interface SkippedLinesReport {
  /** The trace file. */
  trace: string;
  /** How many lines were skipped. */
  count: number;
  /** The first few (up to 5) skipped line numbers, 1-based. */
  lines: number[];
  /** Their problems, `line N, field F: …`. */
  examples: string[];
}

/** min(v / max, 1 − 1e-5), as the reference; a zero maximum (every value 0) gives 0. */
function capped(v: number, max: number): number {
  return max > 0 ? Math.min(v / max, CAP) : 0;
}

export type { BatchMetrics };
