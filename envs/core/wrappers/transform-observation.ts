import type { Env } from '../env.js';
import type { Space } from '../spaces/space.js';
import { ObservationWrapper } from './base.js';

/**
 * Gymnasium's TransformObservation: applies `fn` to every observation. Pass `observationSpace` when
 * `fn` changes the space; without it the inner env's space is kept.
 */
export class TransformObservation<Obs, Act, InnerObs = Obs> extends ObservationWrapper<Obs, Act, InnerObs> {
  constructor(
    env: Env<InnerObs, Act>,
    readonly fn: (observation: InnerObs) => Obs,
    observationSpace?: Space<Obs>,
  ) {
    super(env);
    if (observationSpace) this.observationSpace = observationSpace;
  }

  observation(observation: InnerObs): Obs {
    return this.fn(observation);
  }
}
