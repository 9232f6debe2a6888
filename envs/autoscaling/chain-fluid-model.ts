/**
 * The analytic model of a chain of services: one fluid M/M/c model per service (fluid-mmc-model.ts),
 * each fed the departure flow of the one before it. A stable M/M/c passes its arrival rate λ on (the
 * departures of a stable M/M/c are Poisson at λ, Burke 1956); a service working off a backlog passes
 * on cμ; drops upstream thin the flow downstream. The fluid model moves requests between services
 * without delay (it has no in-flight state). End-to-end: the mean is the sum of the services' means and
 * the distribution the numerical convolution of chain-latency.ts.
 */
import { EpisodeLatency, sumOfResponseTimes } from './chain-latency.js';
import { FluidMmcModel, type FlowPieces } from './fluid-mmc-model.js';
import type { ChainModel, EndToEndStats, StationStats } from './service-model.js';

export class ChainFluidModel implements ChainModel {
  private readonly services: FluidMmcModel[];
  private episode = new EpisodeLatency();

  constructor(
    specs: readonly { mu: number; queueCapacity: number }[],
    private readonly percentile: number,
    /** The probability mass the end-to-end grid may leave out. */
    private readonly tail = Math.min(1e-7, (1 - percentile) / 100),
  ) {
    this.services = specs.map((s) => new FluidMmcModel(s.mu, s.queueCapacity));
  }

  /** Clears all state (the analytic model draws nothing). */
  reset(): void {
    for (const s of this.services) s.reset();
    this.episode = new EpisodeLatency();
  }

  startEpisode(): void {
    for (const s of this.services) s.startEpisode();
    this.episode = new EpisodeLatency();
  }

  runSegment(t0: number, t1: number, lambda: number, ready: ArrayLike<number>): void {
    let flow: FlowPieces = this.services[0].runSegment(t0, t1, lambda, ready[0]);
    for (let i = 1; i < this.services.length; i++) {
      const next: FlowPieces = [];
      for (const [duration, rate] of flow) for (const piece of this.services[i].runSegment(0, duration, rate, ready[i])) next.push(piece);
      flow = next;
    }
  }

  endInterval(): { stations: StationStats[]; endToEnd: EndToEndStats } {
    const stations = this.services.map((s) => s.endInterval());
    const last = stations[stations.length - 1];
    const sum = sumOfResponseTimes(
      this.services.map((s) => s.lastInterval),
      last.served,
      this.tail,
    );
    // One service: episodeLatency reads the service's own mixture, so the sum is not kept.
    if (this.services.length > 1) this.episode.add(sum);
    const endToEnd =
      sum === null
        ? { served: 0, meanLatency: 0, latencyPercentile: 0 }
        : { served: last.served, meanLatency: sum.mean(), latencyPercentile: sum.percentile(this.percentile) };
    return { stations, endToEnd };
  }

  episodeLatency(q: number): { mean: number; percentile: number } {
    // One service: its own mixture over the episode, in exact form (as Autoscaling-v0).
    if (this.services.length === 1) return this.services[0].episodeLatency(q);
    return { mean: this.episode.mean(), percentile: this.episode.percentile(q) };
  }
}
