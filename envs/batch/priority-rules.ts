/**
 * Priority rules for batch scheduling: a score per queued job, the lowest runs next; a second key
 * breaks ties (SJF: requested time, then submit time). A rule ranks the whole queue with a stable sort
 * (`rankByRule`), so equal scores keep the queue's current order, as RLScheduler's heuristics do
 * (HPCSimPickJobs.py sorts its job queue in place with Python's stable sort:
 * https://github.com/DIR-LAB/deep-batch-scheduler). s = submit time, r = requested time, n = processors,
 * w = now − s.
 *
 * `wfp3` and `unicep` are the textbook scores; `wfp3-compat` and `unicep-compat` are RLScheduler's code,
 * which computes w as (scheduled time − s) with the scheduled time of a queued job being −1, and adds 1e-15
 * to w and to n inside log2; its published WFP3/UNICEP columns come from those.
 */
import type { ReadonlySwfTrace } from './queue-view.js';

export interface PriorityRule {
  readonly name: string;
  readonly description: string;
  /** The primary score of trace job `j` at time `now`; lower runs first. */
  primary(t: ReadonlySwfTrace, j: number, now: number): number;
  /** The tie-break score, when the rule has one. */
  secondary?(t: ReadonlySwfTrace, j: number): number;
}

/** log10 with the reference's guard: a non-positive value counts as 0.1. */
function log10g(x: number): number {
  return Math.log10(x > 0 ? x : 0.1);
}

const submitTime = (t: ReadonlySwfTrace, j: number): number => t.submit[j];

export const PRIORITY_RULES: Readonly<Record<string, PriorityRule>> = {
  fcfs: { name: 'fcfs', description: 'first come, first served: s', primary: (t, j) => t.submit[j] },
  sjf: {
    name: 'sjf',
    description: 'shortest (requested) job first: (r, then s)',
    primary: (t, j) => t.requestTime[j],
    secondary: submitTime,
  },
  saf: { name: 'saf', description: 'smallest (processors) first: (n, then s)', primary: (t, j) => t.procs[j], secondary: submitTime },
  f1: {
    name: 'f1',
    description: 'F1 (Carastan-Santos & de Camargo 2017): log10(r)·n + 870·log10(s)',
    primary: (t, j) => log10g(t.requestTime[j]) * t.procs[j] + 870 * log10g(t.submit[j]),
  },
  f2: {
    name: 'f2',
    description: 'F2: sqrt(r)·n + 25600·log10(s)',
    primary: (t, j) => Math.sqrt(t.requestTime[j]) * t.procs[j] + 25600 * log10g(t.submit[j]),
  },
  f3: {
    name: 'f3',
    description: 'F3: r·n + 6.86e6·log10(s)',
    primary: (t, j) => t.requestTime[j] * t.procs[j] + 6860000 * log10g(t.submit[j]),
  },
  f4: {
    name: 'f4',
    description: 'F4: r·sqrt(n) + 5.3e5·log10(s)',
    primary: (t, j) => t.requestTime[j] * Math.sqrt(t.procs[j]) + 530000 * log10g(t.submit[j]),
  },
  wfp3: {
    name: 'wfp3',
    description: 'WFP3 (Tang et al. 2009): −(w / r)^3 · n',
    primary: (t, j, now) => -Math.pow((now - t.submit[j]) / t.requestTime[j], 3) * t.procs[j],
  },
  unicep: {
    name: 'unicep',
    description:
      'UNICEP (Tang et al. 2009): −w / (log2(n) · r); a 1-processor job that has waited scores −∞ (runs first), one that has not scores 0',
    primary: (t, j, now) => {
      const w = now - t.submit[j];
      return w === 0 ? 0 : -w / (Math.log2(t.procs[j]) * t.requestTime[j]);
    },
  },
  'wfp3-compat': {
    name: 'wfp3-compat',
    description: "RLScheduler's WFP3 code: w = −1 − s (the queued job's scheduled time is −1)",
    primary: (t, j) => -Math.pow((-1 - t.submit[j]) / t.requestTime[j], 3) * t.procs[j],
  },
  'unicep-compat': {
    name: 'unicep-compat',
    description: "RLScheduler's UNICEP code: −(w + 1e-15) / (log2(n + 1e-15) · r), w = −1 − s",
    primary: (t, j) => -(-1 - t.submit[j] + 1e-15) / (Math.log2(t.procs[j] + 1e-15) * t.requestTime[j]),
  },
};

export function priorityRuleNames(): string[] {
  return Object.keys(PRIORITY_RULES);
}

/** Score order: lower first; NaN after every number (as BatchSimulator sorts). */
export function compareScores(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
}

/** Reusable buffers for rankByRule (a heuristic keeps one across decisions). */
export class RankScratch {
  a = new Float64Array(0);
  b = new Float64Array(0);
  readonly perm: number[] = [];
}

/**
 * `jobs` (trace indices) sorted stably by `rule` at time `now`: by the primary score, then the secondary,
 * equal keys keeping their order in `jobs`; the order BatchSimulator.applyRule gives its queue.
 */
export function rankByRule(
  rule: PriorityRule,
  trace: ReadonlySwfTrace,
  jobs: ArrayLike<number>,
  now: number,
  scratch = new RankScratch(),
): Int32Array {
  const n = jobs.length;
  if (scratch.a.length < n) {
    scratch.a = new Float64Array(Math.max(n, 2 * scratch.a.length));
    scratch.b = new Float64Array(scratch.a.length);
  }
  const { a, b, perm } = scratch;
  perm.length = n;
  for (let i = 0; i < n; i++) {
    a[i] = rule.primary(trace, jobs[i], now);
    b[i] = rule.secondary ? rule.secondary(trace, jobs[i]) : 0;
    perm[i] = i;
  }
  perm.sort((x, y) => compareScores(a[x], a[y]) || compareScores(b[x], b[y]));
  const ranked = new Int32Array(n);
  for (let i = 0; i < n; i++) ranked[i] = jobs[perm[i]];
  return ranked;
}
