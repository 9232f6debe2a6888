/**
 * The vector-env contract (Gymnasium 1.x `VectorEnv`): `numEnvs` copies of one env stepped as a batch,
 * with batched observations (flattened, row-major), rewards and flags in typed arrays and an explicit
 * autoreset mode:
 * - 'next-step' (default): the step after a sub-env's episode ended resets that sub-env and ignores its
 *   action (it returns the reset observation and info, reward 0, terminated = truncated = 0);
 * - 'same-step': a sub-env whose episode ends is reset in the same step; the returned observation is the
 *   reset one, and `infos[i].finalObservation` / `infos[i].finalInfo` hold the episode's last ones;
 * - 'disabled': nothing is reset automatically; call `reset({options: {resetMask}})` (1 = reset that
 *   sub-env) before stepping a sub-env whose episode ended.
 * `reset({seed})` seeds sub-env i with seed + i.
 */
import type { Info } from '../env.js';
import type { Space } from '../spaces/space.js';

export type AutoresetMode = 'next-step' | 'same-step' | 'disabled';
export const AUTORESET_MODES: readonly AutoresetMode[] = ['next-step', 'same-step', 'disabled'];

export interface VectorResetResult {
  observations: Float32Array;
  infos: Info[];
  actionMasks?: Uint8Array;
}

export interface VectorStepResult {
  /** numEnvs × flatdim(singleObservationSpace), row-major, flattened as flatten() does. */
  observations: Float32Array;
  rewards: Float64Array;
  /** 1 = terminated. */
  terminations: Uint8Array;
  /** 1 = truncated. */
  truncations: Uint8Array;
  /** Per sub-env; same-step mode adds infos[i].finalObservation (Float32Array) and infos[i].finalInfo. */
  infos: Info[];
  /** numEnvs × n, from each sub-env's info.actionMask when the env is masked. */
  actionMasks?: Uint8Array;
}

export interface VectorResetArgs {
  seed?: number;
  /** Passed to every sub-env's reset, except `resetMask` (ArrayLike of 0/1, one per sub-env), which
   * restricts the reset to the sub-envs marked 1. */
  options?: Record<string, unknown>;
}

export interface VectorEnv<Act = unknown> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  /** flatdim of the single observation space. */
  readonly observationSize: number;
  readonly autoresetMode: AutoresetMode;
  reset(args?: VectorResetArgs): VectorResetResult | Promise<VectorResetResult>;
  step(actions: ArrayLike<Act> | Act[]): VectorStepResult | Promise<VectorStepResult>;
  close(): void | Promise<void>;
}
