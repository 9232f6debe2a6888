/** Which envs the autoscaling heuristics act on: Autoscaling-v0, through its published state view. */
import type { Env } from '../../../envs/core/env.js';
import { AutoscalingEnv } from '../../../envs/autoscaling/autoscaling-env.js';

export function supportsAutoscaling(env: Env<any, any>): string | null {
  return env.unwrapped instanceof AutoscalingEnv ? null : 'it acts only on Autoscaling-v0 (it reads info.autoscaling)';
}
