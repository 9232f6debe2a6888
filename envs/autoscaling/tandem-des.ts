/**
 * The request-level discrete-event simulation of a tandem of replicated services (a chain): Poisson
 * arrivals at the first service, exponential service times at each service's μ per replica, and at each
 * service one FIFO queue of at most its `queueCapacity` waiting requests (arrivals beyond it are dropped,
 * wherever in the chain) and as many requests in service as it has ready replicas. A request that
 * finishes at service i joins service i + 1 at once; its end-to-end latency is the time from its arrival
 * at the first service to its completion at the last. A replica removed while serving finishes its
 * request (graceful termination) and takes no new one. With one service it is the M/M/c DES of
 * Autoscaling-v0 (the one-service chain).
 */
import type { Rng } from '../../core/rng.js';
import { CompletionHeap } from './completion-heap.js';
import { quantileSorted } from './quantile.js';
import type { ChainModel, EndToEndStats, StationStats } from './service-model.js';

export interface StationSpec {
  /** Service rate of one replica (requests/s). */
  mu: number;
  queueCapacity: number;
}

/** One service of the tandem: its queue, requests in service and interval counters. */
class Station {
  readonly heap = new CompletionHeap();
  /** Entry times of waiting requests; `head` is the first still waiting. */
  queue: number[] = [];
  head = 0;
  busy = 0;
  /** The time up to which busy time is integrated. */
  now = 0;
  ready = 0;
  arrivals = 0;
  dropped = 0;
  busyTime = 0;
  readyTime = 0;

  constructor(readonly spec: StationSpec) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Moves the station's clock to `t`, integrating the busy time of ready replicas. */
  advance(t: number): void {
    this.busyTime += Math.min(this.busy, this.ready) * (t - this.now);
    this.now = t;
  }

  startService(entry: number, rng: Rng): void {
    this.busy++;
    this.heap.push(this.now + rng.exponential(this.spec.mu), entry);
  }

  /** A request (entered the chain at `entry`) arrives at the station's clock time. */
  arrive(entry: number, rng: Rng): void {
    this.arrivals++;
    if (this.busy < this.ready) this.startService(entry, rng);
    else if (this.waiting < this.spec.queueCapacity) this.queue.push(entry);
    else this.dropped++;
  }

  /** The earliest completion leaves; a free ready replica takes the next waiting request. */
  complete(rng: Rng): number {
    const entry = this.heap.pop();
    this.busy--;
    if (this.busy < this.ready && this.waiting > 0) this.startService(this.queue[this.head++], rng);
    return entry;
  }

  compactQueue(): void {
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  endInterval(): StationStats {
    const stats = {
      arrivals: this.arrivals,
      dropped: this.dropped,
      utilization: this.readyTime > 0 ? Math.min(1, this.busyTime / this.readyTime) : 0,
      queueLength: this.waiting,
    };
    this.arrivals = 0;
    this.dropped = 0;
    this.busyTime = 0;
    this.readyTime = 0;
    return stats;
  }
}

export class TandemDes implements ChainModel {
  private rng!: Rng;
  private stations: Station[];
  private intervalLatencies: number[] = [];
  private episodeLatencies: number[] = [];

  constructor(
    readonly specs: readonly StationSpec[],
    private readonly percentile: number,
  ) {
    this.stations = specs.map((s) => new Station(s));
  }

  reset(rng: Rng): void {
    this.rng = rng;
    this.stations = this.specs.map((s) => new Station(s));
    this.intervalLatencies = [];
    this.episodeLatencies = [];
  }

  /** Forgets the latencies served so far (after a warm-up), keeping the queues. */
  startEpisode(): void {
    this.episodeLatencies = [];
  }

  /** Runs [t0, t1) with `ready[i]` ready replicas at service i and Poisson arrivals at `lambda` requests/s. */
  runSegment(t0: number, t1: number, lambda: number, ready: ArrayLike<number>): void {
    const rng = this.rng;
    const stations = this.stations;
    const n = stations.length;
    for (let i = 0; i < n; i++) {
      const s = stations[i];
      s.now = t0;
      s.ready = ready[i];
      s.readyTime += ready[i] * (t1 - t0);
      // Replicas that just became ready take waiting requests.
      while (s.busy < s.ready && s.waiting > 0) s.startService(s.queue[s.head++], rng);
    }
    // Exponential inter-arrivals are memoryless, so a fresh draw at each segment start is exact.
    let nextArrival = lambda > 0 ? t0 + rng.exponential(lambda) : Infinity;
    const last = n - 1;
    for (;;) {
      // The earliest completion, the first service on ties; completions go before a simultaneous arrival.
      let k = 0;
      let nextCompletion = stations[0].heap.topTime;
      for (let i = 1; i < n; i++) {
        const c = stations[i].heap.topTime;
        if (c < nextCompletion) {
          nextCompletion = c;
          k = i;
        }
      }
      const t = Math.min(nextArrival, nextCompletion);
      if (t >= t1) break;
      if (nextCompletion <= nextArrival) {
        const from = stations[k];
        from.advance(t);
        const entry = from.complete(rng);
        if (k === last) {
          this.intervalLatencies.push(t - entry);
        } else {
          const to = stations[k + 1];
          to.advance(t);
          to.arrive(entry, rng);
        }
      } else {
        const first = stations[0];
        first.advance(t);
        first.arrive(t, rng);
        nextArrival = t + rng.exponential(lambda);
      }
    }
    for (const s of stations) {
      s.advance(t1);
      s.compactQueue();
    }
  }

  /** Closes the interval: each service's figures and the end-to-end latency of what left the chain. */
  endInterval(): { stations: StationStats[]; endToEnd: EndToEndStats } {
    const lat = this.intervalLatencies;
    let sum = 0;
    for (const x of lat) sum += x;
    for (const x of lat) this.episodeLatencies.push(x);
    const sorted = Float64Array.from(lat).sort();
    const endToEnd = {
      served: lat.length,
      meanLatency: lat.length ? sum / lat.length : 0,
      latencyPercentile: lat.length ? quantileSorted(sorted, this.percentile) : 0,
    };
    this.intervalLatencies = [];
    return { stations: this.stations.map((s) => s.endInterval()), endToEnd };
  }

  /** Mean and q-quantile of the end-to-end latency over every request served since startEpisode. */
  episodeLatency(q: number): { mean: number; percentile: number } {
    const all = Float64Array.from(this.episodeLatencies);
    if (all.length === 0) return { mean: 0, percentile: 0 };
    let sum = 0;
    for (const x of all) sum += x;
    return { mean: sum / all.length, percentile: quantileSorted(all.sort(), q) };
  }
}
