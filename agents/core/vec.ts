/**
 * How learned agents get a vector env: either the caller passes one (the train CLI builds it with
 * `makeVec(id, n, { autoresetMode: 'same-step' })`), or a single env is wrapped as a one-env
 * SyncVectorEnv. Same-step autoreset is required: bootstrapping on truncation needs the final
 * observation, which that mode returns in `infos[i].finalObservation`.
 */
import type { Env, Info } from '../../envs/core/env.js';
import { SchedlabError } from '../../envs/core/errors.js';
import type { Space } from '../../envs/core/spaces/space.js';
import { SyncVectorEnv } from '../../envs/core/vector/sync.js';

/** The vector-env API of envs/core/vector (structural, so agents depend on the contract only). */
export interface VectorEnvLike {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly observationSize: number;
  readonly autoresetMode: 'next-step' | 'same-step' | 'disabled';
  reset(args?: { seed?: number; options?: Record<string, unknown> }): { observations: Float32Array; infos: Info[]; actionMasks?: Uint8Array } | Promise<{ observations: Float32Array; infos: Info[]; actionMasks?: Uint8Array }>;
  step(actions: unknown): VectorStep | Promise<VectorStep>;
  close(): void | Promise<void>;
}

export interface VectorStep {
  observations: Float32Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  infos: Info[];
  actionMasks?: Uint8Array;
}

export function isVectorEnv(env: unknown): env is VectorEnvLike {
  return typeof env === 'object' && env !== null && 'numEnvs' in env && 'singleActionSpace' in env;
}

/** The vector env to train on; throws a clear error when `env` cannot give `numEnvs` same-step sub-envs. */
export async function asVectorEnv(agentName: string, env: Env<any, any> | VectorEnvLike, numEnvs: number): Promise<{ vec: VectorEnvLike; owned: boolean }> {
  if (isVectorEnv(env)) {
    if (env.numEnvs !== numEnvs) throw new SchedlabError(`${agentName}: the vector env has ${env.numEnvs} sub-envs but option numEnvs is ${numEnvs}`);
    if (env.autoresetMode !== 'same-step') {
      throw new SchedlabError(`${agentName}: the vector env uses autoreset mode '${env.autoresetMode}'; training needs 'same-step' (the final observation bootstraps truncated episodes)`);
    }
    return { vec: env, owned: false };
  }
  if (numEnvs !== 1) {
    throw new SchedlabError(
      `${agentName}: learn() got a single env but option numEnvs is ${numEnvs}; pass a vector env (makeVec(id, ${numEnvs}, { autoresetMode: 'same-step' })) or set numEnvs to 1`,
    );
  }
  return { vec: new SyncVectorEnv([() => env], { autoresetMode: 'same-step' }) as unknown as VectorEnvLike, owned: true };
}
