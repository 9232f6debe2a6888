/**
 * REINFORCE (Williams, 1992) with DeepRM's time-dependent baseline (Mao et al., HotNets 2016, pg_re.py),
 * top to bottom: for each job sequence of a batch, `rolloutsPerSequence` episodes of the same sequence
 * (the env reset with the same seed each time, so arrivals are identical and only the policy's choices
 * differ); discounted returns G_t of each rollout; baseline b_t = the mean of G_t across the rollouts
 * (returns of rollouts that already ended count as 0, as DeepRM pads them); advantage G_t − b_t; then one
 * optimizer step on −Σ A·log π(a|s) / N over the batch's N steps (gradient ascent on DeepRM's
 * objective). The policy is an MLP with a softmax over the actions, masked where the env publishes
 * action masks. Sequences come from a fixed training set of `numSequences` env seeds, visited in a
 * shuffled order each pass (DeepRM's num_ex examples), or a new seed per sequence.
 *
 * Each sequence's gradient is computed on its own rollouts and summed, so memory holds one sequence's
 * observations, not a batch's. DeepRM sums the batches' gradients over all num_ex examples into one
 * update per iteration: `sequencesPerBatch = numSequences` does the same.
 */
import * as tf from '@tensorflow/tfjs';
import { SchedlabError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { flatdim, flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions } from '../core/agent.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { distributionFor, MASKED_LOGIT, type MaskedCategorical } from '../core/distributions.js';
import { LearnedAgent, type FinishedEpisode, type LearnedAgentContext, type TrainingRun } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { Mlp } from '../core/nn/mlp.js';
import { ParamStore } from '../core/nn/params.js';
import { FlatRmsprop } from '../core/nn/rmsprop.js';
import { optimizerTensors, restoreOptimizer } from '../core/optimizer-checkpoint.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { NormalizationStats } from '../core/vec-normalize.js';
import type { VectorEnvLike } from '../core/vec.js';
import { reinforceOptionSchema, type ReinforceOptions } from './options.js';

export type ReinforceContext = LearnedAgentContext;

/** Why REINFORCE cannot act on `space`, or null (it needs categorical actions). */
export function reinforceUnsupported(space: Space): string | null {
  const dist = distributionFor(space);
  if (typeof dist === 'string') return `reinforce: ${dist}`;
  return dist.kind === 'categorical'
    ? null
    : `reinforce needs a Discrete or MultiDiscrete action space (softmax policy), got ${space.toString()}`;
}

/** One episode: observations, stored actions (category indices), masks and rewards, step by step. */
interface Rollout {
  obs: Float32Array[];
  actions: Float32Array[];
  masks: Uint8Array[];
  /** The rewards learned from (scaled under reward normalisation). */
  rewards: number[];
  /** The episode's return in the env's own rewards. */
  originalReturn: number;
  metrics?: Record<string, number>;
}

/** `timings.update` counts the gradient computation of every sequence as well as the optimizer step. */
export class REINFORCE extends LearnedAgent {
  readonly name = 'reinforce';
  readonly options: ReinforceOptions;
  readonly dist: MaskedCategorical;
  readonly store = new ParamStore();
  readonly policy: Mlp;
  readonly obsSize: number;
  iteration = 0;
  private optimizer: FlatRmsprop | FlatAdam;
  private sampleRng: Rng;
  private shuffleRng: Rng;
  /** Draws the seeds of fresh sequences when numSequences is null. */
  private sequenceRng: Rng;
  /** The fixed training set's env seeds, and the current pass's order over them. */
  private trainingSeeds: number[];
  private order: number[] = [];
  private orderPos = 0;

  constructor(
    observationSpace: Space,
    actionSpace: Space,
    rawOptions: Partial<ReinforceOptions> = {},
    ctx: ReinforceContext = { seed: 0 },
  ) {
    super(observationSpace, actionSpace, ctx);
    this.options = parseOptions('reinforce', rawOptions, reinforceOptionSchema);
    const o = this.options;
    const dist = distributionFor(actionSpace);
    if (typeof dist === 'string' || dist.kind !== 'categorical') throw new SchedlabError(reinforceUnsupported(actionSpace)!);
    this.dist = dist;
    this.obsSize = flatdim(observationSpace);
    const initRng = new Rng(ctx.seed);
    this.policy = new Mlp(
      this.store,
      'policy',
      { inSize: this.obsSize, hidden: o.hiddenLayers, activation: o.activation, outSize: this.dist.headSize, outGain: 0.01 },
      initRng,
    );
    this.store.build();
    this.sampleRng = new Rng(initRng.nextSeed());
    this.shuffleRng = new Rng(initRng.nextSeed());
    this.sequenceRng = new Rng(initRng.nextSeed());
    const base = initRng.nextSeed();
    this.trainingSeeds = o.numSequences === null ? [] : Array.from({ length: o.numSequences }, (_, k) => (base + k) % 2147483647);
    this.optimizer =
      o.optimizer === 'rmsprop'
        ? new FlatRmsprop(this.store.variable, { alpha: o.rmsAlpha, eps: o.optimizerEps, epsInsideSqrt: true })
        : new FlatAdam(this.store.variable, { eps: o.optimizerEps });
    this.normalization = new NormalizationStats(this.obsSize, o);
  }

  architecture(): unknown {
    return {
      hidden: this.options.hiddenLayers,
      activation: this.options.activation,
      optimizer: this.options.optimizer,
      layout: this.store.layout(),
    };
  }

  /** The env seeds of the training set (empty when every sequence is new). */
  get sequenceSeeds(): readonly number[] {
    return this.trainingSeeds;
  }

  // ---- acting ----------------------------------------------------------------------------------

  private sample(
    x: Float32Array,
    mask: ArrayLike<number> | undefined,
    deterministic: boolean,
    out: Float32Array,
    rng: Rng = this.sampleRng,
  ): void {
    const head = this.policy.applyCpu(this.store.values, x, 1);
    if (mask && mask.length !== this.dist.maskSize)
      throw new SchedlabError(`reinforce: the action mask has ${mask.length} entries; the action space needs ${this.dist.maskSize}`);
    this.dist.sampleCpu(head, 0, mask, 0, rng, deterministic, out, 0);
  }

  act(observation: unknown, options: ActOptions = {}): unknown {
    const action = new Float32Array(this.dist.actionDim);
    const x = this.normalizedObservation(flatten(this.observationSpace, observation));
    this.sample(x, options.mask, options.deterministic ?? false, action, options.rng);
    return this.dist.toEnvAction(action, 0);
  }

  // ---- learning --------------------------------------------------------------------------------

  /** The env seed of the next sequence: the next of the shuffled training set, or a fresh one. */
  private nextSequenceSeed(): number {
    if (this.trainingSeeds.length === 0) return this.sequenceRng.nextSeed();
    if (this.orderPos >= this.order.length) {
      this.order = this.shuffleRng.shuffle(this.trainingSeeds.map((_, i) => i));
      this.orderPos = 0;
    }
    return this.trainingSeeds[this.order[this.orderPos++]];
  }

  private async rollout(vec: VectorEnvLike, seed: number): Promise<Rollout> {
    const r: Rollout = { obs: [], actions: [], masks: [], rewards: [], originalReturn: 0 };
    const reset = await this.resetEnvs(vec, seed);
    let obs = reset.observations;
    let mask = reset.actionMasks;
    for (;;) {
      const action = new Float32Array(this.dist.actionDim);
      this.sample(obs, mask, false, action);
      r.obs.push(obs);
      r.actions.push(action);
      if (mask) r.masks.push(mask);
      const res = await this.stepEnvs(vec, [this.dist.toEnvAction(action, 0)]);
      this.globalStep++;
      r.rewards.push(res.rewards[0]);
      r.originalReturn += this.originalRewards(vec, res)[0];
      if (res.terminations[0] === 1 || res.truncations[0] === 1) {
        r.metrics = (res.infos[0].finalInfo as { metrics?: Record<string, number> } | undefined)?.metrics;
        return r;
      }
      obs = res.observations;
      mask = res.actionMasks;
    }
  }

  protected get numEnvs(): number {
    return 1;
  }

  protected checkTotalSteps(totalSteps: number): void {
    if (!Number.isInteger(totalSteps) || totalSteps < 1)
      throw new SchedlabError(`reinforce: totalSteps (${totalSteps}) must be a positive integer`);
  }

  protected async startLearning(vec: VectorEnvLike, totalSteps: number): Promise<TrainingRun> {
    const o = this.options;
    const endStep = this.globalStep + totalSteps;
    return {
      done: () => this.globalStep >= endStep,
      iterate: async () => {
        this.iteration++;
        const finished: FinishedEpisode[] = [];
        let gradSum: tf.Tensor1D | undefined;
        let lossSum = 0;
        let entropySum = 0;
        let samples = 0;
        try {
          for (let s = 0; s < o.sequencesPerBatch; s++) {
            // ---- rollouts of one sequence ----
            const seed = this.nextSequenceSeed();
            const rollouts: Rollout[] = [];
            for (let k = 0; k < o.rolloutsPerSequence; k++) rollouts.push(await this.rollout(vec, seed));
            this.timeUpdate(() => {
              // ---- discounted returns, time-dependent baseline, advantages ----
              const returns = rollouts.map((r) => discount(r.rewards, o.gamma));
              const baseline = timeDependentBaseline(returns);
              // ---- this sequence's share of the gradient ----
              const { grad, loss, entropy, n } = this.sequenceGradient(rollouts, returns, baseline);
              if (gradSum) {
                const next = tf.add<tf.Tensor1D>(gradSum, grad);
                gradSum.dispose();
                grad.dispose();
                gradSum = next;
              } else {
                gradSum = grad;
              }
              lossSum += loss;
              entropySum += entropy;
              samples += n;
            });
            for (const r of rollouts) {
              finished.push({ ret: r.originalReturn, len: r.rewards.length, metrics: r.metrics });
              this.rememberReturn(r.originalReturn);
            }
            this.episodes += rollouts.length;
          }
          // ---- one optimizer step on the batch's mean ----
          this.timeUpdate(() => {
            if (!Number.isFinite(lossSum) || !Number.isFinite(entropySum)) {
              throw new NonFiniteLossError('reinforce', this.globalStep, { policy_loss: lossSum / samples, entropy: entropySum / samples });
            }
            const step = tf.tidy(() => tf.div<tf.Tensor1D>(gradSum!, samples));
            this.optimizer.apply(step, o.learningRate);
            step.dispose();
            this.store.sync();
          });
        } finally {
          gradSum?.dispose();
        }
        // Every iteration ends whole episodes, so the episode columns are in every row.
        return this.dumpProgress(finished, o.learningRate, {
          policy_loss: lossSum / samples,
          entropy: entropySum / samples,
          iteration: this.iteration,
        });
      },
    };
  }

  /** ∇ of −Σ_t A_t·log π(a_t|s_t) − entCoef·Σ_t H_t over one sequence's rollouts (a sum: the batch divides by its size). */
  private sequenceGradient(
    rollouts: Rollout[],
    returns: Float64Array[],
    baseline: Float64Array,
  ): { grad: tf.Tensor1D; loss: number; entropy: number; n: number } {
    const n = rollouts.reduce((a, r) => a + r.rewards.length, 0);
    const { obsSize } = this;
    const { encodedSize, maskSize, actionDim } = this.dist;
    const masked = rollouts[0].masks.length > 0;
    const obs = new Float32Array(n * obsSize);
    const actions = new Float32Array(n * actionDim);
    const adv = new Float32Array(n);
    const penalty = masked ? new Float32Array(n * maskSize) : undefined;
    let i = 0;
    rollouts.forEach((r, k) => {
      for (let t = 0; t < r.rewards.length; t++, i++) {
        obs.set(r.obs[t], i * obsSize);
        actions.set(r.actions[t], i * actionDim);
        adv[i] = returns[k][t] - baseline[t];
        if (penalty) {
          const m = r.masks[t];
          let any = false;
          for (let a = 0; a < maskSize; a++) if (m[a]) any = true;
          if (any) for (let a = 0; a < maskSize; a++) penalty[i * maskSize + a] = m[a] ? 0 : MASKED_LOGIT;
        }
      }
    });
    const enc = new Float32Array(n * encodedSize);
    this.dist.encode(
      actions,
      Int32Array.from({ length: n }, (_, r) => r),
      enc,
    );
    const variable = this.store.variable;
    let kept: tf.Tensor | undefined;
    const grad = tf.tidy(() => {
      const obsT = tf.tensor2d(obs, [n, obsSize]);
      const encT = tf.tensor2d(enc, [n, encodedSize]);
      const penT = penalty ? tf.tensor2d(penalty, [n, maskSize]) : undefined;
      const advT = tf.tensor1d(adv);
      const { grads } = tf.variableGrads(() => {
        const logits = this.policy.apply(this.store.views(), obsT);
        const { logProb, entropy } = this.dist.logProbEntropy(logits, encT, penT);
        const pgLoss = tf.neg(tf.sum(tf.mul(advT, logProb)));
        const entropySum = tf.sum(entropy);
        kept = tf.keep(tf.stack([pgLoss, entropySum]));
        return tf.sub<tf.Scalar>(pgLoss, tf.mul(this.options.entCoef, entropySum));
      }, [variable]);
      return grads[variable.name] as tf.Tensor1D;
    });
    const [loss, entropy] = kept!.dataSync();
    kept!.dispose();
    return { grad, loss, entropy, n };
  }

  // ---- persistence -----------------------------------------------------------------------------

  protected checkpointCounters(): readonly string[] {
    return ['iteration', 'optimizerStep', 'orderPos'];
  }

  async save(dir: string): Promise<void> {
    this.store.sync();
    const size = this.store.size;
    const opt = optimizerTensors(this.optimizer, size);
    const meta = this.checkpointMeta({
      counters: {
        seed: this.seed,
        globalStep: this.globalStep,
        iteration: this.iteration,
        episodes: this.episodes,
        optimizerStep: opt.step,
        orderPos: this.orderPos,
      },
      rng: { sample: this.sampleRng.state(), shuffle: this.shuffleRng.state(), sequence: this.sequenceRng.state() },
      normalization: this.normalizationState(),
      extra: { trainingSeeds: this.trainingSeeds, order: this.order, recentReturns: this.recentReturns },
    });
    await saveCheckpoint(dir, meta, this.checkpointTensors({ params: { values: this.store.values, shape: [size] }, ...opt.tensors }));
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.store.assign(tensors.params.values);
    restoreOptimizer(this.optimizer, meta.counters.optimizerStep, tensors);
    const c = meta.counters;
    this.restoreShared(meta, tensors);
    this.iteration = c.iteration;
    this.orderPos = c.orderPos;
    type State = ReturnType<Rng['state']>;
    const rng = meta.rng as { sample: State; shuffle: State; sequence: State };
    this.sampleRng = Rng.fromState(rng.sample);
    this.shuffleRng = Rng.fromState(rng.shuffle);
    this.sequenceRng = Rng.fromState(rng.sequence);
    this.trainingSeeds = [...((meta.extra?.trainingSeeds as number[] | undefined) ?? this.trainingSeeds)];
    this.order = [...((meta.extra?.order as number[] | undefined) ?? [])];
  }

  dispose(): void {
    this.optimizer.dispose();
    this.store.dispose();
  }
}

/** y_t = x_t + γ·x_{t+1} + γ²·x_{t+2} + … (DeepRM's discount). */
export function discount(x: readonly number[], gamma: number): Float64Array {
  const out = new Float64Array(x.length);
  let acc = 0;
  for (let t = x.length - 1; t >= 0; t--) {
    acc = x[t] + gamma * acc;
    out[t] = acc;
  }
  return out;
}

/** b_t = mean over rollouts of G_t, a rollout that ended before t counting 0 (DeepRM pads returns with zeros). */
export function timeDependentBaseline(returns: readonly ArrayLike<number>[]): Float64Array {
  const maxLen = Math.max(0, ...returns.map((g) => g.length));
  const baseline = new Float64Array(maxLen);
  for (const g of returns) for (let t = 0; t < g.length; t++) baseline[t] += g[t] / returns.length;
  return baseline;
}
