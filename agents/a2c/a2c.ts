/**
 * Advantage Actor-Critic (Mnih et al., 2016, synchronous form) with Stable-Baselines3's A2C semantics,
 * top to bottom: rollouts of `numSteps` steps in `numEnvs` envs, returns and advantages by GAE (λ = 1
 * by default: n-step returns bootstrapped from V of the last observation), then one RMSprop step on
 * the whole rollout minimising −mean(A·log π(a|s)) − entCoef·H + vfCoef·mean((R − V)²), with global
 * grad-norm clipping. Bootstraps on truncation (r += γ·V(final obs), as SB3), masked categorical
 * policies for masked envs, MultiDiscrete and Gaussian (Box) actions, through the shared actor-critic
 * network, distributions and rollout buffer that PPO uses.
 *
 * `learn()` starts fresh episodes (the vector env is reset with seed = run seed + steps done so far), so
 * `learn(a); save; load; learn(b)` continues exactly as `learn(a); learn(b)` in one process.
 */
import * as tf from '@tensorflow/tfjs';
import type { Env } from '../../envs/core/env.js';
import { SchedlabError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { flatdim, flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions, LearnOptions, LearnResult } from '../core/agent.js';
import { currentBackend, initBackend } from '../core/backend.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { distributionFor, MASKED_LOGIT, type PolicyDistribution } from '../core/distributions.js';
import { clipGradNorm } from '../core/nn/clip-grad-norm.js';
import { type FinishedEpisode, LearnedAgent, type LearnedAgentContext } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { ActorCritic } from '../core/nn/actor-critic.js';
import { FlatRmsprop } from '../core/nn/rmsprop.js';
import { optimizerTensors, restoreOptimizer } from '../core/optimizer-checkpoint.js';
import { explainedVariance, RolloutBuffer } from '../core/rollout-buffer.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { asVectorEnv, type VectorEnvLike } from '../core/vec.js';
import { type A2cOptions, a2cOptionSchema } from './options.js';
import { mean, normalizeInPlace } from '../core/batch-stats.js';
import { actorCriticAction, rolloutActions, sampleRolloutStep } from '../core/policy-action.js';

const STAT_NAMES = ['loss', 'policy_loss', 'value_loss', 'entropy', 'grad_norm'] as const;

export type A2cContext = LearnedAgentContext;

export class A2C extends LearnedAgent {
  readonly name = 'a2c';
  readonly options: A2cOptions;
  readonly dist: PolicyDistribution;
  readonly net: ActorCritic;
  readonly obsSize: number;
  iteration = 0;
  private optimizer: FlatRmsprop | FlatAdam;
  private sampleRng: Rng;

  constructor(observationSpace: Space, actionSpace: Space, rawOptions: Record<string, unknown> = {}, ctx: A2cContext = { seed: 0 }) {
    super(observationSpace, actionSpace, ctx);
    this.options = parseOptions('a2c', rawOptions, a2cOptionSchema);
    const o = this.options;
    const dist = distributionFor(actionSpace);
    if (typeof dist === 'string') throw new SchedlabError(`a2c: ${dist}`);
    this.dist = dist;
    this.obsSize = flatdim(observationSpace);
    let itemSize = o.itemSize;
    if (o.body === 'items') {
      if (dist.kind !== 'categorical' || dist.actionDim !== 1) throw new SchedlabError("a2c: body 'items' needs a Discrete action space (one logit per item)");
      itemSize ??= this.obsSize / dist.headSize;
      if (!Number.isInteger(itemSize) || itemSize * dist.headSize !== this.obsSize) {
        throw new SchedlabError(`a2c: body 'items' needs the observation (${this.obsSize} numbers) to be ${dist.headSize} items × itemSize features; got itemSize ${itemSize}`);
      }
    }
    const initRng = new Rng(ctx.seed);
    this.net = new ActorCritic(
      { obsSize: this.obsSize, headSize: dist.headSize, gaussian: dist.kind === 'gaussian', body: o.body, pi: o.piLayers, vf: o.vfLayers, activation: o.activation, itemSize: itemSize ?? undefined, initLogStd: o.initLogStd },
      initRng,
    );
    this.sampleRng = new Rng(initRng.nextSeed());
    this.optimizer = o.optimizer === 'rmsprop' ? new FlatRmsprop(this.net.store.variable, { alpha: o.rmsAlpha, eps: o.optimizerEps }) : new FlatAdam(this.net.store.variable, { eps: o.optimizerEps });
  }

  architecture(): unknown {
    const { initLogStd: _ignored, ...network } = this.net.config;
    return { network, optimizer: this.options.optimizer, layout: this.net.store.layout() };
  }

  // ---- acting ----------------------------------------------------------------------------------

  act(observation: unknown, options: ActOptions = {}): unknown {
    return actorCriticAction('a2c', this.net, this.dist, flatten(this.observationSpace, observation), options, this.sampleRng);
  }

  // ---- learning --------------------------------------------------------------------------------

  async learn(env: Env<any, any> | VectorEnvLike, { totalSteps, callbacks = [] }: LearnOptions): Promise<LearnResult> {
    if (!currentBackend()) await initBackend('auto');
    const o = this.options;
    const { vec, owned } = await asVectorEnv('a2c', env, o.numEnvs);
    const [numEnvs, numSteps] = [o.numEnvs, o.numSteps];
    const batchSize = numEnvs * numSteps;
    if (!Number.isInteger(totalSteps) || totalSteps < batchSize) throw new SchedlabError(`a2c: totalSteps (${totalSteps}) must be an integer >= numEnvs × numSteps (${batchSize})`);
    this.assertSameSpaces(vec);
    const lastIteration = this.iteration + Math.floor(totalSteps / batchSize);
    const ctx = await this.startTraining(callbacks);

    const startStep = this.globalStep;
    const reset = await vec.reset({ seed: this.resetSeed() });
    const masked = this.dist.maskSize > 0 && reset.actionMasks !== undefined;
    const maskSize = masked ? this.dist.maskSize : 0;
    const buffer = new RolloutBuffer({ numSteps, numEnvs, obsSize: this.obsSize, actionDim: this.dist.actionDim, maskSize });
    let nextObs = reset.observations;
    let nextMask = reset.actionMasks;
    let nextDone = new Float32Array(numEnvs);
    const epReturn = new Float64Array(numEnvs);
    const epLength = new Int32Array(numEnvs);
    const actions = rolloutActions(this.dist, numEnvs);
    let finished: FinishedEpisode[] = [];
    const statSums = new Float64Array(STAT_NAMES.length);
    let statCount = 0;
    let evSum = 0;
    let logStart = performance.now();
    let logStartStep = this.globalStep;
    let stoppedEarly = false;

    try {
      while (this.iteration < lastIteration && !stoppedEarly) {
        this.iteration++;
        const lr = o.annealLr ? (1 - (this.iteration - 1) / lastIteration) * o.learningRate : o.learningRate;

        // ---- rollout ----
        for (let step = 0; step < numSteps; step++) {
          this.globalStep += numEnvs;
          const row = step * numEnvs;
          buffer.obs.set(nextObs, row * this.obsSize);
          buffer.dones.set(nextDone, row);
          let t0 = performance.now();
          const envActions = sampleRolloutStep('a2c', this.net, this.dist, buffer, row, nextObs, masked ? nextMask : undefined, this.sampleRng, actions);
          let t1 = performance.now();
          this.timings.inference += (t1 - t0) / 1000;
          const res = await vec.step(envActions);
          t0 = performance.now();
          this.timings.env += (t0 - t1) / 1000;

          nextDone = new Float32Array(numEnvs);
          for (let e = 0; e < numEnvs; e++) {
            let reward = res.rewards[e];
            epReturn[e] += reward;
            epLength[e]++;
            if (res.truncations[e] === 1 && res.terminations[e] !== 1) {
              // Bootstrapping on truncation: the cut-off episode's value is not zero.
              reward += o.gamma * this.net.valueCpu(res.infos[e].finalObservation as Float32Array, 1)[0];
            }
            buffer.rewards[row + e] = reward;
            if (res.terminations[e] === 1 || res.truncations[e] === 1) {
              nextDone[e] = 1;
              this.endEpisode(finished, e, epReturn, epLength, res.infos[e]);
            }
          }
          nextObs = res.observations;
          nextMask = res.actionMasks;
          t1 = performance.now();
          this.timings.inference += (t1 - t0) / 1000;
        }

        // ---- returns and advantages ----
        buffer.computeGae(this.net.valueCpu(nextObs, numEnvs), nextDone, o.gamma, o.gaeLambda);

        // ---- one gradient step on the whole rollout ----
        const tUpdate = performance.now();
        const stats = this.trainStep(buffer, lr);
        this.net.store.sync();
        this.timings.update += (performance.now() - tUpdate) / 1000;
        stats.forEach((v, i) => (statSums[i] += v));
        statCount++;
        evSum += explainedVariance(buffer.values, buffer.returns) || 0;

        // ---- logging and callbacks ----
        if (this.recentReturns.length) ctx.metrics['rollout/ep_rew_mean'] = mean(this.recentReturns);
        if (this.iteration % o.logInterval === 0 || this.iteration === lastIteration) {
          const log = this.logger;
          this.recordEpisodes(finished);
          const now = performance.now();
          log.record('SPS', (this.globalStep - logStartStep) / ((now - logStart) / 1000));
          log.record('learning_rate', lr);
          STAT_NAMES.forEach((k, i) => log.record(k, statSums[i] / statCount));
          log.record('explained_variance', evSum / statCount);
          log.record('iteration', this.iteration);
          log.record('episodes', this.episodes);
          this.recordRecentReturns();
          ctx.metrics = { ...ctx.metrics, ...log.dump(this.globalStep) };
          finished = [];
          statSums.fill(0);
          statCount = 0;
          evSum = 0;
          logStart = now;
          logStartStep = this.globalStep;
        }
        stoppedEarly = await this.endRollout(ctx, callbacks);
      }
      await this.endTraining(ctx, callbacks);
    } finally {
      if (owned) await vec.close();
    }
    return { steps: this.globalStep - startStep, episodes: ctx.episodes, stoppedEarly };
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
        const loss = tf.add(tf.sub(policyLoss, tf.mul(o.entCoef, entropyMean)), tf.mul(o.vfCoef, valueLoss)) as tf.Scalar;
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
      counters: { seed: this.seed, globalStep: this.globalStep, iteration: this.iteration, episodes: this.episodes, optimizerStep: opt.step },
      rng: { sample: this.sampleRng.state() },
      normalization: null,
      extra: { recentReturns: this.recentReturns },
    });
    await saveCheckpoint(dir, meta, { params: { values: this.net.store.values, shape: [size] }, ...opt.tensors });
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.net.store.assign(tensors.params.values);
    restoreOptimizer(this.optimizer, meta.counters.optimizerStep, tensors);
    this.restoreShared(meta);
    this.iteration = meta.counters.iteration;
    this.sampleRng = Rng.fromState((meta.rng as { sample: ReturnType<Rng['state']> }).sample);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.net.dispose();
  }
}


