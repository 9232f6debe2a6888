/**
 * The request-level discrete-event simulation: Poisson arrivals at the interval's rate, exponential
 * service times at μ per replica, one FIFO queue of at most `queueCapacity` waiting requests (arrivals
 * beyond it are dropped), and as many requests in service as there are ready replicas. A replica removed
 * while serving finishes its request (graceful termination) and takes no new one. The check on the
 * analytic model: both agree where M/M/c holds (tested).
 */
import type { Rng } from '../core/rng.js';
import type { IntervalStats, ServiceModel } from './service-model.js';
import { quantileSorted } from './quantile.js';

/** A binary min-heap of (completion time, arrival time) pairs, in two parallel arrays. */
class CompletionHeap {
  private times: number[] = [];
  private arrivals: number[] = [];

  get size(): number {
    return this.times.length;
  }

  get topTime(): number {
    return this.times.length ? this.times[0] : Infinity;
  }

  push(time: number, arrival: number): void {
    const t = this.times;
    const a = this.arrivals;
    let i = t.length;
    t.push(time);
    a.push(arrival);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      a[i] = a[p];
      i = p;
    }
    t[i] = time;
    a[i] = arrival;
  }

  /** Removes the earliest completion and returns its arrival time. */
  pop(): number {
    const t = this.times;
    const a = this.arrivals;
    const arrival = a[0];
    const lastT = t.pop()!;
    const lastA = a.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && t[r] < t[l] ? r : l;
        if (t[m] >= lastT) break;
        t[i] = t[m];
        a[i] = a[m];
        i = m;
      }
      t[i] = lastT;
      a[i] = lastA;
    }
    return arrival;
  }
}

export class DesModel implements ServiceModel {
  private rng!: Rng;
  private heap = new CompletionHeap();
  /** Arrival times of waiting requests; `head` is the first still waiting. */
  private queue: number[] = [];
  private head = 0;
  private busy = 0;
  private now = 0;
  private intervalLatencies: number[] = [];
  private episodeLatencies: number[] = [];
  private arrivals = 0;
  private dropped = 0;
  private busyTime = 0;
  private readyTime = 0;

  constructor(
    private readonly mu: number,
    private readonly queueCapacity: number,
    private readonly percentile: number,
  ) {}

  reset(rng: Rng): void {
    this.rng = rng;
    this.heap = new CompletionHeap();
    this.queue = [];
    this.head = 0;
    this.busy = 0;
    this.now = 0;
    this.episodeLatencies = [];
    this.startInterval();
  }

  private get waiting(): number {
    return this.queue.length - this.head;
  }

  private startService(arrival: number): void {
    this.busy++;
    this.heap.push(this.now + this.rng.exponential(this.mu), arrival);
  }

  /** Moves the clock to `t`, integrating the busy time of ready replicas. */
  private advance(t: number, ready: number): void {
    this.busyTime += Math.min(this.busy, ready) * (t - this.now);
    this.now = t;
  }

  startEpisode(): void {
    this.episodeLatencies = [];
  }

  runSegment(t0: number, t1: number, lambda: number, ready: number): void {
    this.now = t0;
    this.readyTime += ready * (t1 - t0);
    // Replicas that just became ready take waiting requests.
    while (this.busy < ready && this.waiting > 0) this.startService(this.queue[this.head++]);
    // Exponential inter-arrivals are memoryless, so a fresh draw at each segment start is exact.
    let nextArrival = lambda > 0 ? t0 + this.rng.exponential(lambda) : Infinity;
    for (;;) {
      const nextCompletion = this.heap.topTime;
      const t = Math.min(nextArrival, nextCompletion);
      if (t >= t1) break;
      this.advance(t, ready);
      if (nextCompletion <= nextArrival) {
        const arrival = this.heap.pop();
        this.busy--;
        this.intervalLatencies.push(t - arrival);
        if (this.busy < ready && this.waiting > 0) this.startService(this.queue[this.head++]);
      } else {
        this.arrivals++;
        if (this.busy < ready) this.startService(t);
        else if (this.waiting < this.queueCapacity) this.queue.push(t);
        else this.dropped++;
        nextArrival = t + this.rng.exponential(lambda);
      }
    }
    this.advance(t1, ready);
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  endInterval(): IntervalStats {
    const lat = this.intervalLatencies;
    let sum = 0;
    for (const x of lat) sum += x;
    for (const x of lat) this.episodeLatencies.push(x);
    const sorted = Float64Array.from(lat).sort();
    const stats: IntervalStats = {
      arrivals: this.arrivals,
      served: lat.length,
      dropped: this.dropped,
      meanLatency: lat.length ? sum / lat.length : 0,
      latencyPercentile: lat.length ? quantileSorted(sorted, this.percentile) : 0,
      utilization: this.readyTime > 0 ? Math.min(1, this.busyTime / this.readyTime) : 0,
      queueLength: this.waiting,
    };
    this.startInterval();
    return stats;
  }

  episodeLatency(q: number): { mean: number; percentile: number } {
    const all = Float64Array.from(this.episodeLatencies);
    if (all.length === 0) return { mean: 0, percentile: 0 };
    let sum = 0;
    for (const x of all) sum += x;
    return { mean: sum / all.length, percentile: quantileSorted(all.sort(), q) };
  }

  private startInterval(): void {
    this.intervalLatencies = [];
    this.arrivals = 0;
    this.dropped = 0;
    this.busyTime = 0;
    this.readyTime = 0;
  }
}
