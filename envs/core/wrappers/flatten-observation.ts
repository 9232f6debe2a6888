import type { Env } from '../env.js';
import type { Box } from '../spaces/box.js';
import { flatten, flattenSpace } from '../spaces/flatten.js';
import type { Space } from '../spaces/space.js';
import { ObservationWrapper } from './base.js';

/** Gymnasium's FlattenObservation: observations become `flatten(space, obs)` in `flattenSpace(space)`. */
export class FlattenObservation<Act> extends ObservationWrapper<Float32Array, Act, unknown> {
  override observationSpace: Box<Float32Array>;
  private readonly innerSpace: Space;

  constructor(env: Env<unknown, Act>) {
    super(env);
    this.innerSpace = env.observationSpace;
    this.observationSpace = flattenSpace(env.observationSpace);
  }

  observation(observation: unknown): Float32Array {
    return flatten(this.innerSpace, observation);
  }
}
