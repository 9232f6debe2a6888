/**
 * Proximal Policy Optimization (Schulman et al., 2017) with CleanRL ppo.py's semantics, top to bottom:
 * vectorized rollouts of `numSteps` steps in `numEnvs` envs, GAE, then `updateEpochs` epochs of
 * shuffled minibatches minimising the clipped surrogate − entropy bonus + (optionally clipped) value
 * loss, with per-minibatch advantage normalisation, global grad-norm clipping, linear LR annealing and
 * a target-KL early stop. Additions over ppo.py: bootstrapping on truncation (r += γ·V(final obs), as
 * Stable-Baselines3), masked categorical policies (info.actionMask / actionMasks), MultiDiscrete and
 * Gaussian (Box) actions, optional observation and reward normalisation.
 *
 * Action selection runs on the CPU (Float32Array maths on the weights cached after every update, and
 * the agent's seeded Rng for sampling); gradients run in TensorFlow.js on one flat parameter vector.
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
import { RunningMeanStd } from '../../envs/core/wrappers/running-mean-std.js';
import type { ActOptions, LearnOptions, LearnResult } from '../core/agent.js';
import { currentBackend, initBackend } from '../core/backend.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { distributionFor, MASKED_LOGIT, type PolicyDistribution } from '../core/distributions.js';
import { type FinishedEpisode, LearnedAgent, type LearnedAgentContext } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { clipGradNorm } from '../core/nn/clip-grad-norm.js';
import { ActorCritic, type ActorCriticConfig } from '../core/nn/actor-critic.js';
import { explainedVariance, RolloutBuffer } from '../core/rollout-buffer.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { asVectorEnv, type VectorEnvLike } from '../core/vec.js';
import { PPO_STATS, type PpoMinibatch, type PpoStats, ppoLossGrad, ppoLossTf } from './loss.js';
import { type PpoOptions, ppoOptionSchema } from './options.js';
import { mean, normalizeInPlace } from '../core/batch-stats.js';
import { actorCriticAction, rolloutActions, sampleRolloutStep } from '../core/policy-action.js';

const STAT_NAMES = [...PPO_STATS, 'grad_norm'] as const;

export type PpoContext = LearnedAgentContext;

/** Weights, sampling, shuffling and env resets all derive from the run's seed (`seed`, restored by `load`). */
export class PPO extends LearnedAgent {
  readonly name = 'ppo';
  readonly options: PpoOptions;
  readonly dist: PolicyDistribution;
  readonly net: ActorCritic;
  readonly obsSize: number;
  iteration = 0;
  private adam: FlatAdam;
  private sampleRng: Rng;
  private shuffleRng: Rng;
  private obsRms: RunningMeanStd | undefined;
  private returnRms: RunningMeanStd | undefined;

  constructor(observationSpace: Space, actionSpace: Space, rawOptions: Record<string, unknown> = {}, ctx: PpoContext = { seed: 0 }) {
    super(observationSpace, actionSpace, ctx);
    this.options = parseOptions('ppo', rawOptions, ppoOptionSchema);
    const o = this.options;
    const batchSize = o.numEnvs * o.numSteps;
    if (batchSize % o.numMinibatches !== 0) {
      throw new SchedlabError(`ppo: option 'numMinibatches' (${o.numMinibatches}) must divide numEnvs × numSteps (${batchSize})`);
    }
    const dist = distributionFor(actionSpace);
    if (typeof dist === 'string') throw new SchedlabError(`ppo: ${dist}`);
    this.dist = dist;
    this.obsSize = flatdim(observationSpace);
    let itemSize = o.itemSize;
    if (o.body === 'items') {
      if (dist.kind !== 'categorical' || (dist as { nvec?: number[] }).nvec?.length !== 1) throw new SchedlabError("ppo: body 'items' needs a Discrete action space (one logit per item)");
      itemSize ??= this.obsSize / dist.headSize;
      if (!Number.isInteger(itemSize) || itemSize * dist.headSize !== this.obsSize) {
        throw new SchedlabError(`ppo: body 'items' needs the observation (${this.obsSize} numbers) to be ${dist.headSize} items (one per action) × itemSize features; got itemSize ${itemSize}`);
      }
    }
    const initRng = new Rng(ctx.seed);
    this.net = new ActorCritic(this.networkConfig(itemSize), initRng);
    this.sampleRng = new Rng(initRng.nextSeed());
    this.shuffleRng = new Rng(initRng.nextSeed());
    this.adam = new FlatAdam(this.net.store.variable, { eps: o.adamEps });
    if (o.normalizeObservation) this.obsRms = new RunningMeanStd(this.obsSize);
    if (o.normalizeReward) this.returnRms = new RunningMeanStd(1);
  }

  private networkConfig(itemSize: number | null): ActorCriticConfig {
    const o = this.options;
    return {
      obsSize: this.obsSize,
      headSize: this.dist.headSize,
      gaussian: this.dist.kind === 'gaussian',
      body: o.body,
      pi: o.piLayers,
      vf: o.vfLayers,
      activation: o.activation,
      itemSize: itemSize ?? undefined,
      initLogStd: o.initLogStd,
    };
  }

  architecture(): unknown {
    const { initLogStd: _ignored, ...network } = this.net.config;
    return { network, normalizeObservation: this.options.normalizeObservation, layout: this.net.store.layout() };
  }

  // ---- acting ----------------------------------------------------------------------------------

  /**
   * Observation normalisation (option normalizeObservation): z = clip((x − mean) / sqrt(var + 1e-8)).
   * `update` merges this batch into the running statistics first. With body 'items' the statistics are
   * per item feature, pooled over the valid items of the batch (mask 1; all items without a mask), and
   * tiled to every item position: a queue's jobs share one scale whatever slot they sit in, and empty
   * slots do not drag the statistics towards their padding values.
   */
  private normalize(obs: Float32Array, rows: number, update: boolean, masks?: Uint8Array): Float32Array {
    const rms = this.obsRms;
    if (!rms) return obs;
    const n = this.obsSize;
    if (update) {
      if (this.net.config.body === 'items') this.updateItemStatistics(rms, obs, rows, masks);
      else {
        const mean = new Float64Array(n);
        const variance = new Float64Array(n);
        for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) mean[i] += obs[r * n + i] / rows;
        for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) variance[i] += (obs[r * n + i] - mean[i]) ** 2 / rows;
        rms.updateFromMoments(mean, variance, rows);
      }
    }
    const out = new Float32Array(obs.length);
    const clip = this.options.clipObs;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < n; i++) {
        const z = (obs[r * n + i] - rms.mean[i]) / Math.sqrt(rms.var[i] + 1e-8);
        out[r * n + i] = Math.max(-clip, Math.min(clip, z));
      }
    }
    return out;
  }

  private updateItemStatistics(rms: RunningMeanStd, obs: Float32Array, rows: number, masks: Uint8Array | undefined): void {
    const itemSize = this.net.config.itemSize!;
    const items = this.obsSize / itemSize;
    const valid = (r: number, j: number) => !masks || masks[r * items + j] === 1;
    const mean = new Float64Array(itemSize);
    const variance = new Float64Array(itemSize);
    let count = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < items; j++) {
        if (!valid(r, j)) continue;
        count++;
        for (let k = 0; k < itemSize; k++) mean[k] += obs[(r * items + j) * itemSize + k];
      }
    }
    if (count === 0) return;
    for (let k = 0; k < itemSize; k++) mean[k] /= count;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < items; j++) {
        if (!valid(r, j)) continue;
        for (let k = 0; k < itemSize; k++) variance[k] += (obs[(r * items + j) * itemSize + k] - mean[k]) ** 2 / count;
      }
    }
    const tile = (perFeature: Float64Array) => Float64Array.from({ length: this.obsSize }, (_, i) => perFeature[i % itemSize]);
    rms.updateFromMoments(tile(mean), tile(variance), count);
  }

  act(observation: unknown, options: ActOptions = {}): unknown {
    return actorCriticAction('ppo', this.net, this.dist, this.normalize(flatten(this.observationSpace, observation), 1, false), options, this.sampleRng);
  }

  // ---- learning --------------------------------------------------------------------------------

  async learn(env: Env<any, any> | VectorEnvLike, { totalSteps, callbacks = [] }: LearnOptions): Promise<LearnResult> {
    if (!currentBackend()) await initBackend('auto');
    const o = this.options;
    const { vec, owned } = await asVectorEnv('ppo', env, o.numEnvs);
    const [numEnvs, numSteps] = [o.numEnvs, o.numSteps];
    const batchSize = numEnvs * numSteps;
    if (!Number.isInteger(totalSteps) || totalSteps < batchSize) {
      throw new SchedlabError(`ppo: totalSteps (${totalSteps}) must be an integer >= numEnvs × numSteps (${batchSize})`);
    }
    this.assertSameSpaces(vec);
    const numIterations = Math.floor(totalSteps / batchSize);
    const lastIteration = this.iteration + numIterations;
    const ctx = await this.startTraining(callbacks);

    const startStep = this.globalStep;
    const reset = await vec.reset({ seed: this.resetSeed() });
    const masked = this.dist.maskSize > 0 && reset.actionMasks !== undefined;
    const maskSize = masked ? this.dist.maskSize : 0;
    const buffer = new RolloutBuffer({ numSteps, numEnvs, obsSize: this.obsSize, actionDim: this.dist.actionDim, maskSize });
    let nextObs = this.normalize(reset.observations, numEnvs, true, masked ? reset.actionMasks : undefined);
    let nextMask = reset.actionMasks;
    let nextDone = new Float32Array(numEnvs);
    const epReturn = new Float64Array(numEnvs);
    const epLength = new Int32Array(numEnvs);
    // NormalizeReward's discounted return per env (fresh episodes each learn call, so it starts at 0).
    const discountedReturn = new Float64Array(numEnvs);
    const actions = rolloutActions(this.dist, numEnvs);
    let stoppedEarly = false;

    try {
      while (this.iteration < lastIteration && !stoppedEarly) {
        this.iteration++;
        const iterationStart = performance.now();
        const timingsBefore = { ...this.timings };
        // Annealing the learning rate (over this learn call's horizon, counted in global iterations).
        const lr = o.annealLr ? (1 - (this.iteration - 1) / lastIteration) * o.learningRate : o.learningRate;
        const finished: FinishedEpisode[] = [];

        // ---- rollout ----
        for (let step = 0; step < numSteps; step++) {
          this.globalStep += numEnvs;
          const row = step * numEnvs;
          buffer.obs.set(nextObs, row * this.obsSize);
          buffer.dones.set(nextDone, row);

          let t0 = performance.now();
          const envActions = sampleRolloutStep('ppo', this.net, this.dist, buffer, row, nextObs, masked ? nextMask : undefined, this.sampleRng, actions);
          let t1 = performance.now();
          this.timings.inference += (t1 - t0) / 1000;

          const res = await vec.step(envActions);
          t0 = performance.now();
          this.timings.env += (t0 - t1) / 1000;

          nextDone = new Float32Array(numEnvs);
          const rewardScale = this.rewardScale(res.rewards, res.terminations, discountedReturn);
          for (let e = 0; e < numEnvs; e++) {
            epReturn[e] += res.rewards[e];
            let reward = res.rewards[e] * rewardScale;
            epLength[e]++;
            const done = res.terminations[e] === 1 || res.truncations[e] === 1;
            if (res.truncations[e] === 1 && res.terminations[e] !== 1) {
              // Bootstrapping on truncation: the cut-off episode's value is not zero.
              const finalObs = res.infos[e].finalObservation as Float32Array;
              reward += o.gamma * this.net.valueCpu(this.normalize(finalObs, 1, false), 1)[0];
            }
            buffer.rewards[row + e] = reward;
            if (done) {
              nextDone[e] = 1;
              this.endEpisode(finished, e, epReturn, epLength, res.infos[e]);
            }
          }
          nextObs = this.normalize(res.observations, numEnvs, true, masked ? res.actionMasks : undefined);
          nextMask = res.actionMasks;
          t1 = performance.now();
          this.timings.inference += (t1 - t0) / 1000;
        }

        // ---- advantages (GAE) ----
        const nextValue = this.net.valueCpu(nextObs, numEnvs);
        buffer.computeGae(nextValue, nextDone, o.gamma, o.gaeLambda);

        // ---- optimizing the policy and value network ----
        const tUpdate = performance.now();
        const stats = this.update(buffer, lr);
        this.net.store.sync();
        this.timings.update += (performance.now() - tUpdate) / 1000;

        // ---- logging ----
        const log = this.logger;
        this.recordEpisodes(finished);
        const seconds = (performance.now() - iterationStart) / 1000;
        log.record('SPS', batchSize / seconds);
        log.record('learning_rate', lr);
        for (const k of STAT_NAMES) log.record(k, stats[k]);
        log.record('explained_variance', explainedVariance(buffer.values, buffer.returns));
        log.record('iteration', this.iteration);
        log.record('episodes', this.episodes);
        this.recordRecentReturns();
        this.recordTimings(timingsBefore);
        const row = log.dump(this.globalStep);

        ctx.metrics = { ...row };
        stoppedEarly = await this.endRollout(ctx, callbacks);
      }
      await this.endTraining(ctx, callbacks);
    } finally {
      if (owned) await vec.close();
    }
    return { steps: this.globalStep - startStep, episodes: ctx.episodes, stoppedEarly };
  }

  /**
   * NormalizeReward: R ← R·γ·(1 − terminated) + r per env, the running variance of R updated with this
   * step's batch, and the factor 1 / sqrt(var + 1e-8) for this step's rewards (1 when off).
   */
  private rewardScale(rewards: ArrayLike<number>, terminations: ArrayLike<number>, discountedReturn: Float64Array): number {
    const rms = this.returnRms;
    if (!rms) return 1;
    const n = discountedReturn.length;
    let m = 0;
    for (let e = 0; e < n; e++) {
      discountedReturn[e] = discountedReturn[e] * this.options.gamma * (terminations[e] === 1 ? 0 : 1) + rewards[e];
      m += discountedReturn[e] / n;
    }
    let v = 0;
    for (let e = 0; e < n; e++) v += (discountedReturn[e] - m) ** 2 / n;
    rms.updateFromMoments([m], [v], n);
    return 1 / Math.sqrt(rms.var[0] + 1e-8);
  }

  /** `updateEpochs` epochs over shuffled minibatches; returns the last minibatch's stats (clipfrac: the mean), as CleanRL logs them. */
  private update(buffer: RolloutBuffer, lr: number): Record<(typeof STAT_NAMES)[number], number> {
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
    let last: Record<(typeof STAT_NAMES)[number], number> | undefined;
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
  private trainStep(mb: PpoMinibatch, lr: number): Record<(typeof STAT_NAMES)[number], number> {
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
          let surrogate = tf.add(tf.sum(tf.mul(out.head, tf.tensor2d(r.gHead, [m, this.dist.headSize]))), tf.sum(tf.mul(out.value, tf.tensor1d(r.gValue))));
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
    const result = { ...stats!, grad_norm: norm.dataSync()[0] };
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
      normalization: this.obsRms || this.returnRms ? { observation: this.obsRms?.getState(), reward: this.returnRms?.getState() } : null,
      extra: { recentReturns: this.recentReturns },
    });
    const size = this.net.store.size;
    await saveCheckpoint(dir, meta, {
      params: { values: this.net.store.values, shape: [size] },
      'adam/m': { values: adam.m, shape: [size] },
      'adam/v': { values: adam.v, shape: [size] },
    });
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.net.store.assign(tensors.params.values);
    this.adam.setState({ step: meta.counters.adamStep, m: tensors['adam/m'].values, v: tensors['adam/v'].values });
    this.restoreShared(meta);
    this.iteration = meta.counters.iteration;
    const rng = meta.rng as { sample: ReturnType<Rng['state']>; shuffle: ReturnType<Rng['state']> };
    this.sampleRng = Rng.fromState(rng.sample);
    this.shuffleRng = Rng.fromState(rng.shuffle);
    type RmsState = { mean: number[]; var: number[]; count: number };
    const norm = meta.normalization as { observation?: RmsState; reward?: RmsState } | null;
    if (this.obsRms && norm?.observation) this.obsRms.setState(norm.observation);
    if (this.returnRms && norm?.reward) this.returnRms.setState(norm.reward);
  }

  dispose(): void {
    this.adam.dispose();
    this.net.dispose();
  }
}


