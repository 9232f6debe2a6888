/** A source of request load: for each episode, the arrival rate of every control interval. */
import type { Rng } from '../../../core/rng.js';

export interface EpisodeLoad {
  /** Arrival rate (requests/s) of each consecutive interval. */
  rates: Float64Array;
  /** Seconds since midnight at the first interval's start. */
  startTimeOfDay: number;
  /** Length of the source's day in seconds (86400 except for a compressed synthetic day). */
  dayLength: number;
}

export interface LoadSource {
  /** The options it was built from, after defaults. */
  readonly options: Record<string, unknown>;
  /** Draws the rates of `count` intervals of `dt` seconds; all randomness from `rng`. */
  episode(rng: Rng, count: number, dt: number): EpisodeLoad;
}
