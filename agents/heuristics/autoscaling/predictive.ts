/**
 * `predictive`: forecast the load, then size by the queueing model. A Holt–Winters (EWMA level + trend,
 * optional seasonality) forecast of the arrival rate over the intervals until a replica requested now is
 * ready and one more, raised by `headroom`, plus the rate that clears the current queue within one
 * interval, is sized by M/M/c to the smallest replica count whose sloPercentile response time meets
 * sloLatency. Scale-down waits until the lower count has been recommended for `scaleDownWindow` seconds.
 * On MicroserviceAutoscaling-v0: predictive-chain.ts.
 */
import { opt, parseOptions, type OptionValues } from '../../../core/options.js';
import { smallestReplicasForSlo } from '../../../envs/autoscaling/erlang.js';
import { actionForReplicas, readAutoscalingState } from '../../../envs/autoscaling/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { HoltWinters } from './forecast.js';
import { ChainPredictiveAutoscaler } from './predictive-chain.js';
import { ScaleDownWindow } from './scale-down-window.js';
import { microserviceEnv, supportsAutoscaling } from './supports.js';

export const predictiveOptions = {
  /** Level smoothing. */
  alpha: opt.number(0.5, { min: 0, minExclusive: true, max: 1 }),
  /** Trend smoothing. */
  beta: opt.number(0.1, { min: 0, max: 1 }),
  /** Seasonal smoothing. */
  gamma: opt.number(0.1, { min: 0, max: 1 }),
  /** Season length in control intervals; 0 for none. */
  seasonPeriod: opt.int(0, { min: 0 }),
  /** Forecast multiplier margin: size for forecast × (1 + headroom). */
  headroom: opt.number(0.1, { min: 0 }),
  scaleDownWindow: opt.number(60, { min: 0 }),
};

export class PredictiveAutoscaler extends HeuristicAgent<Float32Array, number> {
  private readonly model: HoltWinters;
  private lastTime = -Infinity;
  private readonly window: ScaleDownWindow;

  constructor(readonly predictive: OptionValues<typeof predictiveOptions>) {
    super('predictive', predictive);
    const o = predictive;
    this.model = new HoltWinters(o.alpha, o.beta, o.gamma, o.seasonPeriod);
    this.window = new ScaleDownWindow(o.scaleDownWindow);
  }

  onEpisodeStart(): void {
    this.model.reset();
    this.lastTime = -Infinity;
    this.window.reset();
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = readAutoscalingState(options.info, 'predictive');
    if (view.time <= this.lastTime) this.onEpisodeStart();
    // First call of an episode: learn from the whole published history; later, the latest interval.
    if (this.lastTime === -Infinity) for (const r of view.rateHistory) this.model.observe(r);
    else this.model.observe(view.arrivalRate);
    this.lastTime = view.time;

    const peak = this.model.peakUntilReady(view.startupDelay, view.controlInterval);
    // The queue left over is extra load to clear within one interval.
    const rate = peak * (1 + this.predictive.headroom) + view.queueLength / view.controlInterval;
    const wanted = smallestReplicasForSlo(rate, view.serviceRate, view.sloLatency, view.sloPercentile, view.minReplicas, view.maxReplicas);

    // Scale down only to the highest recommendation of the window.
    return actionForReplicas(view, this.window.desired(view.time, view.replicas, wanted));
  }
}

registerAgent({
  name: 'predictive',
  kind: 'heuristic',
  priority: 1,
  description:
    'Holt-Winters load forecast sized by M/M/c to the smallest replica count meeting the SLO (on a chain: the cheapest counts whose per-service percentiles sum to the SLO)',
  supports: supportsAutoscaling,
  create: (env, options) => {
    const o = parseOptions('predictive', options, predictiveOptions);
    return microserviceEnv(env) ? new ChainPredictiveAutoscaler(o) : new PredictiveAutoscaler(o);
  },
});
