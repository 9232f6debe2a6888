/**
 * `predictive` on MicroserviceAutoscaling-v0: one Holt–Winters forecast of the chain's entry load (every
 * service carries it in steady state); service i is sized for the forecast peak until a replica of it
 * is ready, raised by `headroom`, plus the rate that clears its own queue within one interval. The
 * services are sized together (chain-sizing.ts): the cheapest replica counts whose per-service
 * sloPercentile response times sum to at most the end-to-end sloLatency. The latency budget is thus split
 * where a replica buys the most latency rather than equally, and the sum of the per-service
 * percentiles is above the percentile of the end-to-end sum, on the safe side. Each service scales down
 * through its own `scaleDownWindow`. With one service this is the Autoscaling-v0 predictive agent.
 */
import type { OptionValues } from '../../../core/options.js';
import { replicasForChainSlo } from '../../../envs/autoscaling/chain-sizing.js';
import { actionForServices, readMicroserviceState } from '../../../envs/autoscaling/chain-state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { HoltWinters } from './forecast.js';
import type { predictiveOptions } from './predictive.js';
import { ScaleDownWindow } from './scale-down-window.js';

export class ChainPredictiveAutoscaler extends HeuristicAgent<Float32Array, Int32Array> {
  private readonly model: HoltWinters;
  private lastTime = -Infinity;
  private windows: ScaleDownWindow[] = [];

  constructor(readonly predictive: OptionValues<typeof predictiveOptions>) {
    super('predictive', predictive);
    const o = predictive;
    this.model = new HoltWinters(o.alpha, o.beta, o.gamma, o.seasonPeriod);
  }

  onEpisodeStart(): void {
    this.model.reset();
    this.lastTime = -Infinity;
    for (const w of this.windows) w.reset();
  }

  act(_observation: Float32Array, options: ActOptions = {}): Int32Array {
    const view = readMicroserviceState(options.info, 'predictive');
    if (view.time <= this.lastTime) this.onEpisodeStart();
    // First call of an episode: learn from the whole published history; later, the latest interval.
    if (this.lastTime === -Infinity) for (const r of view.rateHistory) this.model.observe(r);
    else this.model.observe(view.arrivalRate);
    this.lastTime = view.time;
    while (this.windows.length < view.services.length) this.windows.push(new ScaleDownWindow(this.predictive.scaleDownWindow));

    const wanted = replicasForChainSlo(
      view.services.map((s) => ({
        lambda:
          this.model.peakUntilReady(s.startupDelay, s.controlInterval) * (1 + this.predictive.headroom) + s.queueLength / s.controlInterval,
        mu: s.serviceRate,
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
      })),
      view.sloLatency,
      view.sloPercentile,
    );
    const desired = view.services.map((s, i) => this.windows[i].desired(view.time, s.replicas, wanted[i]));
    return actionForServices(view, desired);
  }
}
