/**
 * Proximal Policy Optimization (Schulman et al., 2017) with CleanRL ppo.py's semantics. The rollouts
 * (`numSteps` steps in `numEnvs` envs, GAE) and the learn loop are OnPolicyAgent's; this file is the
 * update, top to bottom: `updateEpochs` epochs of
 * shuffled minibatches minimising the clipped surrogate − entropy bonus + (optionally clipped) value
 * loss, with per-minibatch advantage normalisation, global grad-norm clipping, linear LR annealing and
 * a target-KL early stop. Additions over ppo.py: bootstrapping on truncation (r += γ·V(final obs), as
 * Stable-Baselines3), masked categorical policies (info.actionMask / actionMasks), MultiDiscrete and
 * Gaussian (Box) actions, optional observation and reward normalisation (VecNormalize).
 *
 * Action selection runs on the CPU (Float32Array maths on the weights cached after every update, and
 * the agent's seeded Rng for sampling); gradients run in TensorFlow.js on one flat parameter vector.
 */
import * as tf from '@tensorflow/tfjs';
import { SchedlabError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import type { Space } from '../../envs/core/spaces/space.js';
import { mean, normalizeInPlace } from '../core/batch-stats.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { MASKED_LOGIT } from '../core/distributions.js';
import type { LearnedAgentContext } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { clipGradNorm } from '../core/nn/clip-grad-norm.js';
import { OnPolicyAgent, type OnPolicyOptions } from '../core/on-policy-agent.js';
import { explainedVariance, RolloutBuffer } from '../core/rollout-buffer.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { PPO_STATS, ppoLossGrad, ppoLossTf, type PpoMinibatch, type PpoStats } from './loss.js';
import { ppoOptionSchema, type PpoOptions } from './options.js';

type StatName = (typeof PPO_STATS)[number] | 'grad_norm';

export type PpoContext = LearnedAgentContext;

/** Weights, sampling, shuffling and env resets all derive from the run's seed (`seed`, restored by `load`). */
export class PPO extends OnPolicyAgent {
  readonly name = 'ppo';
  readonly options: PpoOptions;
  private adam: FlatAdam;
  private shuffleRng: Rng;

  constructor(observationSpace: Space, actionSpace: Space, rawOptions: Partial<PpoOptions> = {}, ctx: PpoContext = { seed: 0 }) {
    const options = parseOptions('ppo', rawOptions, ppoOptionSchema);
    const batchSize = options.numEnvs * options.numSteps;
    if (batchSize % options.numMinibatches !== 0) {
      throw new SchedlabError(`ppo: option 'numMinibatches' (${options.numMinibatches}) must divide numEnvs × numSteps (${batchSize})`);
    }
    if (options.fusedForward && (options.body !== 'items' || options.gradient !== 'analytic'))
      throw new SchedlabError(
        `ppo: option 'fusedForward' needs body 'items' and gradient 'analytic' (got body '${options.body}', gradient '${options.gradient}')`,
      );
    super(observationSpace, actionSpace, options, ctx, 'ppo');
    this.options = options;
    this.net.forwardInTfjs = options.fusedForward;
    this.shuffleRng = new Rng(this.initRng.nextSeed());
    this.adam = new FlatAdam(this.net.store.variable, { eps: options.adamEps });
  }

  protected get onPolicyOptions(): OnPolicyOptions {
    return this.options;
  }

  architecture(): unknown {
    const { initLogStd: _ignored, ...network } = this.net.config;
    return { network, normalizeObservation: this.options.normalizeObservation, layout: this.net.store.layout() };
  }

  // ---- optimizing the policy and value network ---------------------------------------------------

  protected train(buffer: RolloutBuffer, lr: number): Record<string, number> {
    return { ...this.update(buffer, lr), explained_variance: explainedVariance(buffer.values, buffer.returns) };
  }

  /** `updateEpochs` epochs over shuffled minibatches; returns the last minibatch's stats (clipfrac: the mean), as CleanRL logs them. */
  private update(buffer: RolloutBuffer, lr: number): Record<StatName, number> {
    const o = this.options;
    const batchSize = buffer.size;
    const m = batchSize / o.numMinibatches;
    const { obsSize } = this;
    const { encodedSize, actionDim } = this.dist;
    const maskSize = buffer.shape.maskSize;
    const inds = Int32Array.from({ length: batchSize }, (_, i) => i);
    const mb: PpoMinibatch = {
      size: m,
      obs: new Float32Array(m * obsSize),
      actions: new Float32Array(m * actionDim),
      encoded: new Float32Array(m * encodedSize),
      mask: maskSize ? new Uint8Array(m * maskSize) : undefined,
      penalty: maskSize ? new Float32Array(m * maskSize) : undefined,
      oldLogProb: new Float32Array(m),
      advantages: new Float32Array(m),
      returns: new Float32Array(m),
      oldValues: new Float32Array(m),
    };
    let last: Record<StatName, number> | undefined;
    const clipfracs: number[] = [];
    for (let epoch = 0; epoch < o.updateEpochs; epoch++) {
      // Fisher–Yates with the agent's shuffle generator (np.random.shuffle in CleanRL).
      for (let i = batchSize - 1; i > 0; i--) {
        const j = Math.floor(this.shuffleRng.random() * (i + 1));
        const t = inds[i];
        inds[i] = inds[j];
        inds[j] = t;
      }
      for (let start = 0; start < batchSize; start += m) {
        const idx = inds.subarray(start, start + m);
        RolloutBuffer.gather(buffer.obs, obsSize, idx, mb.obs);
        RolloutBuffer.gather(buffer.actions, actionDim, idx, mb.actions);
        this.dist.encode(buffer.actions, idx, mb.encoded);
        if (mb.mask && mb.penalty) {
          RolloutBuffer.gather(buffer.masks, maskSize, idx, mb.mask);
          for (let i = 0; i < mb.penalty.length; i++) mb.penalty[i] = mb.mask[i] ? 0 : MASKED_LOGIT;
        }
        for (let r = 0; r < m; r++) {
          mb.oldLogProb[r] = buffer.logProbs[idx[r]];
          mb.advantages[r] = buffer.advantages[idx[r]];
          mb.returns[r] = buffer.returns[idx[r]];
          mb.oldValues[r] = buffer.values[idx[r]];
        }
        if (o.normAdv) normalizeInPlace(mb.advantages);
        last = this.trainStep(mb, lr);
        clipfracs.push(last.clipfrac);
      }
      if (o.targetKl !== null && last!.approx_kl > o.targetKl) break;
    }
    return { ...last!, clipfrac: mean(clipfracs) };
  }

  /**
   * One gradient step on a minibatch: ∇θ of the PPO loss (closed-form output gradients backpropagated
   * through the network, or tfjs autodiff of the loss when option gradient is 'autodiff'), global
   * grad-norm clipping, Adam. Throws before applying a non-finite update.
   */
  private trainStep(mb: PpoMinibatch, lr: number): Record<StatName, number> {
    if (this.options.body === 'items' && this.options.gradient === 'analytic') return this.trainStepRagged(mb, lr);
    const o = this.options;
    const m = mb.size;
    const variable = this.net.store.variable;
    let stats: PpoStats | undefined;
    const { grad, norm } = tf.tidy(() => {
      const obs = tf.tensor2d(mb.obs, [m, this.obsSize]);
      const { grads } = tf.variableGrads(() => {
        const out = this.net.apply(obs);
        if (o.gradient === 'analytic') {
          const r = ppoLossGrad(this.dist, out.head.dataSync(), out.value.dataSync(), out.logStd?.dataSync(), mb, o);
          stats = r.stats;
          // A surrogate whose gradient with respect to the outputs is ∂L/∂outputs: backprop gives ∇θ L.
          let surrogate = tf.add(
            tf.sum(tf.mul(out.head, tf.tensor2d(r.gHead, [m, this.dist.headSize]))),
            tf.sum(tf.mul(out.value, tf.tensor1d(r.gValue))),
          );
          if (out.logStd) surrogate = tf.add(surrogate, tf.sum(tf.mul(out.logStd, tf.tensor1d(r.gLogStd))));
          return surrogate as tf.Scalar;
        }
        const t = {
          encoded: tf.tensor2d(mb.encoded, [m, this.dist.encodedSize]),
          penalty: mb.penalty ? tf.tensor2d(mb.penalty, [m, this.dist.maskSize]) : undefined,
          oldLogProb: tf.tensor1d(mb.oldLogProb),
          advantages: tf.tensor1d(mb.advantages),
          returns: tf.tensor1d(mb.returns),
          oldValues: tf.tensor1d(mb.oldValues),
        };
        const { loss, stats: s } = ppoLossTf(this.dist, out, t, o);
        const values = s.dataSync();
        stats = Object.fromEntries(PPO_STATS.map((k, i) => [k, values[i]])) as PpoStats;
        return loss;
      }, [variable]);
      // Global grad-norm clipping (torch.nn.utils.clip_grad_norm_).
      return clipGradNorm(grads[variable.name] as tf.Tensor1D, o.maxGradNorm);
    });
    return this.applyGradient(stats!, grad, norm, lr);
  }

  /**
   * `trainStep` for body 'items': the actor scores only the valid items of the minibatch (ragged rows:
   * ActorCritic's forwardRagged), the loss reads them in the padded head where masked slots have
   * probability 0 and gradient 0 either way, and backpropagation is written out. The same numbers as
   * the padded computation bit for bit (tested), unless option fusedForward is set.
   */
  private trainStepRagged(mb: PpoMinibatch, lr: number): Record<StatName, number> {
    let stats: PpoStats | undefined;
    const { grad, norm } = tf.tidy(() => {
      const f = this.net.forwardRagged(mb.obs, mb.mask, mb.size, this.options.fusedForward);
      const r = ppoLossGrad(this.dist, f.head, f.value, undefined, mb, this.options);
      stats = r.stats;
      return clipGradNorm(this.net.gradientRagged(f, r.gHead, r.gValue), this.options.maxGradNorm);
    });
    return this.applyGradient(stats!, grad, norm, lr);
  }

  /** Adam with the clipped gradient, after checking the step's statistics are finite (else nothing is applied). */
  private applyGradient(stats: PpoStats, grad: tf.Tensor1D, norm: tf.Scalar, lr: number): Record<StatName, number> {
    const result = { ...stats, grad_norm: norm.dataSync()[0] };
    norm.dispose();
    if (!Object.values(result).every(Number.isFinite)) {
      grad.dispose();
      throw new NonFiniteLossError('ppo', this.globalStep, result);
    }
    this.adam.apply(grad, lr);
    grad.dispose();
    return result;
  }

  // ---- persistence -----------------------------------------------------------------------------

  protected checkpointCounters(): readonly string[] {
    return ['iteration', 'adamStep'];
  }

  async save(dir: string): Promise<void> {
    this.net.store.sync();
    const adam = this.adam.state();
    const meta = this.checkpointMeta({
      counters: { seed: this.seed, globalStep: this.globalStep, iteration: this.iteration, episodes: this.episodes, adamStep: adam.step },
      rng: { sample: this.sampleRng.state(), shuffle: this.shuffleRng.state() },
      normalization: this.normalizationState(),
      extra: { recentReturns: this.recentReturns },
    });
    const size = this.net.store.size;
    await saveCheckpoint(
      dir,
      meta,
      this.checkpointTensors({
        params: { values: this.net.store.values, shape: [size] },
        'adam/m': { values: adam.m, shape: [size] },
        'adam/v': { values: adam.v, shape: [size] },
      }),
    );
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.net.store.assign(tensors.params.values);
    this.adam.setState({ step: meta.counters.adamStep, m: tensors['adam/m'].values, v: tensors['adam/v'].values });
    this.restoreShared(meta, tensors);
    this.iteration = meta.counters.iteration;
    const rng = meta.rng as { sample: ReturnType<Rng['state']>; shuffle: ReturnType<Rng['state']> };
    this.sampleRng = Rng.fromState(rng.sample);
    this.shuffleRng = Rng.fromState(rng.shuffle);
  }

  dispose(): void {
    this.adam.dispose();
    this.net.dispose();
  }
}
