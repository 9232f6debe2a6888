/**
 * Advantage Actor-Critic (Mnih et al., 2016, synchronous form) with Stable-Baselines3's A2C semantics.
 * The rollouts (`numSteps` steps in `numEnvs` envs; returns and advantages by GAE, λ = 1 by default:
 * n-step returns bootstrapped from V of the last observation) and the learn loop are OnPolicyAgent's,
 * shared with PPO; this file is the update: one RMSprop step on the whole rollout minimising
 * −mean(A·log π(a|s)) − entCoef·H + vfCoef·mean((R − V)²), with global grad-norm clipping. Masked
 * categorical, MultiDiscrete and Gaussian (Box) policies, through the shared actor-critic network,
 * distributions and rollout buffer.
 */
import * as tf from '@tensorflow/tfjs';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import type { Space } from '../../envs/core/spaces/space.js';
import { normalizeInPlace } from '../core/batch-stats.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { MASKED_LOGIT } from '../core/distributions.js';
import type { LearnedAgentContext } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { clipGradNorm } from '../core/nn/clip-grad-norm.js';
import { FlatRmsprop } from '../core/nn/rmsprop.js';
import { OnPolicyAgent, type OnPolicyOptions } from '../core/on-policy-agent.js';
import { optimizerTensors, restoreOptimizer } from '../core/optimizer-checkpoint.js';
import { explainedVariance, type RolloutBuffer } from '../core/rollout-buffer.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { a2cOptionSchema, type A2cOptions } from './options.js';

const STAT_NAMES = ['loss', 'policy_loss', 'value_loss', 'entropy', 'grad_norm'] as const;

export type A2cContext = LearnedAgentContext;

export class A2C extends OnPolicyAgent {
  readonly name = 'a2c';
  readonly options: A2cOptions;
  private optimizer: FlatRmsprop | FlatAdam;

  constructor(observationSpace: Space, actionSpace: Space, rawOptions: Partial<A2cOptions> = {}, ctx: A2cContext = { seed: 0 }) {
    const options = parseOptions('a2c', rawOptions, a2cOptionSchema);
    super(observationSpace, actionSpace, options, ctx, 'a2c');
    this.options = options;
    const o = options;
    this.optimizer =
      o.optimizer === 'rmsprop'
        ? new FlatRmsprop(this.net.store.variable, { alpha: o.rmsAlpha, eps: o.optimizerEps })
        : new FlatAdam(this.net.store.variable, { eps: o.optimizerEps });
  }

  protected get onPolicyOptions(): OnPolicyOptions {
    return this.options;
  }

  protected override get logInterval(): number {
    return this.options.logInterval;
  }

  architecture(): unknown {
    const { initLogStd: _ignored, ...network } = this.net.config;
    return { network, optimizer: this.options.optimizer, layout: this.net.store.layout() };
  }

  // ---- one gradient step on the whole rollout --------------------------------------------------

  protected train(buffer: RolloutBuffer, lr: number): Record<string, number> {
    const values = this.trainStep(buffer, lr);
    return {
      ...Object.fromEntries(STAT_NAMES.map((k, i) => [k, values[i]])),
      explained_variance: explainedVariance(buffer.values, buffer.returns) || 0,
    };
  }

  /** One optimizer step on the rollout; returns STAT_NAMES' values. Throws before applying a non-finite update. */
  private trainStep(buffer: RolloutBuffer, lr: number): number[] {
    const o = this.options;
    const m = buffer.size;
    const maskSize = buffer.shape.maskSize;
    const all = Int32Array.from({ length: m }, (_, i) => i);
    const enc = new Float32Array(m * this.dist.encodedSize);
    this.dist.encode(buffer.actions, all, enc);
    let penalty: Float32Array | undefined;
    if (maskSize) {
      penalty = new Float32Array(m * maskSize);
      for (let i = 0; i < penalty.length; i++) penalty[i] = buffer.masks[i] ? 0 : MASKED_LOGIT;
    }
    const adv = Float32Array.from(buffer.advantages);
    if (o.normAdv) normalizeInPlace(adv);
    const variable = this.net.store.variable;
    let kept: tf.Tensor | undefined;
    const { stats, grad } = tf.tidy(() => {
      const obsT = tf.tensor2d(buffer.obs, [m, this.obsSize]);
      const encT = tf.tensor2d(enc, [m, this.dist.encodedSize]);
      const penT = penalty ? tf.tensor2d(penalty, [m, maskSize]) : undefined;
      const advT = tf.tensor1d(adv);
      const retT = tf.tensor1d(buffer.returns);
      const { grads } = tf.variableGrads(() => {
        const out = this.net.apply(obsT);
        const { logProb, entropy } = this.dist.logProbEntropy(out.head, encT, penT, out.logStd);
        const policyLoss = tf.neg(tf.mean(tf.mul(advT, logProb)));
        const valueLoss = tf.mean(tf.square(tf.sub(retT, out.value)));
        const entropyMean = tf.mean(entropy);
        const loss = tf.add<tf.Scalar>(tf.sub(policyLoss, tf.mul(o.entCoef, entropyMean)), tf.mul(o.vfCoef, valueLoss));
        kept = tf.keep(tf.stack([loss, policyLoss, valueLoss, entropyMean]));
        return loss;
      }, [variable]);
      const { grad, norm } = clipGradNorm(grads[variable.name] as tf.Tensor1D, o.maxGradNorm);
      return { stats: tf.concat([kept!, tf.reshape(norm, [1])]), grad };
    });
    kept?.dispose();
    const values = Array.from(stats.dataSync());
    stats.dispose();
    if (!values.every(Number.isFinite)) {
      grad.dispose();
      throw new NonFiniteLossError('a2c', this.globalStep, Object.fromEntries(STAT_NAMES.map((k, i) => [k, values[i]])));
    }
    this.optimizer.apply(grad, lr);
    grad.dispose();
    return values;
  }

  // ---- persistence -----------------------------------------------------------------------------

  protected checkpointCounters(): readonly string[] {
    return ['iteration', 'optimizerStep'];
  }

  async save(dir: string): Promise<void> {
    this.net.store.sync();
    const size = this.net.store.size;
    const opt = optimizerTensors(this.optimizer, size);
    const meta = this.checkpointMeta({
      counters: {
        seed: this.seed,
        globalStep: this.globalStep,
        iteration: this.iteration,
        episodes: this.episodes,
        optimizerStep: opt.step,
      },
      rng: { sample: this.sampleRng.state() },
      normalization: this.normalizationState(),
      extra: { recentReturns: this.recentReturns },
    });
    await saveCheckpoint(dir, meta, this.checkpointTensors({ params: { values: this.net.store.values, shape: [size] }, ...opt.tensors }));
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.net.store.assign(tensors.params.values);
    restoreOptimizer(this.optimizer, meta.counters.optimizerStep, tensors);
    this.restoreShared(meta, tensors);
    this.iteration = meta.counters.iteration;
    this.sampleRng = Rng.fromState((meta.rng as { sample: ReturnType<Rng['state']> }).sample);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.net.dispose();
  }
}
