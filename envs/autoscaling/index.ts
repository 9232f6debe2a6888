import { register } from '../core/registry.js';
import { AutoscalingEnv } from './autoscaling-env.js';

register({
  id: 'Autoscaling-v0',
  entryPoint: (options) => new AutoscalingEnv(options),
  description: 'replicas of one service under constant, diurnal or trace load, against a latency SLO (M/M/c or request-level DES)',
  source: 'M/M/c (Kleinrock 1975); Kubernetes HPA control loop; Azure LLM inference trace (Patel et al., ISCA 2024)',
});

export { AutoscalingEnv, autoscalingOptions, type AutoscalingOptions } from './autoscaling-env.js';
export { actionForReplicas, readAutoscalingState, type AutoscalingState, type AutoscalingActionEncoding } from './state-view.js';
export { erlangB, erlangC, mmcSteadyState, mmcResponsePercentile, responseSurvival, smallestReplicasForSlo } from './erlang.js';
export { makeLoadSource, type LoadSource, type EpisodeLoad } from './load/index.js';
