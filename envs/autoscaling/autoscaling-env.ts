/**
 * Autoscaling-v0: choose how many replicas a service runs, every control interval, so that it meets a
 * latency SLO at the lowest cost under bursty load.
 *
 * ## Description
 * One replicated service: each replica serves `serviceRate` requests/s (exponential service times);
 * requests arrive as a Poisson stream whose rate follows the load source (constant, seeded diurnal
 * synthetic with flash crowds, or a real trace: the Azure LLM inference conversation trace is bundled).
 * Requests wait in one FIFO queue of `queueCapacity`; arrivals beyond it are dropped. Every
 * `controlInterval` seconds the agent sets the requested replica count in [minReplicas, maxReplicas];
 * new replicas cost from the moment they are requested and serve only after `startupDelay`. Scaling down
 * removes starting replicas first, then ready ones (a busy one finishes its request).
 * Latency model `mmc` (default): M/M/c steady state via Erlang C (stable Erlang B recurrence), with a fluid
 * backlog carried between intervals under overload. `des`: a request-level discrete-event simulation.
 * Sources: the M/M/c model (Kleinrock, "Queueing Systems" vol. 1, 1975); the control loop and its 15 s
 * sync period from the Kubernetes Horizontal Pod Autoscaler; the trace from Patel et al., "Splitwise",
 * ISCA 2024 (Azure LLM inference trace, CC-BY-4.0).
 *
 * ## Observation
 * Box(float32, historyWindow + 7), W = historyWindow:
 * - [0, W): offered load of the last W intervals, oldest first: arrival rate / (serviceRate · maxReplicas)
 *   (1 = the load all maxReplicas replicas can carry), in [0, ∞);
 * - W: ready replicas / maxReplicas; W+1: starting replicas / maxReplicas;
 * - W+2: utilization of the ready replicas over the last interval, [0, 1];
 * - W+3: queue length at the interval's end / queueCapacity, [0, 1] (0 when queueCapacity is 0);
 * - W+4: the last interval's SLO-percentile latency / sloLatency, clipped to [0, 100];
 * - W+5, W+6: sin and cos of 2π · time of day / day length (the load source's day).
 * Before the first step the service has run W intervals at initialReplicas (a warm-up that fills the
 * history and, in DES mode, the queue); the warm-up counts in no metric.
 *
 * ## Actions
 * `action: 'delta'` (default): Discrete(2·maxStep + 1), action a changes the requested replicas by
 * a − maxStep. `action: 'target'`: Discrete(maxReplicas − minReplicas + 1), action a requests
 * minReplicas + a replicas. Requests outside [minReplicas, maxReplicas] are clamped; `info.actionMask`
 * marks the actions that need no clamping (all of them for 'target'). The encoding is published in
 * `info.autoscaling.action`; `actionForReplicas` (state-view.ts) turns a replica count into an action.
 *
 * ## Reward
 * −(cost + sloPenalty · violation) per interval: cost = requested replicas · controlInterval / 3600 ·
 * costPerReplicaHour; violation = 1 when the interval's sloPercentile latency exceeds sloLatency or a
 * request was dropped, else 0. Both are in `info.cost` and `info.violation`.
 *
 * ## Episode end
 * Never terminated; truncated after ceil(episodeLength / controlInterval) intervals. `info.metrics` then
 * holds: cost (replica-hours × costPerReplicaHour), replicaHours, sloViolationRate (fraction of intervals
 * in violation), meanLatency and p95Latency (over all served requests, s), dropRate (dropped / arrived),
 * meanReplicas (time-average of requested replicas), meanUtilization, scaleEvents (intervals whose
 * action changed the requested count).
 * `info.autoscaling` on reset and every step is the typed state view (state-view.ts).
 *
 * ## Options (defaults)
 * load ({"type": "diurnal"}: peakRate 8, peakToTrough 4, period 86400, noise 0.1, burstsPerHour 0.5,
 * burstMagnitude 3, burstDuration 120, randomStart true; {"type": "constant", "rate": 8};
 * {"type": "trace", "path": "azure-llm-conv", "timeScale": 1, "rateScale": 1}, path also any CSV of
 * request timestamps or of time,rate rows; the window is drawn at random on each reset),
 * serviceRate (1 request/s), minReplicas (1), maxReplicas (20), initialReplicas (null: the smallest count
 * meeting the SLO, by M/M/c, at the load just before the episode), controlInterval (15 s),
 * startupDelay (30 s), sloLatency (4 s), sloPercentile (0.95), queueCapacity (200), costPerReplicaHour (1),
 * sloPenalty (0.1), latencyModel ('mmc' | 'des'), episodeLength (1800 s), action ('delta' | 'target'),
 * maxStep (5), historyWindow (8 intervals).
 *
 * ## Version history
 * - v0 (schedlab 0.1): first version.
 */
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { InvalidActionError, OptionError, ResetNeededError } from '../../core/errors.js';
import { opt, parseOptions, type OptionValues } from '../../core/options.js';
import type { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import { DesModel } from './des-model.js';
import { smallestReplicasForSlo } from './erlang.js';
import { FluidMmcModel } from './fluid-mmc-model.js';
import { LOAD_ACCEPTED, makeLoadSource, TraceLoad, type LoadSource } from './load/index.js';
import { ReplicaPool } from './replica-pool.js';
import type { IntervalStats, ServiceModel } from './service-model.js';
import type { AutoscalingActionEncoding, AutoscalingState } from './state-view.js';
import { LATENCY_CLIP, serviceObservationSpace } from './observation-space.js';

const ID = 'Autoscaling-v0';

export const autoscalingOptions = {
  load: opt.custom<Record<string, unknown>>({ type: 'diurnal' }, LOAD_ACCEPTED, (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw `must be an object, got ${JSON.stringify(v)}`;
    return v as Record<string, unknown>;
  }),
  serviceRate: opt.number(1, { min: 0, minExclusive: true }),
  minReplicas: opt.int(1, { min: 1 }),
  maxReplicas: opt.int(20, { min: 1 }),
  initialReplicas: opt.custom<number | null>(null, 'null or an integer in [minReplicas, maxReplicas]', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw `must be null or an integer, got ${JSON.stringify(v)}`;
    return v;
  }),
  controlInterval: opt.number(15, { min: 0, minExclusive: true }),
  startupDelay: opt.number(30, { min: 0 }),
  sloLatency: opt.number(4, { min: 0, minExclusive: true }),
  sloPercentile: opt.number(0.95, { min: 0, minExclusive: true, max: 1 }),
  queueCapacity: opt.int(200, { min: 0 }),
  costPerReplicaHour: opt.number(1, { min: 0 }),
  sloPenalty: opt.number(0.1, { min: 0 }),
  latencyModel: opt.oneOf('mmc', ['mmc', 'des'] as const),
  episodeLength: opt.number(1800, { min: 0, minExclusive: true }),
  action: opt.oneOf('delta', ['delta', 'target'] as const),
  maxStep: opt.int(5, { min: 1 }),
  historyWindow: opt.int(8, { min: 1 }),
};

export type AutoscalingOptions = OptionValues<typeof autoscalingOptions>;

export class AutoscalingEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  readonly options: AutoscalingOptions;
  readonly load: LoadSource;
  /** Intervals per episode. */
  readonly steps: number;
  private readonly model: ServiceModel;
  private readonly pool: ReplicaPool;
  private readonly encoding: AutoscalingActionEncoding;

  // Episode state.
  private rates: Float64Array = new Float64Array(0);
  private startTimeOfDay = 0;
  private dayLength = 86400;
  private step_ = 0;
  private last: IntervalStats | undefined;
  private needsReset = true;
  private totals = { cost: 0, replicaSeconds: 0, violations: 0, arrivals: 0, dropped: 0, utilization: 0, scaleEvents: 0 };

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions(ID, options, autoscalingOptions);
    if (o.minReplicas > o.maxReplicas) {
      throw new OptionError('minReplicas', `(${o.minReplicas}) is greater than maxReplicas (${o.maxReplicas})`, 'minReplicas <= maxReplicas', ID);
    }
    if (o.initialReplicas !== null && (o.initialReplicas < o.minReplicas || o.initialReplicas > o.maxReplicas)) {
      throw new OptionError('initialReplicas', `is ${o.initialReplicas}, outside [minReplicas, maxReplicas] = [${o.minReplicas}, ${o.maxReplicas}]`, 'null or an integer in [minReplicas, maxReplicas]', ID);
    }
    if (o.sloPercentile >= 1) throw new OptionError('sloPercentile', `is ${o.sloPercentile}`, 'a number in (0, 1), e.g. 0.95', ID);
    this.options = o;
    this.steps = Math.ceil(o.episodeLength / o.controlInterval - 1e-9);
    this.load = makeLoadSource(o.load);
    if (this.load instanceof TraceLoad) this.load.checkFits((this.steps + o.historyWindow) * o.controlInterval);
    this.model = o.latencyModel === 'des' ? new DesModel(o.serviceRate, o.queueCapacity, o.sloPercentile) : new FluidMmcModel(o.serviceRate, o.queueCapacity, o.sloPercentile);
    this.pool = new ReplicaPool(o.startupDelay);
    this.encoding = o.action === 'delta' ? { type: 'delta', maxStep: o.maxStep } : { type: 'target' };
    this.actionSpace = new Discrete(o.action === 'delta' ? 2 * o.maxStep + 1 : o.maxReplicas - o.minReplicas + 1);
    this.observationSpace = serviceObservationSpace(o.historyWindow, 1);
    // Playback rate of the ansi frames: one simulated hour of 15 s intervals per minute.
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const o = this.options;
    const w = o.historyWindow;
    const rng = this.npRandom;
    const episode = this.load.episode(rng, w + this.steps, o.controlInterval);
    this.rates = episode.rates;
    this.startTimeOfDay = episode.startTimeOfDay;
    this.dayLength = episode.dayLength;
    const initial = o.initialReplicas ?? smallestReplicasForSlo(this.rates[w - 1], o.serviceRate, o.sloLatency, o.sloPercentile, o.minReplicas, o.maxReplicas);
    this.pool.reset(initial);
    this.model.reset(rng);
    // Warm-up: the service has run the history intervals at the initial size.
    for (let k = 0; k < w; k++) {
      const t0 = (k - w) * o.controlInterval;
      this.model.runSegment(t0, t0 + o.controlInterval, this.rates[k], initial);
      this.last = this.model.endInterval();
    }
    this.model.startEpisode();
    this.step_ = 0;
    this.totals = { cost: 0, replicaSeconds: 0, violations: 0, arrivals: 0, dropped: 0, utilization: 0, scaleEvents: 0 };
    this.needsReset = false;
    return { observation: this.observation(), info: this.baseInfo() };
  }

  step(action: number): StepResult<Float32Array> {
    if (this.needsReset) throw new ResetNeededError(`${ID}: step() called before reset() or after the episode ended; call reset() first`);
    if (!this.actionSpace.contains(action)) {
      throw new InvalidActionError(`${ID}: action ${JSON.stringify(action)} is not in the action space; accepted: an integer in [0, ${this.actionSpace.n - 1}] (${this.describeAction()})`);
    }
    const o = this.options;
    const dt = o.controlInterval;
    const t = this.step_ * dt;
    const requested = this.pool.requested;
    const wanted = this.encoding.type === 'delta' ? requested + action - this.encoding.maxStep : o.minReplicas + action;
    const target = Math.min(o.maxReplicas, Math.max(o.minReplicas, wanted));
    if (this.pool.scaleTo(target, t) !== 0) this.totals.scaleEvents++;

    // Run the interval in segments of constant ready count.
    const lambda = this.rates[o.historyWindow + this.step_];
    const end = t + dt;
    let from = t;
    while (this.pool.nextReadyAt < end) {
      const at = Math.max(from, this.pool.nextReadyAt);
      if (at > from) this.model.runSegment(from, at, lambda, this.pool.ready);
      this.pool.promoteUntil(at);
      from = at;
    }
    this.model.runSegment(from, end, lambda, this.pool.ready);
    const stats = this.model.endInterval();
    this.last = stats;

    const replicas = this.pool.requested;
    const cost = ((replicas * dt) / 3600) * o.costPerReplicaHour;
    const violation = stats.latencyPercentile > o.sloLatency || stats.dropped > 0 ? 1 : 0;
    const reward = -(cost + o.sloPenalty * violation);
    const tot = this.totals;
    tot.cost += cost;
    tot.replicaSeconds += replicas * dt;
    tot.violations += violation;
    tot.arrivals += stats.arrivals;
    tot.dropped += stats.dropped;
    tot.utilization += stats.utilization;
    this.step_++;
    const truncated = this.step_ >= this.steps;
    const info: Info = {
      ...this.baseInfo(),
      cost,
      violation,
      latency: stats.latencyPercentile,
      meanLatency: stats.meanLatency,
      arrivals: stats.arrivals,
      dropped: stats.dropped,
    };
    if (truncated) {
      this.needsReset = true;
      const latency = this.model.episodeLatency(0.95);
      info.metrics = {
        cost: tot.cost,
        replicaHours: tot.replicaSeconds / 3600,
        sloViolationRate: tot.violations / this.steps,
        meanLatency: latency.mean,
        p95Latency: latency.percentile,
        dropRate: tot.arrivals > 0 ? tot.dropped / tot.arrivals : 0,
        meanReplicas: tot.replicaSeconds / (this.steps * dt),
        meanUtilization: tot.utilization / this.steps,
        scaleEvents: tot.scaleEvents,
      };
    }
    return { observation: this.observation(), reward, terminated: false, truncated, info };
  }

  override actionMasks(): Uint8Array {
    const o = this.options;
    const mask = new Uint8Array(this.actionSpace.n);
    if (this.encoding.type === 'target') return mask.fill(1);
    const requested = this.pool.requested;
    for (let a = 0; a < mask.length; a++) {
      const wanted = requested + a - this.encoding.maxStep;
      mask[a] = wanted >= o.minReplicas && wanted <= o.maxReplicas ? 1 : 0;
    }
    return mask;
  }

  /** The state view heuristics read (also `info.autoscaling`). */
  state(): AutoscalingState {
    const o = this.options;
    const w = o.historyWindow;
    const last = this.last!;
    return {
      time: this.step_ * o.controlInterval,
      controlInterval: o.controlInterval,
      startupDelay: o.startupDelay,
      serviceRate: o.serviceRate,
      minReplicas: o.minReplicas,
      maxReplicas: o.maxReplicas,
      sloLatency: o.sloLatency,
      sloPercentile: o.sloPercentile,
      readyReplicas: this.pool.ready,
      startingReplicas: this.pool.startingCount,
      replicas: this.pool.requested,
      utilization: last.utilization,
      arrivalRate: this.rates[w + this.step_ - 1],
      rateHistory: Array.from(this.rates.subarray(this.step_, w + this.step_)),
      queueLength: last.queueLength,
      latencyPercentile: last.latencyPercentile,
      action: this.encoding,
    };
  }

  override render(): string {
    const s = this.state();
    return `t=${s.time}s rate=${s.arrivalRate.toFixed(2)}/s replicas=${s.readyReplicas}+${s.startingReplicas} util=${s.utilization.toFixed(2)} queue=${s.queueLength.toFixed(1)} p${Math.round(s.sloPercentile * 100)}=${s.latencyPercentile.toFixed(3)}s`;
  }

  private baseInfo(): Info {
    return { actionMask: this.actionMasks(), autoscaling: this.state() };
  }

  private describeAction(): string {
    return this.encoding.type === 'delta' ? `a changes the replicas by a − ${this.encoding.maxStep}` : `a requests ${this.options.minReplicas} + a replicas`;
  }

  private observation(): Float32Array {
    const o = this.options;
    const w = o.historyWindow;
    const obs = new Float32Array(w + 7);
    const full = o.serviceRate * o.maxReplicas;
    for (let i = 0; i < w; i++) obs[i] = this.rates[this.step_ + i] / full;
    const last = this.last!;
    obs[w] = this.pool.ready / o.maxReplicas;
    obs[w + 1] = this.pool.startingCount / o.maxReplicas;
    obs[w + 2] = last.utilization;
    obs[w + 3] = o.queueCapacity > 0 ? Math.min(1, last.queueLength / o.queueCapacity) : 0;
    obs[w + 4] = Math.min(LATENCY_CLIP, last.latencyPercentile / o.sloLatency);
    const phase = (2 * Math.PI * (this.startTimeOfDay + w * o.controlInterval + this.step_ * o.controlInterval)) / this.dayLength;
    obs[w + 5] = Math.sin(phase);
    obs[w + 6] = Math.cos(phase);
    return obs;
  }
}
