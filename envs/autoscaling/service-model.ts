/**
 * The seam between the env and its two service models (analytic M/M/c with a fluid backlog, and the
 * request-level discrete-event simulation): the env cuts each control interval into segments of constant
 * ready-replica count and arrival rate, runs them in order, then closes the interval.
 */
import type { Rng } from '../../core/rng.js';

/** What one control interval did, as a monitoring system would report it. */
export interface IntervalStats {
  /** Requests that arrived in the interval. */
  arrivals: number;
  /** Requests whose response time the interval reports (analytic: accepted arrivals; DES: completions). */
  served: number;
  /** Requests dropped because the queue was full. */
  dropped: number;
  /** Mean response time of the served requests (s); 0 when none. */
  meanLatency: number;
  /** The SLO percentile of their response time (s); 0 when none. */
  latencyPercentile: number;
  /** Busy time of ready replicas over their ready time, in [0, 1]. */
  utilization: number;
  /** Requests waiting at the end of the interval (analytic: backlog + mean steady-state queue). */
  queueLength: number;
}

export interface ServiceModel {
  /** Clears all state; the DES draws its arrivals and service times from `rng`. */
  reset(rng: Rng): void;
  /** Forgets the latencies served so far (after a warm-up), keeping the queue. */
  startEpisode(): void;
  /** Runs [t0, t1) with `ready` ready replicas and Poisson arrivals at `lambda` requests/s. */
  runSegment(t0: number, t1: number, lambda: number, ready: number): void;
  /** Closes the current interval and returns its figures. */
  endInterval(): IntervalStats;
  /** Mean and q-quantile of the response time over every request served since reset. */
  episodeLatency(q: number): { mean: number; percentile: number };
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

/**
 * The seam between MicroserviceAutoscaling-v0 and its two chain models (chain-fluid-model.ts,
 * tandem-des.ts): as ServiceModel, with one ready count per service.
 */
export interface ChainModel {
  reset(rng: Rng): void;
  startEpisode(): void;
  /** Runs [t0, t1) with `ready[i]` ready replicas at service i and Poisson arrivals at `lambda` requests/s. */
  runSegment(t0: number, t1: number, lambda: number, ready: ArrayLike<number>): void;
  endInterval(): { stations: StationStats[]; endToEnd: EndToEndStats };
  /** Mean and q-quantile of the end-to-end latency over every request served since startEpisode. */
  episodeLatency(q: number): { mean: number; percentile: number };
}
