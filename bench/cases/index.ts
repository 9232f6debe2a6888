/** Every benchmark case; each domain adds its file here. */
import type { BenchCase } from '../harness.js';
import { offPolicyAgentCases } from './agents-offpolicy.js';
import { agentCases } from './agents.js';
import { autoscalingCases } from './autoscaling.js';
import { batchPpoCases } from './batch-ppo.js';
import { batchCases } from './batch.js';
import { capacityCases } from './capacity.js';
import { classicCases } from './classic.js';
import { clusterCases } from './cluster.js';
import { exportCases } from './export.js';
import { placementCases } from './placement.js';
import { runnerCases } from './runner.js';
import { trafficCases } from './traffic.js';
import { vectorCases } from './vector.js';

export function allCases(): BenchCase[] {
  return [
    ...classicCases(),
    ...clusterCases(),
    ...vectorCases(),
    ...autoscalingCases(),
    ...capacityCases(),
    ...batchCases(),
    ...agentCases(),
    ...batchPpoCases(),
    ...offPolicyAgentCases(),
    ...exportCases(),
    ...runnerCases(),
    ...trafficCases(),
    ...placementCases(),
  ];
}
