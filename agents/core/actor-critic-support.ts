/** Which envs an actor-critic agent (PPO, A2C) can act on: a supported action distribution and a flat observation. */
import { distributionFor } from './distributions.js';
import { flatObservationSupports } from './supports.js';

/** Null when supported, else the reason (for the agent registry's `supports`). */
export const actorCriticSupports = flatObservationSupports((space) => {
  const dist = distributionFor(space);
  return typeof dist === 'string' ? dist : null;
});
