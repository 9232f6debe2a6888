/**
 * The analytic model of one service: M/M/c steady state (Erlang C; Kleinrock, "Queueing Systems" vol. 1,
 * 1975, §3.5) while the ready replicas keep up, and a fluid backlog when they do not (the fluid
 * approximation of an overloaded queue, Kleinrock vol. 2, 1976, ch. 2): the backlog grows at
 * λ − cμ, drains at cμ − λ once capacity frees, is carried from interval to interval, and requests beyond
 * `queueCapacity` are dropped. A request arriving behind a backlog B waits B/(cμ), then is served.
 * Drops in steady state (the M/M/c/K correction) are neglected: the model assumes a queue much longer than
 * the steady-state queue.
 * `runSegment` also returns the segment's departure flow, which feeds the next service of a chain
 * (chain-fluid-model.ts): cμ while a backlog is served, then λ (a stable M/M/c passes a Poisson stream
 * on at its arrival rate, Burke's theorem).
 */
import { mmcSteadyState } from './erlang.js';
import { LatencyMixture } from './latency-mixture.js';
import type { IntervalStats } from './service-model.js';

/** Sub-slices of a backlog stretch, each with the wait at its midpoint. */
const BACKLOG_SLICES = 4;

/** Consecutive stretches of a constant departure rate: [duration (s), rate (requests/s)]. */
export type FlowPieces = [number, number][];

export class FluidMmcModel {
  private backlog = 0;
  private interval = new LatencyMixture();
  private episode = new LatencyMixture();
  private arrivals = 0;
  private accepted = 0;
  private dropped = 0;
  private busyTime = 0;
  private readyTime = 0;
  private steadyQueue = 0;
  /** The response-time mixture of the interval closed last. */
  private closed = new LatencyMixture();

  constructor(
    private readonly mu: number,
    private readonly queueCapacity: number,
  ) {}

  reset(): void {
    this.backlog = 0;
    this.episode = new LatencyMixture();
    this.startInterval();
  }

  startEpisode(): void {
    this.episode = new LatencyMixture();
  }

  runSegment(t0: number, t1: number, lambda: number, ready: number): FlowPieces {
    const d = t1 - t0;
    const out: FlowPieces = [];
    if (!(d > 0)) return out;
    const capacity = ready * this.mu;
    this.arrivals += lambda * d;
    this.readyTime += ready * d;
    let done = 0;
    if (this.backlog > 0 || lambda >= capacity) {
      // Fluid stretch: full utilization, the backlog moving at λ − cμ.
      const drift = lambda - capacity;
      const length = drift < 0 ? Math.min(d, this.backlog / -drift) : d;
      this.backlogStretch(length, lambda, capacity, drift);
      this.busyTime += ready * length;
      done = length;
      if (drift < 0 && length < d) this.backlog = 0;
      this.steadyQueue = 0;
      if (length > 0) out.push([length, capacity]);
    }
    if (done < d) {
      const rest = d - done;
      const ss = mmcSteadyState(ready, lambda, this.mu);
      this.interval.add({ kind: 'mmc', weight: lambda * rest, pWait: ss.pWait, theta: ss.theta, mu: this.mu });
      this.accepted += lambda * rest;
      this.busyTime += (lambda / this.mu) * rest;
      this.steadyQueue = ss.meanQueue;
      out.push([rest, lambda]);
    }
    return out;
  }

  /** A stretch of `length` seconds of fluid backlog starting from the current backlog. */
  private backlogStretch(length: number, lambda: number, capacity: number, drift: number): void {
    const b0 = this.backlog;
    const k = this.queueCapacity;
    const unclipped = (s: number) => b0 + drift * s;
    // Drops so far: what the unclipped backlog would hold beyond the queue capacity.
    const dropsUpTo = (s: number) => Math.max(0, unclipped(s) - k) - Math.max(0, b0 - k);
    const slice = length / BACKLOG_SLICES;
    for (let i = 0; i < BACKLOG_SLICES; i++) {
      const s0 = i * slice;
      const s1 = s0 + slice;
      const drops = drift > 0 ? dropsUpTo(s1) - dropsUpTo(s0) : 0;
      const accepted = lambda * slice - drops;
      const mid = Math.min(k, Math.max(0, unclipped((s0 + s1) / 2)));
      this.interval.add({ kind: 'shifted', weight: accepted, shift: mid / capacity, mu: this.mu });
      this.accepted += accepted;
      this.dropped += drops;
    }
    this.backlog = Math.min(k, Math.max(0, unclipped(length)));
  }

  /** Closes the interval; its response-time distribution is then `lastInterval` (the chain sums them). */
  endInterval(): IntervalStats {
    const stats: IntervalStats = {
      arrivals: this.arrivals,
      served: this.accepted,
      dropped: this.dropped,
      utilization: this.readyTime > 0 ? Math.min(1, this.busyTime / this.readyTime) : 0,
      queueLength: this.backlog + this.steadyQueue,
    };
    this.episode.addAll(this.interval);
    this.closed = this.interval;
    this.startInterval();
    return stats;
  }

  /** The response-time distribution of the requests of the interval closed last. */
  get lastInterval(): LatencyMixture {
    return this.closed;
  }

  episodeLatency(q: number): { mean: number; percentile: number } {
    return { mean: this.episode.mean(), percentile: this.episode.percentile(q) };
  }

  private startInterval(): void {
    this.interval = new LatencyMixture();
    this.arrivals = 0;
    this.accepted = 0;
    this.dropped = 0;
    this.busyTime = 0;
    this.readyTime = 0;
  }
}
