/**
 * `static`: a fixed replica count, the provisioning-for-the-peak baseline (option `replicas`). On
 * MicroserviceAutoscaling-v0 one per service: `replicas` is null, one count for every service, or an
 * array of one count (or null) per service.
 */
import { OptionError } from '../../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../../core/options.js';
import { actionForReplicas, readAutoscalingState } from '../../../envs/autoscaling/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { PerServiceAutoscaler } from './per-service.js';
import { microserviceEnv, supportsAutoscaling } from './supports.js';

export const staticOptions = {
  /** Replicas to run; null keeps the count the episode starts with. */
  replicas: opt.custom<number | null>(null, 'null or an integer >= 1', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new OptionProblem(`must be null or an integer >= 1, got ${JSON.stringify(v)}`);
    return v;
  }),
};

/** The `replicas` option on MicroserviceAutoscaling-v0. */
export const chainStaticOptions = {
  replicas: opt.custom<number | (number | null)[] | null>(
    null,
    'null, an integer >= 1 (every service), or an array of one integer >= 1 or null per service',
    (v) => {
      const one = (x: unknown) => x === null || (typeof x === 'number' && Number.isInteger(x) && x >= 1);
      if (Array.isArray(v) ? !v.every(one) : !one(v))
        throw new OptionProblem(`must be null, an integer >= 1 or an array of them, got ${JSON.stringify(v)}`);
      return v as number | (number | null)[] | null;
    },
  ),
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
  description: 'a fixed replica count (option replicas; null keeps the initial count); per service on a chain',
  supports: supportsAutoscaling,
  create: (env, options) => {
    const chain = microserviceEnv(env);
    if (chain) {
      const { replicas } = parseOptions('static', options, chainStaticOptions);
      const n = chain.services.length;
      if (Array.isArray(replicas) && replicas.length !== n)
        throw new OptionError(
          'replicas',
          `has ${replicas.length} entries for ${n} services`,
          `an array of ${n} integers (or nulls)`,
          'static',
        );
      const counts = Array.from({ length: n }, (_, i) => (Array.isArray(replicas) ? replicas[i] : replicas));
      counts.forEach((r, i) => {
        const max = chain.services[i].maxReplicas;
        if (r !== null && r > max)
          throw new OptionError(
            Array.isArray(replicas) ? `replicas[${i}]` : 'replicas',
            `is ${r}, above services[${i}].maxReplicas (${max})`,
            `an integer in [1, ${max}] or null`,
            'static',
          );
      });
      return new PerServiceAutoscaler('static', { replicas }, (i) => new StaticAutoscaler({ replicas: counts[i] }));
    }
    const o = parseOptions('static', options, staticOptions);
    const max = (env.unwrapped as { options?: { maxReplicas?: number } }).options?.maxReplicas;
    if (o.replicas !== null && max !== undefined && o.replicas > max) {
      throw new OptionError(
        'replicas',
        `is ${o.replicas}, above the env's maxReplicas (${max})`,
        `an integer in [1, ${max}] or null`,
        'static',
      );
    }
    return new StaticAutoscaler(o);
  },
});
