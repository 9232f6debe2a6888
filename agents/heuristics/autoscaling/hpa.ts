/**
 * `hpa`: the Kubernetes Horizontal Pod Autoscaler on the utilization of ready pods, every control
 * interval (the controller's 15 s sync period by default), with Kubernetes' defaults: target 80 %
 * (kubectl autoscale's default CPU target), tolerance 0.1, scale-up by max(4 pods, 100 %) per 15 s,
 * scale-down by up to 100 % per 15 s after a 300 s stabilization window. Options use the
 * HorizontalPodAutoscaler spec's names; `behavior.scaleUp` / `behavior.scaleDown` replace the defaults.
 * On MicroserviceAutoscaling-v0: one HPA per service (the same options), each on its service's view.
 */
import { opt, OptionProblem, parseOptions, type OptionValues } from '../../../core/options.js';
import { actionForReplicas, readAutoscalingState } from '../../../envs/autoscaling/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import {
  DEFAULT_SCALE_DOWN,
  DEFAULT_SCALE_UP,
  HorizontalController,
  replicasForUtilization,
  type HpaScalingRules,
} from './hpa-algorithm.js';
import { PerServiceAutoscaler } from './per-service.js';
import { microserviceEnv, supportsAutoscaling } from './supports.js';

const RULES_ACCEPTED = `{"stabilizationWindowSeconds": s >= 0, "selectPolicy": "Max" | "Min" | "Disabled", "policies": [{"type": "Pods" | "Percent", "value": > 0, "periodSeconds": > 0}, ...]}`;

function rulesOption(def: HpaScalingRules) {
  return opt.custom<HpaScalingRules>(def, RULES_ACCEPTED, (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OptionProblem(`must be an object, got ${JSON.stringify(v)}`);
    const r = v as Record<string, unknown>;
    for (const key of Object.keys(r))
      if (!['stabilizationWindowSeconds', 'selectPolicy', 'policies'].includes(key)) throw new OptionProblem(`has unknown field '${key}'`);
    const window = r.stabilizationWindowSeconds ?? def.stabilizationWindowSeconds;
    if (typeof window !== 'number' || !(window >= 0) || window > 3600)
      throw new OptionProblem(`has stabilizationWindowSeconds ${JSON.stringify(window)}`);
    const select = r.selectPolicy ?? def.selectPolicy;
    if (select !== 'Max' && select !== 'Min' && select !== 'Disabled')
      throw new OptionProblem(`has selectPolicy ${JSON.stringify(select)}`);
    const policies = r.policies ?? def.policies;
    if (!Array.isArray(policies) || policies.length === 0) throw new OptionProblem(`has policies ${JSON.stringify(policies)}`);
    for (const p of policies as Record<string, unknown>[]) {
      const ok =
        p &&
        (p.type === 'Pods' || p.type === 'Percent') &&
        typeof p.value === 'number' &&
        p.value > 0 &&
        typeof p.periodSeconds === 'number' &&
        p.periodSeconds > 0 &&
        p.periodSeconds <= 1800;
      if (!ok) throw new OptionProblem(`has a malformed policy ${JSON.stringify(p)}`);
    }
    return { stabilizationWindowSeconds: window, selectPolicy: select, policies: policies as HpaScalingRules['policies'] };
  });
}

export const hpaOptions = {
  /** averageUtilization of the resource metric target, in percent of the request. */
  targetUtilization: opt.number(80, { min: 0, minExclusive: true }),
  /** --horizontal-pod-autoscaler-tolerance. */
  tolerance: opt.number(0.1, { min: 0 }),
  scaleUp: rulesOption(DEFAULT_SCALE_UP),
  scaleDown: rulesOption(DEFAULT_SCALE_DOWN),
};

export class HpaAutoscaler extends HeuristicAgent<Float32Array, number> {
  private controller: HorizontalController | undefined;
  private lastTime = -Infinity;

  constructor(readonly hpa: OptionValues<typeof hpaOptions>) {
    super('hpa', hpa);
  }

  onEpisodeStart(): void {
    this.controller?.reset();
    this.lastTime = -Infinity;
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = readAutoscalingState(options.info, 'hpa');
    this.controller ??= new HorizontalController(view.minReplicas, view.maxReplicas, this.hpa.scaleUp, this.hpa.scaleDown);
    // A clock that went back means a new episode the caller did not announce.
    if (view.time <= this.lastTime) this.controller.reset();
    this.lastTime = view.time;
    const current = view.replicas;
    const metricDesired = replicasForUtilization({
      currentReplicas: current,
      readyPods: view.readyReplicas,
      unreadyPods: view.startingReplicas,
      utilization: view.utilization,
      targetUtilization: this.hpa.targetUtilization,
      tolerance: this.hpa.tolerance,
    });
    const desired = this.controller.desiredReplicas(view.time, current, metricDesired);
    const action = actionForReplicas(view, desired);
    // The rate policies count the change the env will make (a delta encoding may cut it to ±maxStep).
    const applied = view.action.type === 'delta' ? current + action - view.action.maxStep : view.minReplicas + action;
    this.controller.recordScale(view.time, current, Math.min(view.maxReplicas, Math.max(view.minReplicas, applied)));
    return action;
  }
}

registerAgent({
  name: 'hpa',
  kind: 'heuristic',
  priority: 1,
  description:
    'Kubernetes Horizontal Pod Autoscaler on ready-pod utilization (target 80 %, tolerance 0.1, 300 s scale-down stabilization, default rate policies); one per service on a chain',
  supports: supportsAutoscaling,
  create: (env, options) => {
    const o = parseOptions('hpa', options, hpaOptions);
    // MicroserviceAutoscaling-v0: one HPA per service, each on its own service's utilization.
    return microserviceEnv(env) ? new PerServiceAutoscaler('hpa', o, () => new HpaAutoscaler(o)) : new HpaAutoscaler(o);
  },
});
