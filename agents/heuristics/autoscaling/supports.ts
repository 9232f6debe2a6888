/**
 * Which envs the autoscaling heuristics act on: Autoscaling-v0 (through info.autoscaling) and
 * MicroserviceAutoscaling-v0 (through info.microservices, one decision per service).
 */
import { AutoscalingEnv } from '../../../envs/autoscaling/autoscaling-env.js';
import { MicroserviceAutoscalingEnv } from '../../../envs/autoscaling/microservice-env.js';
import type { Env } from '../../../envs/core/env.js';

export function supportsAutoscaling(env: Env<any, any>): string | null {
  const inner = env.unwrapped;
  return inner instanceof AutoscalingEnv || inner instanceof MicroserviceAutoscalingEnv
    ? null
    : 'it acts only on Autoscaling-v0 and MicroserviceAutoscaling-v0 (it reads info.autoscaling or info.microservices)';
}

/** The chain env under any wrappers, or undefined for Autoscaling-v0. */
export function microserviceEnv(env: Env<any, any>): MicroserviceAutoscalingEnv | undefined {
  const inner = env.unwrapped;
  return inner instanceof MicroserviceAutoscalingEnv ? inner : undefined;
}
