/**
 * MicroserviceAutoscaling-v0: choose how many replicas each service of a request chain runs, every
 * control interval, so that the chain meets an end-to-end latency SLO at the lowest cost.
 *
 * ## Description
 * A chain of services (default three: a front end, a slow back end and a store); every request visits
 * them in order. Service i has its own replicas in [minReplicas, maxReplicas], per-replica service rate
 * (exponential service times), start-up delay and FIFO queue of `queueCapacity` (arrivals beyond it are
 * dropped, wherever in the chain). Requests enter the chain as a Poisson stream whose rate follows the
 * load source (constant, seeded diurnal synthetic, or the bundled Azure LLM trace), exactly as in
 * Autoscaling-v0, whose pieces (load sources, replica pools, M/M/c formulas, fluid model, DES) this env
 * reuses. Every `controlInterval` seconds the agent sets every service's requested replicas.
 * Latency model `mmc` (default): one fluid M/M/c model per service, each fed the departure flow of the
 * one before (a stable M/M/c passes its arrival rate on, Burke 1956; a backlogged service passes on cμ;
 * drops thin the flow); the end-to-end mean is the sum of the services' means, and the end-to-end
 * distribution the numerical convolution of the services' response-time distributions, taken as
 * independent (exact for one replica per service, Reich 1957; an approximation for more), on a
 * 512-bin grid (chain-latency.ts; relative error near 1e-4). `des`: a request-level discrete-event simulation of the tandem,
 * each request through every service; its percentiles are empirical.
 * With one service the env is Autoscaling-v0 (same numbers for the same seed and options).
 * Sources: Jackson networks and Burke's output theorem (Kleinrock, "Queueing Systems" vol. 1, 1975);
 * the per-service HPA control loop of Kubernetes; FIRM (Qiu et al., OSDI 2020) for RL on microservice
 * chains; the trace from Patel et al., "Splitwise", ISCA 2024 (Azure LLM inference trace, CC-BY-4.0).
 *
 * ## Observation
 * Box(float32, historyWindow + 4·n + 3), W = historyWindow, n = services:
 * - [0, W): entry load of the last W intervals, oldest first: arrival rate / min_i(serviceRate_i ·
 *   maxReplicas_i) (1 = what the bottleneck service carries at its maximum), in [0, ∞);
 * - W + 4i … W + 4i + 3, for service i: ready replicas / maxReplicas_i, starting replicas / maxReplicas_i,
 *   utilization of its ready replicas over the last interval [0, 1], queue length / queueCapacity_i
 *   [0, 1] (0 when queueCapacity_i is 0);
 * - W + 4n: the last interval's end-to-end SLO-percentile latency / sloLatency, clipped to [0, 100];
 * - W + 4n + 1, W + 4n + 2: sin and cos of 2π · time of day / day length.
 * With one service this is Autoscaling-v0's layout. Before the first step the chain has run W
 * intervals at its initial sizes (a warm-up that fills the history and the queues; in no metric).
 *
 * ## Actions
 * MultiDiscrete, one entry per service. `action: 'delta'` (default): MultiDiscrete([2·maxStep + 1] × n),
 * entry a_i changes service i's requested replicas by a_i − maxStep. `action: 'target'`:
 * MultiDiscrete([maxReplicas_i − minReplicas_i + 1]), entry a_i requests minReplicas_i + a_i replicas.
 * Requests outside a service's bounds are clamped; `info.actionMask` (the per-service masks
 * concatenated, MaskablePPO's MultiDiscrete convention) marks the entries that need no clamping (all of
 * them for 'target'). Each service's encoding is in `info.microservices.services[i].action`;
 * `actionForServices` (chain-state-view.ts) turns replica counts into an action.
 *
 * ## Reward
 * −(cost + sloPenalty · violation) per interval: cost = Σ_i requested replicas_i · controlInterval / 3600 ·
 * costPerReplicaHour; violation = 1 when the interval's end-to-end sloPercentile latency exceeds
 * sloLatency or a request was dropped anywhere in the chain, else 0. `info.cost`, `info.violation`,
 * `info.latency`, `info.meanLatency`, `info.arrivals` and `info.dropped` hold the chain's figures,
 * `info.services[i]` service i's {replicas, cost, arrivals, dropped, utilization, queueLength}.
 *
 * ## Episode end
 * Never terminated; truncated after ceil(episodeLength / controlInterval) intervals. `info.metrics` then
 * holds: cost, replicaHours, sloViolationRate (fraction of intervals in violation), meanLatency and
 * p95Latency (end-to-end, over all requests that left the chain, s), dropRate (dropped anywhere /
 * arrived at the entry), meanReplicas (time-average of the requested replicas summed over services),
 * meanUtilization (over services and intervals), scaleEvents (summed over services: intervals whose
 * action changed the service's count), and per service i meanReplicas_i and meanUtilization_i.
 * `info.microservices` on reset and every step is the typed state view (chain-state-view.ts).
 *
 * ## Options (defaults)
 * load (as Autoscaling-v0: {"type": "diurnal"} by default, "constant", or "trace" with path
 * "azure-llm-conv" or a CSV), services (an array of at least one service, each {serviceRate (1),
 * minReplicas (1), maxReplicas (20), initialReplicas (null: sized with the others by chain-sizing.ts to
 * the load just before the episode), startupDelay (30 s), queueCapacity (200)}; default
 * [{"serviceRate": 4}, {"serviceRate": 1}, {"serviceRate": 2}]), controlInterval (15 s),
 * sloLatency (6 s, end-to-end), sloPercentile (0.95), costPerReplicaHour (1), sloPenalty (0.1),
 * latencyModel ('mmc' | 'des'), episodeLength (1800 s), action ('delta' | 'target'), maxStep (5),
 * historyWindow (8 intervals).
 *
 * ## Version history
 * - v0 (schedlab 0.1): first version.
 */
import { InvalidActionError, OptionError, ResetNeededError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions, type OptionValues } from '../../core/options.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import type { Box } from '../core/spaces/box.js';
import { MultiDiscrete } from '../core/spaces/multi-discrete.js';
import { ChainFluidModel } from './chain-fluid-model.js';
import { replicasForChainSlo } from './chain-sizing.js';
import type { MicroserviceAutoscalingState } from './chain-state-view.js';
import { LOAD_ACCEPTED, makeLoadSource, TraceLoad, type LoadSource } from './load/index.js';
import { AUTOSCALING_LIMITS, checkDesRequests, checkIntervals } from './load/limits.js';
import { LATENCY_CLIP, serviceObservationSpace } from './observation-space.js';
import { ReplicaPool } from './replica-pool.js';
import type { ChainModel, StationStats } from './service-model.js';
import type { AutoscalingActionEncoding, AutoscalingState } from './state-view.js';
import { TandemDes } from './tandem-des.js';

const ID = 'MicroserviceAutoscaling-v0';

/** The options of one service of the chain (Autoscaling-v0's service options). */
export const serviceOptions = {
  serviceRate: opt.number(1, { min: 0, minExclusive: true }),
  minReplicas: opt.int(1, { min: 1 }),
  maxReplicas: opt.int(20, { min: 1, max: AUTOSCALING_LIMITS.maxReplicas }),
  initialReplicas: opt.custom<number | null>(null, 'null or an integer in [minReplicas, maxReplicas]', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new OptionProblem(`must be null or an integer, got ${JSON.stringify(v)}`);
    return v;
  }),
  startupDelay: opt.number(30, { min: 0 }),
  queueCapacity: opt.int(200, { min: 0, max: AUTOSCALING_LIMITS.queueCapacity }),
};
export type ServiceOptions = OptionValues<typeof serviceOptions>;

const SERVICES_ACCEPTED = `a non-empty array of {${Object.keys(serviceOptions).join(', ')}} objects`;
const DEFAULT_SERVICES = [{ serviceRate: 4 }, { serviceRate: 1 }, { serviceRate: 2 }];

/** Parses `services`, naming the bad field as services[i].field. */
function parseServices(v: unknown): ServiceOptions[] {
  if (!Array.isArray(v) || v.length === 0) throw new OptionProblem(`must be a non-empty array, got ${JSON.stringify(v)}`);
  return v.map((raw, i) => {
    const name = `services[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new OptionError(name, `must be an object, got ${JSON.stringify(raw)}`, `{${Object.keys(serviceOptions).join(', ')}}`, ID);
    let s: ServiceOptions;
    try {
      s = parseOptions(ID, raw as Record<string, unknown>, serviceOptions);
    } catch (e) {
      if (e instanceof OptionError) throw new OptionError(`${name}.${e.option}`, e.problem, e.accepted, ID);
      throw e;
    }
    if (s.minReplicas > s.maxReplicas) {
      throw new OptionError(
        `${name}.minReplicas`,
        `(${s.minReplicas}) is greater than ${name}.maxReplicas (${s.maxReplicas})`,
        'minReplicas <= maxReplicas',
        ID,
      );
    }
    if (s.initialReplicas !== null && (s.initialReplicas < s.minReplicas || s.initialReplicas > s.maxReplicas)) {
      throw new OptionError(
        `${name}.initialReplicas`,
        `is ${s.initialReplicas}, outside [minReplicas, maxReplicas] = [${s.minReplicas}, ${s.maxReplicas}]`,
        'null or an integer in [minReplicas, maxReplicas]',
        ID,
      );
    }
    return s;
  });
}

export const microserviceAutoscalingOptions = {
  load: opt.custom<Record<string, unknown>>({ type: 'diurnal' }, LOAD_ACCEPTED, (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OptionProblem(`must be an object, got ${JSON.stringify(v)}`);
    return v as Record<string, unknown>;
  }),
  services: opt.custom<ServiceOptions[]>(parseServices(DEFAULT_SERVICES), SERVICES_ACCEPTED, parseServices),
  controlInterval: opt.number(15, { min: 0, minExclusive: true }),
  sloLatency: opt.number(6, { min: 0, minExclusive: true }),
  sloPercentile: opt.number(0.95, { min: 0, minExclusive: true, max: 1 }),
  costPerReplicaHour: opt.number(1, { min: 0 }),
  sloPenalty: opt.number(0.1, { min: 0 }),
  latencyModel: opt.oneOf('mmc', ['mmc', 'des'] as const),
  episodeLength: opt.number(1800, { min: 0, minExclusive: true }),
  action: opt.oneOf('delta', ['delta', 'target'] as const),
  maxStep: opt.int(5, { min: 1, max: AUTOSCALING_LIMITS.maxStep }),
  historyWindow: opt.int(8, { min: 1, max: AUTOSCALING_LIMITS.historyWindow }),
};

export type MicroserviceAutoscalingOptions = OptionValues<typeof microserviceAutoscalingOptions>;

export class MicroserviceAutoscalingEnv extends Env<Float32Array, Int32Array> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: MultiDiscrete;
  readonly options: MicroserviceAutoscalingOptions;
  readonly services: readonly ServiceOptions[];
  readonly load: LoadSource;
  /** Intervals per episode. */
  readonly steps: number;
  private readonly model: ChainModel;
  private readonly pools: ReplicaPool[];
  private readonly encoding: AutoscalingActionEncoding;
  /** What all maxReplicas of the bottleneck service carry (requests/s): the load normalizer. */
  private readonly bottleneckCapacity: number;

  // Episode state.
  private rates: Float64Array = new Float64Array(0);
  private startTimeOfDay = 0;
  private dayLength = 86400;
  private step_ = 0;
  private lastStations: StationStats[] = [];
  private lastLatency = 0;
  private readonly ready: Int32Array;
  private needsReset = true;
  private totals = this.emptyTotals();

  /**
   * `id`: the env id errors name; Autoscaling-v0 (autoscaling-env.ts) runs as this env with one service
   * and validates its own options before.
   */
  constructor(
    options: Record<string, unknown> = {},
    private readonly id = ID,
  ) {
    super();
    const o = parseOptions(id, options, microserviceAutoscalingOptions);
    if (o.sloPercentile >= 1) throw new OptionError('sloPercentile', `is ${o.sloPercentile}`, 'a number in (0, 1), e.g. 0.95', id);
    this.options = o;
    this.services = o.services;
    const n = o.services.length;
    this.steps = Math.ceil(o.episodeLength / o.controlInterval - 1e-9);
    checkIntervals(this.steps, o.historyWindow, id);
    this.load = makeLoadSource(o.load, id);
    if (this.load instanceof TraceLoad) this.load.checkFits((this.steps + o.historyWindow) * o.controlInterval);
    const specs = o.services.map((s) => ({ mu: s.serviceRate, queueCapacity: s.queueCapacity }));
    this.model = o.latencyModel === 'des' ? new TandemDes(specs, o.sloPercentile) : new ChainFluidModel(specs, o.sloPercentile);
    this.pools = o.services.map((s) => new ReplicaPool(s.startupDelay));
    this.ready = new Int32Array(n);
    this.encoding = Object.freeze(o.action === 'delta' ? { type: 'delta', maxStep: o.maxStep } : { type: 'target' });
    this.actionSpace = new MultiDiscrete(
      o.services.map((s) => (o.action === 'delta' ? 2 * o.maxStep + 1 : s.maxReplicas - s.minReplicas + 1)),
    );
    this.bottleneckCapacity = Math.min(...o.services.map((s) => s.serviceRate * s.maxReplicas));
    this.observationSpace = serviceObservationSpace(o.historyWindow, n);
    // Playback rate of the ansi frames: one simulated hour of 15 s intervals per minute.
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const o = this.options;
    const w = o.historyWindow;
    const rng = this.npRandom;
    const episode = this.load.episode(rng, w + this.steps, o.controlInterval);
    if (o.latencyModel === 'des') checkDesRequests(episode.rates, o.controlInterval, this.id);
    this.rates = episode.rates;
    this.startTimeOfDay = episode.startTimeOfDay;
    this.dayLength = episode.dayLength;
    // Services without an initialReplicas are sized together, the others held at theirs.
    const sized = replicasForChainSlo(
      this.services.map((s) => ({
        lambda: this.rates[w - 1],
        mu: s.serviceRate,
        minReplicas: s.initialReplicas ?? s.minReplicas,
        maxReplicas: s.initialReplicas ?? s.maxReplicas,
      })),
      o.sloLatency,
      o.sloPercentile,
    );
    this.pools.forEach((p, i) => p.reset(sized[i]));
    this.model.reset(rng);
    // Warm-up: the chain has run the history intervals at the initial sizes.
    for (let k = 0; k < w; k++) {
      const t0 = (k - w) * o.controlInterval;
      for (let i = 0; i < this.pools.length; i++) this.ready[i] = this.pools[i].ready;
      this.model.runSegment(t0, t0 + o.controlInterval, this.rates[k], this.ready);
      this.closeInterval();
    }
    this.model.startEpisode();
    this.step_ = 0;
    this.totals = this.emptyTotals();
    this.needsReset = false;
    return { observation: this.observation(), info: this.baseInfo() };
  }

  step(action: Int32Array | number[]): StepResult<Float32Array> {
    this.checkStepAllowed();
    if (!this.actionSpace.contains(action)) {
      throw new InvalidActionError(
        `${this.id}: action ${JSON.stringify(Array.from((action as ArrayLike<number>) ?? []))} is not in the action space; accepted: ${this.actionSpace.nvec.length} integers, entry i in [0, nvec[i] − 1], nvec = [${Array.from(this.actionSpace.nvec).join(', ')}] (${this.describeAction()})`,
      );
    }
    const o = this.options;
    const n = this.services.length;
    const dt = o.controlInterval;
    const t = this.step_ * dt;
    for (let i = 0; i < n; i++) {
      const s = this.services[i];
      const pool = this.pools[i];
      const wanted = this.encoding.type === 'delta' ? pool.requested + action[i] - this.encoding.maxStep : s.minReplicas + action[i];
      const target = Math.min(s.maxReplicas, Math.max(s.minReplicas, wanted));
      if (pool.scaleTo(target, t) !== 0) this.totals.scaleEvents[i]++;
    }

    // Run the interval in segments of constant ready counts.
    const lambda = this.rates[o.historyWindow + this.step_];
    const end = t + dt;
    let from = t;
    for (;;) {
      const nextReady = Math.min(...this.pools.map((p) => p.nextReadyAt));
      if (!(nextReady < end)) break;
      const at = Math.max(from, nextReady);
      if (at > from) this.runSegment(from, at, lambda);
      for (const p of this.pools) p.promoteUntil(at);
      from = at;
    }
    this.runSegment(from, end, lambda);
    const { stations, endToEnd } = this.closeInterval();

    const tot = this.totals;
    const perService = this.pools.map((p, i) => {
      const cost = ((p.requested * dt) / 3600) * o.costPerReplicaHour;
      tot.replicaSeconds[i] += p.requested * dt;
      tot.utilization[i] += stations[i].utilization;
      const s = stations[i];
      return {
        replicas: p.requested,
        cost,
        arrivals: s.arrivals,
        dropped: s.dropped,
        utilization: s.utilization,
        queueLength: s.queueLength,
      };
    });
    const cost = perService.reduce((a, s) => a + s.cost, 0);
    const dropped = stations.reduce((a, s) => a + s.dropped, 0);
    const arrivals = stations[0].arrivals;
    const violation = endToEnd.latencyPercentile > o.sloLatency || dropped > 0 ? 1 : 0;
    const reward = -(cost + o.sloPenalty * violation);
    tot.cost += cost;
    tot.violations += violation;
    tot.arrivals += arrivals;
    tot.dropped += dropped;
    this.step_++;
    const truncated = this.step_ >= this.steps;
    const info: Info = {
      actionMask: this.actionMasks(),
      microservices: this.state(),
      cost,
      violation,
      latency: endToEnd.latencyPercentile,
      meanLatency: endToEnd.meanLatency,
      arrivals,
      dropped,
      services: perService,
    };
    if (truncated) {
      this.needsReset = true;
      const latency = this.model.episodeLatency(0.95);
      const span = this.steps * dt;
      const replicaSeconds = tot.replicaSeconds.reduce((a, b) => a + b, 0);
      const metrics: Record<string, number> = {
        cost: tot.cost,
        replicaHours: replicaSeconds / 3600,
        sloViolationRate: tot.violations / this.steps,
        meanLatency: latency.mean,
        p95Latency: latency.percentile,
        dropRate: tot.arrivals > 0 ? tot.dropped / tot.arrivals : 0,
        meanReplicas: replicaSeconds / span,
        meanUtilization: tot.utilization.reduce((a, b) => a + b, 0) / (n * this.steps),
        scaleEvents: tot.scaleEvents.reduce((a, b) => a + b, 0),
      };
      for (let i = 0; i < n; i++) {
        metrics[`meanReplicas_${i}`] = tot.replicaSeconds[i] / span;
        metrics[`meanUtilization_${i}`] = tot.utilization[i] / this.steps;
      }
      info.metrics = metrics;
    }
    return { observation: this.observation(), reward, terminated: false, truncated, info };
  }

  /** Throws ResetNeededError before the first reset and after the episode's end (step() checks this first). */
  checkStepAllowed(): void {
    if (this.needsReset)
      throw new ResetNeededError(`${this.id}: step() called before reset() or after the episode ended; call reset() first`);
  }

  /** The per-service masks concatenated (1 = the entry needs no clamping). */
  override actionMasks(): Uint8Array {
    const nvec = this.actionSpace.nvec;
    const mask = new Uint8Array(nvec.reduce((a, b) => a + b, 0));
    if (this.encoding.type === 'target') return mask.fill(1);
    const { maxStep } = this.encoding;
    let offset = 0;
    for (let i = 0; i < this.services.length; i++) {
      const s = this.services[i];
      const requested = this.pools[i].requested;
      for (let a = 0; a < nvec[i]; a++) {
        const wanted = requested + a - maxStep;
        mask[offset + a] = wanted >= s.minReplicas && wanted <= s.maxReplicas ? 1 : 0;
      }
      offset += nvec[i];
    }
    return mask;
  }

  /** The state view heuristics read (also `info.microservices`): a frozen snapshot. */
  state(): MicroserviceAutoscalingState {
    const o = this.options;
    const w = o.historyWindow;
    const k = this.step_;
    const arrivalRate = this.rates[w + k - 1];
    const rateHistory = Object.freeze(Array.from(this.rates.subarray(k, w + k)));
    const services: readonly AutoscalingState[] = this.services.map((s, i) => {
      const pool = this.pools[i];
      const last = this.lastStations[i];
      return Object.freeze({
        time: k * o.controlInterval,
        controlInterval: o.controlInterval,
        startupDelay: s.startupDelay,
        serviceRate: s.serviceRate,
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
        sloLatency: o.sloLatency,
        sloPercentile: o.sloPercentile,
        readyReplicas: pool.ready,
        startingReplicas: pool.startingCount,
        replicas: pool.requested,
        utilization: last.utilization,
        arrivalRate,
        rateHistory,
        queueLength: last.queueLength,
        latencyPercentile: this.lastLatency,
        action: this.encoding,
      });
    });
    return Object.freeze({
      time: k * o.controlInterval,
      controlInterval: o.controlInterval,
      sloLatency: o.sloLatency,
      sloPercentile: o.sloPercentile,
      arrivalRate,
      rateHistory,
      latencyPercentile: this.lastLatency,
      services: Object.freeze(services),
    });
  }

  override render(): string {
    const s = this.state();
    const services = s.services
      .map((v, i) => `[${i}] ${v.readyReplicas}+${v.startingReplicas} util=${v.utilization.toFixed(2)} queue=${v.queueLength.toFixed(1)}`)
      .join(' ');
    return `t=${s.time}s rate=${s.arrivalRate.toFixed(2)}/s ${services} p${Math.round(s.sloPercentile * 100)}=${s.latencyPercentile.toFixed(3)}s`;
  }

  private emptyTotals() {
    const n = this.options?.services.length ?? 0;
    return {
      cost: 0,
      violations: 0,
      arrivals: 0,
      dropped: 0,
      replicaSeconds: new Array<number>(n).fill(0),
      utilization: new Array<number>(n).fill(0),
      scaleEvents: new Array<number>(n).fill(0),
    };
  }

  private runSegment(from: number, to: number, lambda: number): void {
    for (let i = 0; i < this.pools.length; i++) this.ready[i] = this.pools[i].ready;
    this.model.runSegment(from, to, lambda, this.ready);
  }

  /** Closes the interval (warm-up included), keeping its figures for the view and the observation. */
  private closeInterval() {
    const closed = this.model.endInterval();
    this.lastStations = closed.stations;
    this.lastLatency = closed.endToEnd.latencyPercentile;
    return closed;
  }

  private baseInfo(): Info {
    return { actionMask: this.actionMasks(), microservices: this.state() };
  }

  private describeAction(): string {
    return this.encoding.type === 'delta'
      ? `a_i changes service i's replicas by a_i − ${this.encoding.maxStep}`
      : `a_i requests minReplicas_i + a_i replicas of service i`;
  }

  private observation(): Float32Array {
    const o = this.options;
    const w = o.historyWindow;
    const n = this.services.length;
    const obs = new Float32Array(w + 4 * n + 3);
    for (let i = 0; i < w; i++) obs[i] = this.rates[this.step_ + i] / this.bottleneckCapacity;
    for (let i = 0; i < n; i++) {
      const s = this.services[i];
      const pool = this.pools[i];
      const last = this.lastStations[i];
      obs[w + 4 * i] = pool.ready / s.maxReplicas;
      obs[w + 4 * i + 1] = pool.startingCount / s.maxReplicas;
      obs[w + 4 * i + 2] = last.utilization;
      obs[w + 4 * i + 3] = s.queueCapacity > 0 ? Math.min(1, last.queueLength / s.queueCapacity) : 0;
    }
    obs[w + 4 * n] = Math.min(LATENCY_CLIP, this.lastLatency / o.sloLatency);
    const phase = (2 * Math.PI * (this.startTimeOfDay + w * o.controlInterval + this.step_ * o.controlInterval)) / this.dayLength;
    obs[w + 4 * n + 1] = Math.sin(phase);
    obs[w + 4 * n + 2] = Math.cos(phase);
    return obs;
  }
}
