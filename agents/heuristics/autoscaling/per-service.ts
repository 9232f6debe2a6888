/**
 * A single-service autoscaler run once per service of MicroserviceAutoscaling-v0, as operators run one
 * HPA per Deployment: service i's agent sees only service i's view (info.microservices.services[i], an
 * Autoscaling-v0 view) and its decision becomes entry i of the MultiDiscrete action.
 */
import { readMicroserviceState } from '../../../envs/autoscaling/chain-state-view.js';
import type { ActOptions, Agent } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';

export class PerServiceAutoscaler extends HeuristicAgent<Float32Array, Int32Array> {
  private readonly agents: Agent<Float32Array, number>[] = [];

  constructor(
    name: string,
    options: Record<string, unknown>,
    /** Builds service i's agent. */
    private readonly create: (service: number) => Agent<Float32Array, number>,
  ) {
    super(name, options);
  }

  onEpisodeStart(): void {
    for (const a of this.agents) a.onEpisodeStart?.();
  }

  act(observation: Float32Array, options: ActOptions = {}): Int32Array {
    const view = readMicroserviceState(options.info, this.name);
    while (this.agents.length < view.services.length) this.agents.push(this.create(this.agents.length));
    return Int32Array.from(view.services, (service, i) => this.agents[i].act(observation, { ...options, info: { autoscaling: service } }));
  }
}
