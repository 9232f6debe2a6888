/**
 * Public entry of the environments: the core API and every registered env. Importing this module
 * registers all of schedlab's envs.
 */
import './classic/index.js';
import './cluster/index.js';
import './autoscaling/index.js';
import './batch/index.js';
import './capacity/index.js';
import './traffic/index.js';
import './placement/index.js';

export * from './core/index.js';

export { CartPoleEnv } from './classic/index.js';

export { ClusterSchedulingEnv, clusterStateView, type ClusterStateView } from './cluster/index.js';

export { AutoscalingEnv, actionForReplicas, readAutoscalingState, type AutoscalingState } from './autoscaling/index.js';
export {
  MicroserviceAutoscalingEnv,
  actionForServices,
  readMicroserviceState,
  type MicroserviceAutoscalingState,
} from './autoscaling/index.js';

export {
  BatchSchedulingEnv,
  BatchSimulator,
  PRIORITY_RULES,
  loadTrace,
  parseSwf,
  type BatchQueueView,
  type PriorityRule,
  type SwfTrace,
} from './batch/index.js';

export { CapacityPlanningEnv, actionForCapacity, readCapacityState, type CapacityState } from './capacity/index.js';

export { WanTrafficEngineeringEnv, actionForSplits, readTrafficState, type TrafficStateView } from './traffic/index.js';

export { GpuClusterPlacementEnv, placementStateView, type PlacementStateView } from './placement/index.js';
