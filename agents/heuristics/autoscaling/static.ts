/** `static`: a fixed replica count, the provisioning-for-the-peak baseline (option `replicas`). */
import { actionForReplicas, readAutoscalingState } from '../../../envs/autoscaling/state-view.js';
import { OptionError } from '../../../envs/core/errors.js';
import { opt, parseOptions } from '../../../envs/core/options.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { supportsAutoscaling } from './supports.js';

export const staticOptions = {
  /** Replicas to run; null keeps the count the episode starts with. */
  replicas: opt.custom<number | null>(null, 'null or an integer >= 1', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw `must be null or an integer >= 1, got ${JSON.stringify(v)}`;
    return v;
  }),
};

export class StaticAutoscaler extends HeuristicAgent<Float32Array, number> {
  private held: number | null = null;

  constructor(readonly staticOptions: { replicas: number | null }) {
    super('static', staticOptions);
  }

  onEpisodeStart(): void {
    this.held = null;
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = readAutoscalingState(options.info, 'static');
    this.held ??= this.staticOptions.replicas ?? view.replicas;
    return actionForReplicas(view, this.held);
  }
}

registerAgent({
  name: 'static',
  kind: 'heuristic',
  priority: 1,
  description: 'a fixed replica count (option replicas; null keeps the initial count)',
  supports: supportsAutoscaling,
  create: (env, options) => {
    const o = parseOptions('static', options, staticOptions);
    const max = (env.unwrapped as { options?: { maxReplicas?: number } }).options?.maxReplicas;
    if (o.replicas !== null && max !== undefined && o.replicas > max) {
      throw new OptionError('replicas', `is ${o.replicas}, above the env's maxReplicas (${max})`, `an integer in [1, ${max}] or null`, 'static');
    }
    return new StaticAutoscaler(o);
  },
});
