/**
 * The request-level discrete-event simulation of one replicated service: Poisson arrivals at the
 * interval's rate, exponential service times at μ per replica, one FIFO queue of at most `queueCapacity`
 * waiting requests (arrivals beyond it are dropped), and as many requests in service as there are ready
 * replicas. A replica removed while serving finishes its request (graceful termination) and takes no new
 * one. The check on the analytic model: both agree where M/M/c holds (tested). It is the one-service case
 * of the tandem DES (tandem-des.ts).
 */
import type { Rng } from '../../core/rng.js';
import type { IntervalStats, ServiceModel } from './service-model.js';
import { TandemDes } from './tandem-des.js';

export class DesModel implements ServiceModel {
  private readonly des: TandemDes;
  private readonly ready = [0];

  constructor(mu: number, queueCapacity: number, percentile: number) {
    this.des = new TandemDes([{ mu, queueCapacity }], percentile);
  }

  reset(rng: Rng): void {
    this.des.reset(rng);
  }

  startEpisode(): void {
    this.des.startEpisode();
  }

  runSegment(t0: number, t1: number, lambda: number, ready: number): void {
    this.ready[0] = ready;
    this.des.runSegment(t0, t1, lambda, this.ready);
  }

  endInterval(): IntervalStats {
    const { stations, endToEnd } = this.des.endInterval();
    const s = stations[0];
    return { ...endToEnd, arrivals: s.arrivals, dropped: s.dropped, utilization: s.utilization, queueLength: s.queueLength };
  }

  episodeLatency(q: number): { mean: number; percentile: number } {
    return this.des.episodeLatency(q);
  }
}
