/** One action from an actor-critic policy on the CPU copy of its weights, as PPO's and A2C's `act` take it. */
import { SchedlabError } from '../../envs/core/errors.js';
import type { Rng } from '../../envs/core/rng.js';
import type { ActOptions } from './agent.js';
import type { PolicyDistribution } from './distributions.js';
import type { ActorCritic } from './nn/actor-critic.js';

/** `x` is the flat (already normalised) observation; the mask is checked against the action space. */
export function actorCriticAction(agentName: string, net: ActorCritic, dist: PolicyDistribution, x: Float32Array, options: ActOptions, rng: Rng): unknown {
  const head = net.headCpu(x, 1);
  const action = new Float32Array(dist.actionDim);
  const mask = options.mask && dist.maskSize ? options.mask : undefined;
  if (mask && mask.length !== dist.maskSize) {
    throw new SchedlabError(`${agentName}: the action mask has ${mask.length} entries; the action space needs ${dist.maskSize}`);
  }
  dist.sampleCpu(head, 0, mask, 0, rng, options.deterministic ?? false, action, 0, net.logStdCpu());
  return dist.toEnvAction(action, 0);
}
