import { register } from '../core/registry.js';
import { ClusterSchedulingEnv } from './cluster-scheduling.js';

register({
  id: 'ClusterScheduling-v0',
  module: import.meta.url,
  entryPoint: (options) => new ClusterSchedulingEnv(options),
  description: 'multi-resource cluster scheduling: place arriving jobs on a machine seen T steps ahead (DeepRM model)',
  source:
    'Mao, Alizadeh, Menache & Kandula, "Resource Management with Deep Reinforcement Learning", HotNets 2016; github.com/hongzimao/deeprm',
});

export { ClusterSchedulingEnv };
export { clusterStateView, type ClusterStateView } from './state-view.js';
export { PRESET_NAMES, presetValues } from './presets.js';
export { imageWidth } from './image.js';
export * from './workload/index.js';
