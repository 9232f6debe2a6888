/**
 * How learned agents get a vector env: either the caller passes one (the train CLI builds it with
 * `makeVec(id, n, { autoresetMode: 'same-step' })`), or a single env is wrapped as a one-env
 * SyncVectorEnv. Same-step autoreset is required: bootstrapping on truncation needs the final
 * observation, which that mode returns in `infos[i].finalObservation`.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import { SyncVectorEnv } from '../../envs/core/vector/sync.js';
import type { VectorEnv, VectorStepResult } from '../../envs/core/vector/types.js';

/** The vector-env contract of envs/core/vector, under the names the agents use. */
export type VectorEnvLike = VectorEnv<any>;
export type VectorStep = VectorStepResult;

export function isVectorEnv(env: unknown): env is VectorEnvLike {
  return typeof env === 'object' && env !== null && 'numEnvs' in env && 'singleActionSpace' in env;
}

/** The vector env to train on; throws a clear error when `env` cannot give `numEnvs` same-step sub-envs. */
export async function asVectorEnv(
  agentName: string,
  env: Env<any, any> | VectorEnvLike,
  numEnvs: number,
): Promise<{ vec: VectorEnvLike; owned: boolean }> {
  if (isVectorEnv(env)) {
    if (env.numEnvs !== numEnvs)
      throw new SchedlabError(`${agentName}: the vector env has ${env.numEnvs} sub-envs but option numEnvs is ${numEnvs}`);
    if (env.autoresetMode !== 'same-step') {
      throw new SchedlabError(
        `${agentName}: the vector env uses autoreset mode '${env.autoresetMode}'; training needs 'same-step' (the final observation bootstraps truncated episodes)`,
      );
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
