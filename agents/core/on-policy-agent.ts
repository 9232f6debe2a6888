/**
 * What PPO and A2C share (Stable-Baselines3's OnPolicyAlgorithm): the actor-critic network and policy
 * distribution built from their options, acting on the CPU copy of the weights, and the iteration:
 *   collectRollouts — `numSteps` steps of `numEnvs` envs into the rollout buffer, bootstrapping on
 *   truncation (r += γ·V(final observation), as SB3), then returns and advantages by GAE;
 *   train — the algorithm's update on the buffer (PPO's clipped surrogate epochs, A2C's one step);
 *   a progress row every `logInterval` iterations (the window's mean of the update's statistics).
 * The learning rate is annealed linearly over each learn() call's horizon when `annealLr` is set.
 */
import { SchedlabError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { flatdim, flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions } from './agent.js';
import { distributionFor, type PolicyDistribution } from './distributions.js';
import { LearnedAgent, type FinishedEpisode, type LearnedAgentContext, type TrainingRun } from './learned-agent.js';
import { ActorCritic, type ActorCriticConfig } from './nn/actor-critic.js';
import { actorCriticAction, rolloutActions, sampleRolloutStep } from './policy-action.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { NormalizationStats, type NormalizationOptionValues } from './vec-normalize.js';
import type { VectorEnvLike } from './vec.js';

/** The options of PPO and A2C that this base reads. */
export interface OnPolicyOptions extends NormalizationOptionValues {
  numEnvs: number;
  numSteps: number;
  learningRate: number;
  annealLr: boolean;
  gamma: number;
  gaeLambda: number;
  body: ActorCriticConfig['body'];
  piLayers: number[];
  vfLayers: number[];
  activation: ActorCriticConfig['activation'];
  itemSize: number | null;
  initLogStd: number;
}

export abstract class OnPolicyAgent extends LearnedAgent {
  readonly dist: PolicyDistribution;
  readonly net: ActorCritic;
  readonly obsSize: number;
  iteration = 0;
  protected sampleRng: Rng;
  /** The generator the network was initialised from; an algorithm draws its own generators' seeds from it next. */
  protected readonly initRng: Rng;

  constructor(observationSpace: Space, actionSpace: Space, options: OnPolicyOptions, ctx: LearnedAgentContext, agentName: string) {
    super(observationSpace, actionSpace, ctx);
    const dist = distributionFor(actionSpace);
    if (typeof dist === 'string') throw new SchedlabError(`${agentName}: ${dist}`);
    this.dist = dist;
    this.obsSize = flatdim(observationSpace);
    let itemSize = options.itemSize;
    if (options.body === 'items') {
      if (dist.kind !== 'categorical' || dist.actionDim !== 1)
        throw new SchedlabError(`${agentName}: body 'items' needs a Discrete action space (one logit per item)`);
      itemSize ??= this.obsSize / dist.headSize;
      if (!Number.isInteger(itemSize) || itemSize * dist.headSize !== this.obsSize) {
        throw new SchedlabError(
          `${agentName}: body 'items' needs the observation (${this.obsSize} numbers) to be ${dist.headSize} items (one per action) × itemSize features; got itemSize ${itemSize}`,
        );
      }
    }
    this.initRng = new Rng(ctx.seed);
    this.net = new ActorCritic(
      {
        obsSize: this.obsSize,
        headSize: dist.headSize,
        gaussian: dist.kind === 'gaussian',
        body: options.body,
        pi: options.piLayers,
        vf: options.vfLayers,
        activation: options.activation,
        itemSize: itemSize ?? undefined,
        initLogStd: options.initLogStd,
      },
      this.initRng,
    );
    this.sampleRng = new Rng(this.initRng.nextSeed());
    this.normalization = new NormalizationStats(this.obsSize, {
      ...options,
      itemSize: options.body === 'items' ? (itemSize ?? undefined) : undefined,
    });
  }

  protected abstract get onPolicyOptions(): OnPolicyOptions;

  /** Progress rows are written every this many iterations. */
  protected get logInterval(): number {
    return 1;
  }

  /** The update on a full rollout buffer at learning rate `lr`; returns the statistics to log (means over the logging window). */
  protected abstract train(buffer: RolloutBuffer, lr: number): Record<string, number>;

  protected get numEnvs(): number {
    return this.onPolicyOptions.numEnvs;
  }

  protected checkTotalSteps(totalSteps: number): void {
    const { numEnvs, numSteps } = this.onPolicyOptions;
    if (!Number.isInteger(totalSteps) || totalSteps < numEnvs * numSteps) {
      throw new SchedlabError(`${this.name}: totalSteps (${totalSteps}) must be an integer >= numEnvs × numSteps (${numEnvs * numSteps})`);
    }
  }

  act(observation: unknown, options: ActOptions = {}): unknown {
    const x = this.normalizedObservation(flatten(this.observationSpace, observation));
    return actorCriticAction(this.name, this.net, this.dist, x, options, this.sampleRng);
  }

  protected async startLearning(vec: VectorEnvLike, totalSteps: number): Promise<TrainingRun> {
    const o = this.onPolicyOptions;
    const { numEnvs, numSteps } = o;
    const lastIteration = this.iteration + Math.floor(totalSteps / (numEnvs * numSteps));
    const start = await this.startEpisodes(vec);
    const masked = this.dist.maskSize > 0 && start.actionMasks !== undefined;
    const buffer = new RolloutBuffer({
      numSteps,
      numEnvs,
      obsSize: this.obsSize,
      actionDim: this.dist.actionDim,
      maskSize: masked ? this.dist.maskSize : 0,
    });
    const state = {
      obs: start.observations,
      mask: start.actionMasks,
      done: start.done,
      epReturn: start.epReturn,
      epLength: start.epLength,
      actions: rolloutActions(this.dist, numEnvs),
      masked,
    };
    let finished: FinishedEpisode[] = [];
    let statSums: Record<string, number> = {};
    let statCount = 0;
    return {
      done: () => this.iteration >= lastIteration,
      iterate: async () => {
        this.iteration++;
        // Annealing the learning rate (over this learn call's horizon, counted in global iterations).
        const lr = o.annealLr ? (1 - (this.iteration - 1) / lastIteration) * o.learningRate : o.learningRate;
        await this.collectRollouts(vec, buffer, state, finished);
        const stats = this.timeUpdate(() => {
          const s = this.train(buffer, lr);
          this.net.store.sync();
          return s;
        });
        for (const [k, v] of Object.entries(stats)) statSums[k] = (statSums[k] ?? 0) + v;
        statCount++;
        if (this.iteration % this.logInterval !== 0 && this.iteration !== lastIteration) return undefined;
        const means = Object.fromEntries(Object.entries(statSums).map(([k, v]) => [k, v / statCount]));
        const row = this.dumpProgress(finished, lr, { ...means, iteration: this.iteration });
        finished = [];
        statSums = {};
        statCount = 0;
        return row;
      },
    };
  }

  /**
   * `numSteps` steps of every env into `buffer` (observations, actions, log-probabilities, values, masks,
   * rewards, episode starts), bootstrapping truncated episodes from V(final observation); then returns
   * and advantages by GAE from V of the next observation. Finished episodes are appended to `finished`.
   */
  protected async collectRollouts(
    vec: VectorEnvLike,
    buffer: RolloutBuffer,
    state: {
      obs: Float32Array;
      mask: Uint8Array | undefined;
      done: Float32Array;
      epReturn: Float64Array;
      epLength: Int32Array;
      actions: ReturnType<typeof rolloutActions>;
      masked: boolean;
    },
    finished: FinishedEpisode[],
  ): Promise<void> {
    const { numEnvs, numSteps, gamma, gaeLambda } = this.onPolicyOptions;
    for (let step = 0; step < numSteps; step++) {
      this.globalStep += numEnvs;
      const row = step * numEnvs;
      buffer.obs.set(state.obs, row * this.obsSize);
      buffer.dones.set(state.done, row);
      const envActions = sampleRolloutStep(
        this.name,
        this.net,
        this.dist,
        buffer,
        row,
        state.obs,
        state.masked ? state.mask : undefined,
        this.sampleRng,
        state.actions,
      );
      const res = await this.stepEnvs(vec, envActions);
      const original = this.originalRewards(vec, res);
      state.done = new Float32Array(numEnvs);
      for (let e = 0; e < numEnvs; e++) {
        state.epReturn[e] += original[e];
        state.epLength[e]++;
        let reward = res.rewards[e];
        if (res.truncations[e] === 1 && res.terminations[e] !== 1) {
          // Bootstrapping on truncation: the cut-off episode's value is not zero.
          reward += gamma * this.net.valueCpu(res.infos[e].finalObservation as Float32Array, 1)[0];
        }
        buffer.rewards[row + e] = reward;
        if (res.terminations[e] === 1 || res.truncations[e] === 1) {
          state.done[e] = 1;
          this.endEpisode(finished, e, state.epReturn, state.epLength, res.infos[e]);
        }
      }
      state.obs = res.observations;
      state.mask = res.actionMasks;
    }
    buffer.computeGae(this.net.valueCpu(state.obs, numEnvs), state.done, gamma, gaeLambda);
  }
}
