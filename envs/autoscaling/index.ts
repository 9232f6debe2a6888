import { register } from '../core/registry.js';
import { AutoscalingEnv } from './autoscaling-env.js';
import { MicroserviceAutoscalingEnv } from './microservice-env.js';

register({
  id: 'Autoscaling-v0',
  module: import.meta.url,
  entryPoint: (options) => new AutoscalingEnv(options),
  description: 'replicas of one service under constant, diurnal or trace load, against a latency SLO (M/M/c or request-level DES)',
  source: 'M/M/c (Kleinrock 1975); Kubernetes HPA control loop; Azure LLM inference trace (Patel et al., ISCA 2024)',
});

register({
  id: 'MicroserviceAutoscaling-v0',
  module: import.meta.url,
  entryPoint: (options) => new MicroserviceAutoscalingEnv(options),
  description: 'replicas of each service of a request chain against an end-to-end latency SLO, one decision per service (MultiDiscrete)',
  source:
    'tandem M/M/c network (Burke 1956, Reich 1957; Kleinrock 1975); per-service Kubernetes HPA; FIRM (OSDI 2020); Azure LLM inference trace',
});

export { AutoscalingEnv, autoscalingOptions, type AutoscalingOptions } from './autoscaling-env.js';
export { actionForReplicas, readAutoscalingState, type AutoscalingState, type AutoscalingActionEncoding } from './state-view.js';
export { erlangB, erlangC, mmcSteadyState, mmcResponsePercentile, responseSurvival, smallestReplicasForSlo } from './erlang.js';
export { makeLoadSource, type LoadSource, type EpisodeLoad } from './load/index.js';
export {
  MicroserviceAutoscalingEnv,
  microserviceAutoscalingOptions,
  serviceOptions,
  type MicroserviceAutoscalingOptions,
  type ServiceOptions,
} from './microservice-env.js';
export { actionForServices, readMicroserviceState, type MicroserviceAutoscalingState } from './chain-state-view.js';
export { replicasForChainSlo, type ChainServiceSizing } from './chain-sizing.js';
export { sumOfResponseTimes, EpisodeLatency, type LatencyDistribution } from './chain-latency.js';
export { LatencyMixture } from './latency-mixture.js';
