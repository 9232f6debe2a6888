/** DeepRM's baselines and FCFS for ClusterScheduling-v0; importing this registers them. */
export { ClusterFcfsAgent } from './fcfs.js';
export { ClusterPackerAgent } from './packer.js';
export { ClusterPackerSjfAgent } from './packer-sjf.js';
export { ClusterRandomAgent } from './random.js';
export { ClusterSjfAgent } from './sjf.js';
