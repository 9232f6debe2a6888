/** The agent registry's `supports` for learned agents: an action space the policy handles and an observation that flattens. */
import type { Env } from '../../envs/core/env.js';
import { flatdim } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';

/** Null when `actionUnsupported` accepts the env's action space and its observation flattens, else the reason. */
export function flatObservationSupports(actionUnsupported: (space: Space) => string | null): (env: Env<any, any>) => string | null {
  return (env) => {
    const why = actionUnsupported(env.actionSpace);
    if (why) return why;
    try {
      flatdim(env.observationSpace);
    } catch {
      return `observation space ${env.observationSpace.toString()} cannot be flattened`;
    }
    return null;
  };
}
