/**
 * The machine model of RLScheduler (Zhang et al., SC 2020; HPCSimPickJobs.py in
 * https://github.com/DIR-LAB/deep-batch-scheduler): a cluster of N identical nodes, a queue kept in place as one list, running jobs kept as one list, and
 * event-by-event time. Typed arrays throughout; nothing is allocated per decision.
 *
 * - `commit(j)` runs the picked job next: nothing else starts before it. If it does not fit, time
 *   advances event by event until it does; with backfilling, a reservation is computed once (running
 *   jobs sorted by start + requested time, walked until the job would fit) and, before every event, the
 *   queue in FCFS order starts each job that fits now and ends (by its request) strictly before it.
 * - An event: the earliest actual finish r of the running jobs; the next job of the sequence arrives if
 *   its submit time is <= r, else that running job finishes and frees its nodes (at its actual run time).
 * - After a start, an empty queue advances events until a job arrives; an empty queue with no job left
 *   to arrive ends the episode, at the last start.
 * The running list is sorted stably, in place, as the reference does before every event (by actual
 * finish) and for the reservation (by requested finish), so ties resolve in the same order.
 */
import type { PriorityRule } from './priority-rules.js';
import type { SwfTrace } from './swf-trace.js';

export interface BatchMetrics {
  [name: string]: number;
  bsld: number;
  wait: number;
  turnaround: number;
  slowdown: number;
  /** Busy processor-time / (P · (last finish − first submit)): the fraction of the machine used, in [0, 1]. */
  utilization: number;
  /** RLScheduler's figure: Σ run·procs / ((last start − first submit) · P); not bounded by 1 (the episode ends at the last start). */
  rlschedulerUtilization: number;
}

export class BatchSimulator {
  readonly trace: SwfTrace;
  readonly backfill: boolean;
  /** Index of the first job of the sequence and one past its last. */
  start = 0;
  end = 0;
  /** Next job of the sequence to arrive. */
  nextArrival = 0;
  now = 0;
  freeNodes = 0;
  /** The queue, in its current order (trace job indices). */
  queue: Int32Array;
  queueLength = 0;
  /** The running jobs, in the reference's list order. */
  running: Int32Array;
  runningLength = 0;
  /** Start time of each job of the sequence, by offset from `start` (−1 = not started). */
  startTime: Float64Array;
  /** Jobs in the order they started. */
  order: Int32Array;
  started = 0;
  done = false;
  /** How many decisions (commits) this episode took. */
  decisions = 0;
  private runningSortedByFinish = true;
  /** Known to be in FCFS order (arrivals in submit order keep it; a rule sort may break it). */
  private queueSortedFcfs = true;
  /** The job that arrived in the last event, or −1 when the last event was a finish. */
  private lastArrival = -1;
  private capacity = 0;
  private keyA = new Float64Array(0);
  private keyB = new Float64Array(0);
  private perm: number[] = [];
  private scratch = new Int32Array(0);
  private runKey = new Float64Array(0);

  constructor(trace: SwfTrace, backfill: boolean) {
    this.trace = trace;
    this.backfill = backfill;
    this.queue = new Int32Array(0);
    this.running = new Int32Array(0);
    this.startTime = new Float64Array(0);
    this.order = new Int32Array(0);
  }

  /** Starts the sequence of `n` jobs from trace index `start`: empty cluster, time = its submit time, the queue holds it. */
  begin(start: number, n: number): void {
    if (n > this.capacity) {
      this.capacity = n;
      this.queue = new Int32Array(n);
      this.running = new Int32Array(n);
      this.startTime = new Float64Array(n);
      this.order = new Int32Array(n);
      this.keyA = new Float64Array(n);
      this.keyB = new Float64Array(n);
      this.scratch = new Int32Array(n);
      this.runKey = new Float64Array(n);
    }
    this.start = start;
    this.end = start + n;
    this.startTime.fill(-1, 0, n);
    this.freeNodes = this.trace.maxNodes;
    this.runningLength = 0;
    this.runningSortedByFinish = true;
    this.queueSortedFcfs = true;
    this.started = 0;
    this.decisions = 0;
    this.done = false;
    this.now = this.trace.submit[start];
    this.queue[0] = start;
    this.queueLength = 1;
    this.nextArrival = start + 1;
  }

  canStart(j: number): boolean {
    return this.trace.nodes[j] <= this.freeNodes;
  }

  /** Runs job `j` (which must be queued) next; returns true when the episode has ended. */
  commit(j: number): boolean {
    this.decisions++;
    if (this.trace.nodes[j] > this.freeNodes) {
      if (this.backfill) this.backfillUntilFits(j);
      else while (this.trace.nodes[j] > this.freeNodes) this.advance();
    }
    this.startJob(j);
    this.removeFromQueue(j);
    return (this.done = this.moveForwardForJob());
  }

  /** Sorts the queue stably, in place, by the rule's score (lowest first) at the current time. */
  applyRule(rule: PriorityRule): void {
    const n = this.queueLength;
    if (n < 2) return;
    const t = this.trace;
    const a = this.keyA;
    const b = this.keyB;
    for (let i = 0; i < n; i++) {
      const j = this.queue[i];
      a[i] = rule.primary(t, j, this.now);
      b[i] = rule.secondary ? rule.secondary(t, j) : 0;
    }
    this.sortQueueBy(a, b);
    this.queueSortedFcfs = false;
  }

  /**
   * Puts the queue in `order`, a permutation of it (the caller checks): what applyRule leaves for a rule
   * that ranks the jobs in that order.
   */
  setQueueOrder(order: ArrayLike<number>): void {
    const n = this.queueLength;
    if (n < 2) return;
    for (let i = 0; i < n; i++) this.queue[i] = order[i];
    this.queueSortedFcfs = false;
  }

  /** Sorts the queue stably, in place, by submit time (FCFS). */
  sortQueueFcfs(): void {
    if (this.queueIsFcfsOrdered()) return;
    const n = this.queueLength;
    const q = this.queue;
    const s = this.trace.submit;
    for (let i = 0; i < n; i++) {
      this.keyA[i] = s[q[i]];
      this.keyB[i] = 0;
    }
    this.sortQueueBy(this.keyA, this.keyB);
    this.queueSortedFcfs = true;
  }

  /** True when the queue is in FCFS order (stable by submit time). */
  queueIsFcfsOrdered(): boolean {
    if (this.queueSortedFcfs) return true;
    const q = this.queue;
    const s = this.trace.submit;
    for (let i = 1; i < this.queueLength; i++) if (s[q[i]] < s[q[i - 1]]) return false;
    return (this.queueSortedFcfs = true);
  }

  /** Per-job metrics averaged over the sequence, summed in start order as the reference does. */
  metrics(): BatchMetrics {
    const t = this.trace;
    const n = this.end - this.start;
    let bsld = 0;
    let wait = 0;
    let turnaround = 0;
    let slowdown = 0;
    let negWork = 0;
    let work = 0;
    let lastFinish = t.submit[this.start];
    const span = (this.now - t.submit[this.start]) * t.maxProcs;
    for (let k = 0; k < this.started; k++) {
      const j = this.order[k];
      const run = t.runTime[j];
      const w = this.startTime[j - this.start] - t.submit[j];
      bsld += Math.max(1.0, (w + run) / Math.max(run, 10)) / n;
      wait += w / n;
      turnaround += (w + run) / n;
      slowdown += (w + run) / run / n;
      negWork += -(run * t.procs[j]) / span;
      work += run * t.procs[j];
      const finish = this.startTime[j - this.start] + run;
      if (finish > lastFinish) lastFinish = finish;
    }
    const busySpan = (lastFinish - t.submit[this.start]) * t.maxProcs;
    return {
      bsld,
      wait,
      turnaround,
      slowdown,
      utilization: busySpan > 0 ? work / busySpan : NaN,
      rlschedulerUtilization: span > 0 ? -negWork : NaN,
    };
  }

  // ---- events ----

  private startJob(j: number): void {
    const t = this.trace;
    this.startTime[j - this.start] = this.now;
    this.freeNodes -= t.nodes[j];
    const r = this.runningLength;
    if (r > 0 && this.runningSortedByFinish) {
      const last = this.running[r - 1];
      if (t.runTime[j] + this.now < this.startTime[last - this.start] + t.runTime[last]) this.runningSortedByFinish = false;
    }
    this.running[r] = j;
    this.runningLength = r + 1;
    this.order[this.started++] = j;
  }

  private removeFromQueue(j: number): void {
    const q = this.queue;
    const n = this.queueLength;
    let i = 0;
    while (i < n && q[i] !== j) i++;
    if (i === n) throw new Error(`BatchSimulator: job ${j} is not queued`); // a bug, not a user error
    q.copyWithin(i, i + 1, n);
    this.queueLength = n - 1;
  }

  private arrive(): void {
    const j = this.nextArrival++;
    const s = this.trace.submit[j];
    if (s > this.now) this.now = s;
    if (this.queueLength > 0 && s < this.trace.submit[this.queue[this.queueLength - 1]]) this.queueSortedFcfs = false;
    this.queue[this.queueLength++] = j;
  }

  /** Stable in-place sort of the running list by actual finish (start + run time). */
  private sortRunningByFinish(): void {
    if (this.runningSortedByFinish) return;
    this.sortRunning(this.trace.runTime);
    this.runningSortedByFinish = true;
  }

  /** Stable insertion sort of the running list by start + `duration` (the list is nearly sorted in practice). */
  private sortRunning(duration: Float64Array): void {
    const r = this.running;
    const n = this.runningLength;
    const key = this.runKey;
    const st = this.startTime;
    const s0 = this.start;
    for (let i = 0; i < n; i++) key[i] = st[r[i] - s0] + duration[r[i]];
    for (let i = 1; i < n; i++) {
      const j = r[i];
      const k = key[i];
      let p = i - 1;
      while (p >= 0 && key[p] > k) {
        r[p + 1] = r[p];
        key[p + 1] = key[p];
        p--;
      }
      r[p + 1] = j;
      key[p + 1] = k;
    }
  }

  /** One event: the next arrival if it comes no later than the earliest finish, else that finish. */
  private advance(): void {
    this.sortRunningByFinish();
    const t = this.trace;
    const first = this.running[0];
    const finish = this.startTime[first - this.start] + t.runTime[first];
    if (this.nextArrival < this.end && t.submit[this.nextArrival] <= finish) {
      this.lastArrival = this.nextArrival;
      this.arrive();
    } else {
      this.lastArrival = -1;
      if (finish > this.now) this.now = finish;
      this.freeNodes += t.nodes[first];
      this.running.copyWithin(0, 1, this.runningLength);
      this.runningLength--;
    }
  }

  /** Returns true when the queue is empty and no job is left to arrive (the episode ends). */
  private moveForwardForJob(): boolean {
    if (this.queueLength > 0) return false;
    if (this.nextArrival >= this.end) return true;
    while (this.queueLength === 0) {
      if (this.runningLength === 0) {
        this.arrive();
        break;
      }
      this.advance();
    }
    return false;
  }

  private backfillUntilFits(j: number): void {
    const t = this.trace;
    const ppn = t.procsPerNode;
    // The reservation, computed once: running jobs by requested finish, walked until j would fit.
    const st = this.startTime;
    const s0 = this.start;
    this.sortRunning(t.requestTime);
    this.runningSortedByFinish = false;
    let free = this.freeNodes * ppn;
    let reservation = this.now;
    for (let i = 0; i < this.runningLength; i++) {
      const r = this.running[i];
      free += t.nodes[r] * ppn;
      reservation = st[r - s0] + t.requestTime[r];
      if (free >= t.procs[j]) break;
    }
    let fullScan = true;
    while (t.nodes[j] > this.freeNodes) {
      this.sortQueueFcfs();
      if (fullScan) {
        const q = this.queue;
        let w = 0;
        for (let i = 0; i < this.queueLength; i++) {
          const b = q[i];
          if (t.nodes[b] <= this.freeNodes && this.now + t.requestTime[b] < reservation) this.startJob(b);
          else q[w++] = b;
        }
        this.queueLength = w;
      } else {
        // Only an arrival happened since the last scan: no node was freed and time did not go back, so
        // every job that failed then fails now; only the new job can start (the same result as a scan).
        const b = this.lastArrival;
        if (t.nodes[b] <= this.freeNodes && this.now + t.requestTime[b] < reservation) {
          this.startJob(b);
          this.removeFromQueue(b);
        }
      }
      this.advance();
      fullScan = this.lastArrival < 0;
    }
  }

  /** Stable sort of the queue's first `queueLength` entries by (a, b) at their positions; NaN sorts last. */
  private sortQueueBy(a: Float64Array, b: Float64Array): void {
    const n = this.queueLength;
    const q = this.queue;
    const perm = this.perm;
    perm.length = n;
    for (let i = 0; i < n; i++) perm[i] = i;
    perm.sort((x, y) => cmp(a[x], a[y]) || cmp(b[x], b[y]));
    const tmp = this.scratch;
    for (let i = 0; i < n; i++) tmp[i] = q[perm[i]];
    q.set(tmp.subarray(0, n));
  }
}

function cmp(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  // NaN: after every number.
  return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
}
