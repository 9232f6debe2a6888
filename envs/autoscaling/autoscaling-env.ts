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
 * It is MicroserviceAutoscaling-v0 (microservice-env.ts) with one service: this registration parses its
 * own options, runs the chain of that one service, and adapts the action (a number), the state view
 * (`info.autoscaling`) and the metrics (no per-service copies).
 * Sources: the M/M/c model (Kleinrock, "Queueing Systems" vol. 1, 1975); the control loop and its 15 s
 * sync period from the Kubernetes Horizontal Pod Autoscaler
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/); the trace from Patel et
 * al., "Splitwise", ISCA 2024 (Azure LLM inference trace, CC-BY-4.0,
 * https://github.com/Azure/AzurePublicDataset).
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
 * - v0 (schedlab 0.2): runs as MicroserviceAutoscaling-v0 with one service; the same numbers (tested
 *   against trajectories recorded from the 0.1 class).
 */
import { InvalidActionError, OptionError } from '../../core/errors.js';
import { opt, parseOptions, type OptionValues } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import type { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import type { MicroserviceAutoscalingState } from './chain-state-view.js';
import type { LoadSource } from './load/index.js';
import { MicroserviceAutoscalingEnv, microserviceAutoscalingOptions, serviceOptions } from './microservice-env.js';
import type { AutoscalingState } from './state-view.js';

const ID = 'Autoscaling-v0';

/** The chain's options with its one service's flattened in, in this order; sloLatency 4 s by default. */
const chain = microserviceAutoscalingOptions;
export const autoscalingOptions = {
  load: chain.load,
  serviceRate: serviceOptions.serviceRate,
  minReplicas: serviceOptions.minReplicas,
  maxReplicas: serviceOptions.maxReplicas,
  initialReplicas: serviceOptions.initialReplicas,
  controlInterval: chain.controlInterval,
  startupDelay: serviceOptions.startupDelay,
  sloLatency: opt.number(4, { min: 0, minExclusive: true }),
  sloPercentile: chain.sloPercentile,
  queueCapacity: serviceOptions.queueCapacity,
  costPerReplicaHour: chain.costPerReplicaHour,
  sloPenalty: chain.sloPenalty,
  latencyModel: chain.latencyModel,
  episodeLength: chain.episodeLength,
  action: chain.action,
  maxStep: chain.maxStep,
  historyWindow: chain.historyWindow,
};

export type AutoscalingOptions = OptionValues<typeof autoscalingOptions>;

/** The one-service chain behind Autoscaling-v0, with a Discrete action and a single-service view. */
export class AutoscalingEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  readonly options: AutoscalingOptions;
  readonly load: LoadSource;
  /** Intervals per episode. */
  readonly steps: number;
  private readonly chain: MicroserviceAutoscalingEnv;
  private readonly chainAction = new Int32Array(1);

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions(ID, options, autoscalingOptions);
    if (o.minReplicas > o.maxReplicas) {
      throw new OptionError(
        'minReplicas',
        `(${o.minReplicas}) is greater than maxReplicas (${o.maxReplicas})`,
        'minReplicas <= maxReplicas',
        ID,
      );
    }
    if (o.initialReplicas !== null && (o.initialReplicas < o.minReplicas || o.initialReplicas > o.maxReplicas)) {
      throw new OptionError(
        'initialReplicas',
        `is ${o.initialReplicas}, outside [minReplicas, maxReplicas] = [${o.minReplicas}, ${o.maxReplicas}]`,
        'null or an integer in [minReplicas, maxReplicas]',
        ID,
      );
    }
    if (o.sloPercentile >= 1) throw new OptionError('sloPercentile', `is ${o.sloPercentile}`, 'a number in (0, 1), e.g. 0.95', ID);
    this.options = o;
    const { serviceRate, minReplicas, maxReplicas, initialReplicas, startupDelay, queueCapacity, ...chainOptions } = o;
    this.chain = new MicroserviceAutoscalingEnv(
      { ...chainOptions, services: [{ serviceRate, minReplicas, maxReplicas, initialReplicas, startupDelay, queueCapacity }] },
      ID,
    );
    this.load = this.chain.load;
    this.steps = this.chain.steps;
    this.actionSpace = new Discrete(this.chain.actionSpace.nvec[0]);
    this.observationSpace = this.chain.observationSpace;
    this.metadata = this.chain.metadata;
  }

  override get npRandom(): Rng {
    return this.chain.npRandom;
  }

  override set npRandom(rng: Rng) {
    this.chain.npRandom = rng;
  }

  override get npRandomSeed(): number | undefined {
    return this.chain.npRandomSeed;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    const { observation, info } = this.chain.reset(args);
    return { observation, info: { actionMask: info.actionMask, autoscaling: this.serviceView(info) } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) {
      this.chain.checkStepAllowed();
      const what =
        this.options.action === 'delta'
          ? `a changes the replicas by a − ${this.options.maxStep}`
          : `a requests ${this.options.minReplicas} + a replicas`;
      throw new InvalidActionError(
        `${ID}: action ${JSON.stringify(action)} is not in the action space; accepted: an integer in [0, ${this.actionSpace.n - 1}] (${what})`,
      );
    }
    this.chainAction[0] = action;
    const result = this.chain.step(this.chainAction);
    const info = this.adapt(result.info);
    if (result.info.metrics) {
      const { meanReplicas_0: _replicas, meanUtilization_0: _utilization, ...metrics } = result.info.metrics;
      info.metrics = metrics;
    }
    return { ...result, info };
  }

  override actionMasks(): Uint8Array {
    return this.chain.actionMasks();
  }

  /** The state view heuristics read (also `info.autoscaling`). */
  state(): AutoscalingState {
    return this.chain.state().services[0];
  }

  override render(): string {
    const s = this.state();
    return `t=${s.time}s rate=${s.arrivalRate.toFixed(2)}/s replicas=${s.readyReplicas}+${s.startingReplicas} util=${s.utilization.toFixed(2)} queue=${s.queueLength.toFixed(1)} p${Math.round(s.sloPercentile * 100)}=${s.latencyPercentile.toFixed(3)}s`;
  }

  override close(): void {
    this.chain.close();
  }

  /** The chain's step info as Autoscaling-v0's: its one service's view and the figures, no per-service list. */
  private adapt(chain: Info): Info {
    const { actionMask, cost, violation, latency, meanLatency, arrivals, dropped } = chain;
    return { actionMask, autoscaling: this.serviceView(chain), cost, violation, latency, meanLatency, arrivals, dropped };
  }

  private serviceView(chain: Info): AutoscalingState {
    return (chain.microservices as MicroserviceAutoscalingState).services[0];
  }
}
