/** Which envs the capacity-planning baselines act on: CapacityPlanning-v0 (through info.capacity). */
import { CapacityPlanningEnv } from '../../../envs/capacity/capacity-planning.js';
import type { Env } from '../../../envs/core/env.js';

export function capacityEnv(env: Env<any, any>): CapacityPlanningEnv | undefined {
  const inner = env.unwrapped;
  return inner instanceof CapacityPlanningEnv ? inner : undefined;
}

export function supportsCapacity(env: Env<any, any>): string | null {
  return capacityEnv(env) ? null : 'it acts only on CapacityPlanning-v0 (it reads info.capacity)';
}
