/** Which envs an actor-critic agent (PPO, A2C) can act on: a supported action distribution and a flat observation. */
import type { Env } from '../../envs/core/env.js';
import { flatdim } from '../../envs/core/spaces/flatten.js';
import { distributionFor } from './distributions.js';

/** Null when supported, else the reason (for the agent registry's `supports`). */
export function actorCriticSupports(env: Env<any, any>): string | null {
  const dist = distributionFor(env.actionSpace);
  if (typeof dist === 'string') return dist;
  try {
    flatdim(env.observationSpace);
  } catch {
    return `observation space ${env.observationSpace.toString()} cannot be flattened`;
  }
  return null;
}
