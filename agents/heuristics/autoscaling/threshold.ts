/**
 * `threshold`: step scaling on utilization bands, as AWS EC2 Auto Scaling step-scaling policies: the
 * band holding the ready replicas' utilization gives a change in replicas, applied to the requested
 * count; after a change, no other until `cooldown` seconds have passed. Defaults: +3 at >= 90 %, +1 in
 * [75 %, 90 %), −1 below 30 %, cooldown 60 s. On MicroserviceAutoscaling-v0: one per service.
 */
import { opt, OptionProblem, parseOptions, type OptionValues } from '../../../core/options.js';
import { actionForReplicas, readAutoscalingState } from '../../../envs/autoscaling/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { PerServiceAutoscaler } from './per-service.js';
import { microserviceEnv, supportsAutoscaling } from './supports.js';

/** Utilization in [lower, upper) changes the replicas by `change`; null bounds are open. */
export interface UtilizationBand {
  lower: number | null;
  upper: number | null;
  change: number;
}

const DEFAULT_BANDS: UtilizationBand[] = [
  { lower: 0.9, upper: null, change: 3 },
  { lower: 0.75, upper: 0.9, change: 1 },
  { lower: null, upper: 0.3, change: -1 },
];

export const thresholdOptions = {
  bands: opt.custom<UtilizationBand[]>(
    DEFAULT_BANDS,
    'an array of {"lower": number | null, "upper": number | null, "change": integer} with lower < upper',
    (v) => {
      if (!Array.isArray(v) || v.length === 0) throw new OptionProblem(`must be a non-empty array, got ${JSON.stringify(v)}`);
      for (const b of v as UtilizationBand[]) {
        const bound = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
        if (!b || typeof b !== 'object' || !bound(b.lower) || !bound(b.upper) || !Number.isInteger(b.change))
          throw new OptionProblem(`has a malformed band ${JSON.stringify(b)}`);
        if (b.lower !== null && b.upper !== null && b.lower >= b.upper)
          throw new OptionProblem(`has a band with lower >= upper: ${JSON.stringify(b)}`);
      }
      return v as UtilizationBand[];
    },
  ),
  cooldown: opt.number(60, { min: 0 }),
};

export class ThresholdAutoscaler extends HeuristicAgent<Float32Array, number> {
  private lastScale = -Infinity;
  private lastTime = -Infinity;

  constructor(readonly threshold: OptionValues<typeof thresholdOptions>) {
    super('threshold', threshold);
  }

  onEpisodeStart(): void {
    this.lastScale = -Infinity;
    this.lastTime = -Infinity;
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = readAutoscalingState(options.info, 'threshold');
    if (view.time <= this.lastTime) this.onEpisodeStart();
    this.lastTime = view.time;
    if (view.time < this.lastScale + this.threshold.cooldown) return actionForReplicas(view, view.replicas);
    const u = view.utilization;
    const band = this.threshold.bands.find((b) => (b.lower === null || u >= b.lower) && (b.upper === null || u < b.upper));
    const desired = view.replicas + (band?.change ?? 0);
    const action = actionForReplicas(view, desired);
    if (actionForReplicas(view, view.replicas) !== action) this.lastScale = view.time;
    return action;
  }
}

registerAgent({
  name: 'threshold',
  kind: 'heuristic',
  priority: 1,
  description: 'step scaling on ready-replica utilization bands with a cooldown (AWS step-scaling style); one per service on a chain',
  supports: supportsAutoscaling,
  create: (env, options) => {
    const o = parseOptions('threshold', options, thresholdOptions);
    return microserviceEnv(env) ? new PerServiceAutoscaler('threshold', o, () => new ThresholdAutoscaler(o)) : new ThresholdAutoscaler(o);
  },
});
