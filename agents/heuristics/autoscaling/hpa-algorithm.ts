/**
 * The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2) for a resource-utilization target, written
 * from kubernetes pkg/controller/podautoscaler (replica_calculator.go GetResourceReplicas; horizontal.go
 * reconcileAutoscaler, stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
 * calculateScaleUp/DownLimitWithBehaviors, getReplicasChangePerPeriod, storeScaleEvent) and the HPA docs.
 * Times are seconds on the caller's clock; "within a period" means strictly after now − period, as the
 * controller's `timestamp.After(cutoff)`.
 */

export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: HpaScalingPolicy[];
}

/** Kubernetes' defaults (SetDefaults_HorizontalPodAutoscalerBehavior). */
export const DEFAULT_SCALE_UP: HpaScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
export const DEFAULT_SCALE_DOWN: HpaScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** The controller's integer utilization percentage of a set of pods with equal requests. */
function utilizationPercent(totalUtilization: number, pods: number): number {
  // metricsTotal * 100 / requestsTotal in integer arithmetic; the epsilon keeps 0.8 * 100 at 80.
  return Math.floor((100 * totalUtilization) / pods + 1e-9);
}

/**
 * GetResourceReplicas: the replica count the metric asks for. `utilization` is the mean utilization
 * (fraction of the request) of the ready pods; `unreadyPods` (starting) have no usable metric: left out
 * on scale-down, counted at 0 % on scale-up.
 */
export function replicasForUtilization(args: {
  currentReplicas: number;
  readyPods: number;
  unreadyPods: number;
  utilization: number;
  targetUtilization: number;
  tolerance: number;
}): number {
  const { currentReplicas, readyPods, unreadyPods, utilization, targetUtilization, tolerance } = args;
  // "did not receive metrics for any ready pods": the controller keeps the scale.
  if (readyPods === 0) return currentReplicas;
  const usageRatio = utilizationPercent(utilization * readyPods, readyPods) / targetUtilization;
  const rebalanceIgnored = unreadyPods > 0 && usageRatio > 1.0;
  if (!rebalanceIgnored) {
    if (Math.abs(1.0 - usageRatio) <= tolerance) return currentReplicas;
    return Math.ceil(usageRatio * readyPods);
  }
  // Scale-up with unready pods: they count at 0 %.
  const pods = readyPods + unreadyPods;
  const newUsageRatio = utilizationPercent(utilization * readyPods, pods) / targetUtilization;
  if (Math.abs(1.0 - newUsageRatio) <= tolerance || newUsageRatio < 1.0) return currentReplicas;
  const newReplicas = Math.ceil(newUsageRatio * pods);
  if (newReplicas < currentReplicas) return currentReplicas;
  return newReplicas;
}

interface TimedValue {
  time: number;
  value: number;
}

/** One HPA object's controller state: recommendations and scale events, with the behavior rules. */
export class HorizontalController {
  private recommendations: TimedValue[] = [];
  private scaleUpEvents: TimedValue[] = [];
  private scaleDownEvents: TimedValue[] = [];

  constructor(
    readonly minReplicas: number,
    readonly maxReplicas: number,
    readonly scaleUp: HpaScalingRules = DEFAULT_SCALE_UP,
    readonly scaleDown: HpaScalingRules = DEFAULT_SCALE_DOWN,
  ) {}

  reset(): void {
    this.recommendations = [];
    this.scaleUpEvents = [];
    this.scaleDownEvents = [];
  }

  /**
   * reconcileAutoscaler from the metric's recommendation on: bounds, stabilization, rate limits.
   * Returns the replica count to scale to (equal to currentReplicas for no change).
   */
  desiredReplicas(now: number, currentReplicas: number, metricDesiredReplicas: number): number {
    if (currentReplicas > this.maxReplicas) return this.maxReplicas;
    if (currentReplicas < this.minReplicas) return this.minReplicas;
    const stabilized = this.stabilize(now, currentReplicas, metricDesiredReplicas);
    return this.limitRate(now, currentReplicas, stabilized);
  }

  /** storeScaleEvent: remembers a change that was made, for the rate policies. */
  recordScale(now: number, previous: number, next: number): void {
    if (next > previous) this.scaleUpEvents.push({ time: now, value: next - previous });
    else if (next < previous) this.scaleDownEvents.push({ time: now, value: previous - next });
    const keep = (rules: HpaScalingRules) => Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
    this.scaleUpEvents = this.scaleUpEvents.filter((e) => e.time > now - keep(this.scaleUp));
    this.scaleDownEvents = this.scaleDownEvents.filter((e) => e.time > now - keep(this.scaleDown));
  }

  /**
   * stabilizeRecommendationWithBehaviors: the count moves up no further than the lowest recommendation
   * of the scale-up window and down no further than the highest of the scale-down window.
   */
  private stabilize(now: number, current: number, desired: number): number {
    const upCutoff = now - this.scaleUp.stabilizationWindowSeconds;
    const downCutoff = now - this.scaleDown.stabilizationWindowSeconds;
    let upRecommendation = desired;
    let downRecommendation = desired;
    for (const rec of this.recommendations) {
      if (rec.time > upCutoff) upRecommendation = Math.min(rec.value, upRecommendation);
      if (rec.time > downCutoff) downRecommendation = Math.max(rec.value, downRecommendation);
    }
    let recommendation = current;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;
    const oldest = Math.min(upCutoff, downCutoff);
    this.recommendations = this.recommendations.filter((r) => r.time >= oldest);
    this.recommendations.push({ time: now, value: desired });
    return recommendation;
  }

  private changeInPeriod(events: TimedValue[], now: number, periodSeconds: number): number {
    let sum = 0;
    for (const e of events) if (e.time > now - periodSeconds) sum += e.value;
    return sum;
  }

  /** convertDesiredReplicasWithBehaviorRate with the scale-up/-down limits of the policies. */
  private limitRate(now: number, current: number, desired: number): number {
    if (desired > current) {
      let scaleUpLimit = this.scaleLimit(now, current, this.scaleUp, 'up');
      if (scaleUpLimit < current) scaleUpLimit = current;
      const maximumAllowed = Math.min(this.maxReplicas, scaleUpLimit);
      return Math.min(desired, maximumAllowed);
    }
    if (desired < current) {
      let scaleDownLimit = this.scaleLimit(now, current, this.scaleDown, 'down');
      if (scaleDownLimit > current) scaleDownLimit = current;
      const minimumAllowed = Math.max(this.minReplicas, scaleDownLimit);
      return Math.max(desired, minimumAllowed);
    }
    return desired;
  }

  private scaleLimit(now: number, current: number, rules: HpaScalingRules, direction: 'up' | 'down'): number {
    if (rules.selectPolicy === 'Disabled') return current;
    // For scale-up 'Max' picks the largest proposal; for scale-down the smallest (the largest change).
    const pickLargestChange = rules.selectPolicy === 'Max';
    let result = (direction === 'up') === pickLargestChange ? -Infinity : Infinity;
    for (const policy of rules.policies) {
      const added = this.changeInPeriod(this.scaleUpEvents, now, policy.periodSeconds);
      const deleted = this.changeInPeriod(this.scaleDownEvents, now, policy.periodSeconds);
      const periodStartReplicas = current - added + deleted;
      let proposed: number;
      if (direction === 'up') {
        proposed = policy.type === 'Pods' ? periodStartReplicas + policy.value : Math.ceil(periodStartReplicas * (1 + policy.value / 100));
      } else {
        proposed = policy.type === 'Pods' ? periodStartReplicas - policy.value : Math.trunc(periodStartReplicas * (1 - policy.value / 100));
      }
      result = (direction === 'up') === pickLargestChange ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }
}
