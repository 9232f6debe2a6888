/** One action from an actor-critic policy on the CPU copy of its weights, as PPO's and A2C's `act` take it. */
import { SchedlabError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { ActOptions } from './agent.js';
import type { PolicyDistribution } from './distributions.js';
import type { ActorCritic } from './nn/actor-critic.js';
import type { RolloutBuffer } from './rollout-buffer.js';

/** `x` is the flat (already normalised) observation; the mask is checked against the action space. */
export function actorCriticAction(
  agentName: string,
  net: ActorCritic,
  dist: PolicyDistribution,
  x: Float32Array,
  options: ActOptions,
  rng: Rng,
): unknown {
  const head = net.headCpu(x, 1);
  const action = new Float32Array(dist.actionDim);
  const mask = options.mask && dist.maskSize ? options.mask : undefined;
  if (mask && mask.length !== dist.maskSize) {
    throw new SchedlabError(`${agentName}: the action mask has ${mask.length} entries; the action space needs ${dist.maskSize}`);
  }
  if (options.sampler && !options.deterministic && dist.kind === 'categorical' && dist.scalar) {
    return dist.start[0] + options.sampler.sample(maskedLogits(head, mask));
  }
  dist.sampleCpu(head, 0, mask, 0, options.rng ?? rng, options.deterministic ?? false, action, 0, net.logStdCpu());
  return dist.toEnvAction(action, 0);
}

/**
 * The logits an external sampler draws from: TensorFlow's masking rule (RLScheduler's), logit + (mask − 1)·1e6
 * in float32, so masked entries have a probability of exactly 0 in double precision.
 */
function maskedLogits(head: Float32Array, mask: ArrayLike<number> | undefined): Float32Array {
  const out = Float32Array.from(head);
  if (mask) for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i] + Math.fround(((mask[i] ? 1 : 0) - 1) * 1e6));
  return out;
}

/** The env actions of one rollout step, reused across steps: scalar Discrete actions as an Int32Array (the vector envs' fast path), others as values. */
export interface RolloutActions {
  values: unknown[];
  discrete: Int32Array | undefined;
}

export function rolloutActions(dist: PolicyDistribution, numEnvs: number): RolloutActions {
  const scalar = dist.kind === 'categorical' && dist.scalar;
  return { values: new Array(numEnvs), discrete: scalar ? new Int32Array(numEnvs) : undefined };
}

/**
 * One rollout step of an on-policy actor-critic (PPO, A2C): stores the envs' masks at `row` of the buffer,
 * runs the policy on the CPU for every env, stores value, log-probability and sampled action, and returns
 * the actions to send to the vector env.
 */
export function sampleRolloutStep(
  agentName: string,
  net: ActorCritic,
  dist: PolicyDistribution,
  buffer: RolloutBuffer,
  row: number,
  obs: Float32Array,
  masks: Uint8Array | undefined,
  rng: Rng,
  out: RolloutActions,
): unknown[] | Int32Array {
  const numEnvs = out.values.length;
  const maskSize = buffer.shape.maskSize;
  if (maskSize > 0 && !masks) throw new SchedlabError(`${agentName}: the env gave action masks at reset but none at this step`);
  if (masks) {
    if (masks.length !== numEnvs * maskSize)
      throw new SchedlabError(
        `${agentName}: the env's action masks have ${masks.length / numEnvs} entries per env; the action space needs ${maskSize}`,
      );
    buffer.masks.set(masks, row * maskSize);
  }
  const { head, value } = net.forwardCpu(obs, numEnvs);
  const logStd = net.logStdCpu();
  for (let e = 0; e < numEnvs; e++) {
    const i = row + e;
    buffer.values[i] = value[e];
    buffer.logProbs[i] = dist.sampleCpu(
      head,
      e,
      masks ? buffer.masks : undefined,
      i * maskSize,
      rng,
      false,
      buffer.actions,
      i * dist.actionDim,
      logStd,
    );
    if (out.discrete && dist.kind === 'categorical') out.discrete[e] = dist.start[0] + buffer.actions[i];
    else out.values[e] = dist.toEnvAction(buffer.actions, i * dist.actionDim);
  }
  return out.discrete ?? out.values;
}
