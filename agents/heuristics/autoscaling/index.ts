/** The autoscaling baselines: static, hpa, threshold, predictive (for Autoscaling-v0 and MicroserviceAutoscaling-v0). */
import './static.js';
import './hpa.js';
import './threshold.js';
import './predictive.js';

export { StaticAutoscaler } from './static.js';
export { HpaAutoscaler } from './hpa.js';
export { ThresholdAutoscaler, type UtilizationBand } from './threshold.js';
export { PredictiveAutoscaler } from './predictive.js';
export {
  HorizontalController,
  replicasForUtilization,
  DEFAULT_SCALE_DOWN,
  DEFAULT_SCALE_UP,
  type HpaScalingPolicy,
  type HpaScalingRules,
} from './hpa-algorithm.js';
export { HoltWinters } from './forecast.js';
export { ChainPredictiveAutoscaler } from './predictive-chain.js';
export { PerServiceAutoscaler } from './per-service.js';
export { ScaleDownWindow } from './scale-down-window.js';
