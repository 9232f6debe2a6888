import { register } from '../core/registry.js';
import { GpuClusterPlacementEnv } from './gpu-placement.js';

register({
  id: 'GpuClusterPlacement-v0',
  module: import.meta.url,
  entryPoint: (options) => new GpuClusterPlacementEnv(options),
  description:
    'bind arriving pods (CPU, memory, whole or shared GPUs, GPU-model constraints) to the nodes of a GPU cluster; FGD model on the openb trace',
  source: 'Weng et al., FGD, USENIX ATC 2023 (hkust-adsl/kubernetes-scheduler-simulator); Alibaba GPU cluster trace 2023 (openb)',
});

export {
  GpuClusterPlacementEnv,
  gpuPlacementOptions,
  allocationAt,
  REPORT_POINTS,
  FAILED_CLASSES,
  ROW_FEATURES,
  NODE_FEATURES,
  POD_FEATURES,
  type GpuPlacementOptions,
} from './gpu-placement.js';
export {
  placementStateView,
  readPlacementView,
  makePlacementView,
  gpuLeftTotal,
  fullyFreeGpus,
  GPU_RULES,
  type PlacementStateView,
  type PendingPod,
  type PlacementAction,
  type PlacementNodeAction,
  type PlacementDrawAction,
} from './state-view.js';
export { ClusterModel, fgdScore, affinityTag, AFFINITY_TAGS, type GpuRule } from './cluster.js';
export * from './fragmentation.js';
export { FragmentationCache } from './fragmentation-cache.js';
export {
  GPU_MODELS,
  WORKLOAD_NAMES,
  WORKLOAD_VARIANTS,
  MILLI,
  MAX_GPUS_PER_NODE,
  loadNodes,
  loadPods,
  type NodeList,
  type PodList,
} from './trace.js';
