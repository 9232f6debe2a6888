import { register } from '../core/registry.js';
import { WanTrafficEngineeringEnv } from './wan-te.js';

register({
  id: 'WanTrafficEngineering-v0',
  module: import.meta.url,
  entryPoint: (options) => new WanTrafficEngineeringEnv(options),
  description:
    "split each OD pair of a WAN over K paths before the interval's demand is seen, to keep the max link utilisation low; scored against the exact LP optimum (HiGHS)",
  source:
    'DOTE (Perry et al., NSDI 2023); Teal (Xu et al., SIGCOMM 2023); B4 (Jain et al., SIGCOMM 2013); Abilene matrices (Zhang et al., SIGMETRICS 2003) via YATES (Kumar et al., SOSR 2018)',
});

export {
  WanTrafficEngineeringEnv,
  wanOptions,
  wanResetOptions,
  actionForSplits,
  readTrafficState,
  LOGIT_BOUND,
  type TrafficStateView,
  type WanOptions,
} from './wan-te.js';
export { TrafficProblem, trafficProblem } from './problem.js';
export { loadTopology, distancesTo, type Topology } from './topology.js';
export { loadTraffic, parseCsv, type TrafficSeries } from './traffic.js';
export { computePaths, kShortestPaths, ecmpLoads, ecmpPathWeights, pairIndex, type Path, type PathSet } from './paths.js';
export { optDestinationAggregated, optPerCommodity, pathLp, highsVersion } from './lp.js';
