/**
 * The seam between MicroserviceAutoscaling-v0 (and so Autoscaling-v0, its one-service case) and its two
 * chain models (analytic M/M/c with a fluid backlog per service, and the request-level discrete-event
 * simulation): the env cuts each control interval into segments of constant ready-replica counts and
 * arrival rate, runs them in order, then closes the interval.
 */
import type { Rng } from '../../core/rng.js';

/** What one control interval did at one service of the analytic model (fluid-mmc-model.ts). */
export interface IntervalStats {
  /** Requests that arrived in the interval. */
  arrivals: number;
  /** Requests accepted (their response times are the interval's mixture). */
  served: number;
  /** Requests dropped because the queue was full. */
  dropped: number;
  /** Busy time of ready replicas over their ready time, in [0, 1]. */
  utilization: number;
  /** Requests waiting at the end of the interval: backlog + mean steady-state queue. */
  queueLength: number;
}

/** One service of a chain over a control interval (the per-service part of IntervalStats). */
export interface StationStats {
  /** Requests that reached the service. */
  arrivals: number;
  /** Requests the service dropped because its queue was full. */
  dropped: number;
  /** Busy time of ready replicas over their ready time, in [0, 1]. */
  utilization: number;
  /** Requests waiting at the interval's end. */
  queueLength: number;
}

/** The end-to-end figures of the requests that left a chain in an interval. */
export interface EndToEndStats {
  /** Requests whose end-to-end latency the interval reports. */
  served: number;
  /** Mean end-to-end latency (s); 0 when none. */
  meanLatency: number;
  /** Its SLO percentile (s); 0 when none. */
  latencyPercentile: number;
}

/** The chain models (chain-fluid-model.ts, tandem-des.ts). */
export interface ChainModel {
  /** Clears all state; the DES draws its arrivals and service times from `rng`. */
  reset(rng: Rng): void;
  /** Forgets the latencies served so far (after a warm-up), keeping the queues. */
  startEpisode(): void;
  /** Runs [t0, t1) with `ready[i]` ready replicas at service i and Poisson arrivals at `lambda` requests/s. */
  runSegment(t0: number, t1: number, lambda: number, ready: ArrayLike<number>): void;
  endInterval(): { stations: StationStats[]; endToEnd: EndToEndStats };
  /** Mean and q-quantile of the end-to-end latency over every request served since startEpisode. */
  episodeLatency(q: number): { mean: number; percentile: number };
}
