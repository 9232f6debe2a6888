/** The six policies of the FGD paper for GpuClusterPlacement-v0; importing this registers them. */
export { PlacementRandomAgent } from './random.js';
export { PlacementDotProdAgent } from './dot-prod.js';
export { PlacementGpuClusteringAgent } from './gpu-clustering.js';
export { PlacementGpuPackingAgent } from './gpu-packing.js';
export { PlacementBestFitAgent } from './best-fit.js';
export { PlacementFgdAgent } from './fgd.js';
export { ScoringPlacementHeuristic, supportsPlacement, requireView, PLACEMENT_ENV_ID } from './common.js';
export * from './scores.js';
export { ViewFragmentation } from './view-fragmentation.js';
