import { register } from '../core/registry.js';
import { CapacityPlanningEnv } from './capacity-planning.js';

register({
  id: 'CapacityPlanning-v0',
  module: import.meta.url,
  entryPoint: (options) => new CapacityPlanningEnv(options),
  description:
    'commit capacity L periods ahead at a reserved price, shortfall served on demand (newsvendor; rental or purchase), on HPC2N, Azure LLM, AR(1) or Poisson demand',
  source:
    'newsvendor (Arrow, Harris & Marschak 1951; Porteus 2002); HPC2N trace (Parallel Workloads Archive); Azure LLM inference trace (Patel et al., ISCA 2024)',
});

export { CapacityPlanningEnv, capacityPlanningOptions, CAPACITY_MULTIPLIERS, type CapacityPlanningOptions } from './capacity-planning.js';
export { actionForCapacity, readCapacityState, type CapacityState, type CapacityActionEncoding, type DemandModel } from './state-view.js';
export { loadDemandSeries, readDemandCsv, busyCoresPerDay, requestsPerMinute, PoissonSampler, type DemandSeries } from './demand.js';
export * from './newsvendor.js';
export {
  solvePurchaseDp,
  truncatedPoissonPmf,
  PURCHASE_DP_LIMITS,
  type PurchaseDpInstance,
  type PurchaseDpSolution,
} from './purchase-dp.js';
