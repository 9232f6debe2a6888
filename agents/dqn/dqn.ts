/**
 * Deep Q-Network (Mnih et al., 2015) with Stable-Baselines3's DQN semantics, top to bottom: ε-greedy
 * collection from `numEnvs` envs into a replay buffer (uniform random actions for the first
 * `learningStarts` steps), every `trainFreq` vector steps `gradientSteps` Adam steps on minibatches
 * minimising the Huber loss to r + γ·(1 − terminated)·max_a' Q_target(s', a'), global grad-norm
 * clipping, a target network copied every `targetUpdateInterval` environment steps, and ε decayed
 * linearly over the first `explorationFraction` of training. Options: double DQN (the online network
 * picks a', the target values it). Truncated episodes bootstrap through the final observation.
 *
 * Masked envs: invalid actions are never chosen, neither by ε-greedy exploration (uniform over valid
 * actions), nor by the greedy action, nor as a' in the targets (next-state masks are stored with each
 * transition).
 *
 * `learn()` starts fresh episodes (the vector env is reset with seed = run seed + steps done so far);
 * the checkpoint holds the replay buffer (option saveReplayBuffer), so `learn(a); save; load; learn(b)`
 * equals `learn(a); learn(b)`. Without it, a loaded agent starts learn() with an empty buffer.
 */
import * as tf from '@tensorflow/tfjs';
import { SchedlabError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { flatdim, flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions } from '../core/agent.js';
import { mean } from '../core/batch-stats.js';
import { saveCheckpoint } from '../core/checkpoint.js';
import { MASKED_LOGIT } from '../core/distributions.js';
import { LearnedAgent, type FinishedEpisode, type LearnedAgentContext, type TrainingRun } from '../core/learned-agent.js';
import { FlatAdam } from '../core/nn/adam.js';
import { clipGradNorm } from '../core/nn/clip-grad-norm.js';
import { QNetwork } from '../core/nn/q-network.js';
import { ReplayBuffer, type ReplayBatch } from '../core/replay-buffer.js';
import { linearSchedule } from '../core/schedules.js';
import { NonFiniteLossError } from '../core/training-errors.js';
import { NormalizationStats } from '../core/vec-normalize.js';
import type { VectorEnvLike } from '../core/vec.js';
import { dqnOptionSchema, type DqnOptions } from './options.js';

export type DqnContext = LearnedAgentContext;

/** Why DQN cannot act on `space`, or null when it can (one Discrete action). */
export function dqnUnsupported(space: Space): string | null {
  const json = space.toJSON() as { type: string };
  return json.type === 'Discrete' ? null : `dqn needs a Discrete action space (one Q-value per action), got ${space.toString()}`;
}

/** `timings.inference` also counts the replay bookkeeping. */
export class DQN extends LearnedAgent {
  readonly name = 'dqn';
  readonly options: DqnOptions;
  readonly net: QNetwork;
  readonly obsSize: number;
  readonly numActions: number;
  readonly actionStart: number;
  /** Vector-env steps (SB3's `_n_calls`), which the target update counts. */
  vecSteps = 0;
  gradientSteps = 0;
  /** The current ε (SB3's exploration_rate); `act` explores with it when not deterministic. */
  explorationRate: number;
  private adam: FlatAdam;
  private exploreRng: Rng;
  private replayRng: Rng;
  private replay: ReplayBuffer | undefined;

  constructor(observationSpace: Space, actionSpace: Space, rawOptions: Partial<DqnOptions> = {}, ctx: DqnContext = { seed: 0 }) {
    super(observationSpace, actionSpace, ctx);
    this.options = parseOptions('dqn', rawOptions, dqnOptionSchema);
    const why = dqnUnsupported(actionSpace);
    if (why) throw new SchedlabError(why);
    const json = actionSpace.toJSON() as { n: number; start?: number };
    this.numActions = json.n;
    this.actionStart = json.start ?? 0;
    this.obsSize = flatdim(observationSpace);
    const initRng = new Rng(ctx.seed);
    this.net = new QNetwork(
      {
        obsSize: this.obsSize,
        numActions: this.numActions,
        hidden: this.options.netArch,
        activation: this.options.activation,
        init: this.options.init,
      },
      initRng,
    );
    this.exploreRng = new Rng(initRng.nextSeed());
    this.replayRng = new Rng(initRng.nextSeed());
    this.adam = new FlatAdam(this.net.store.variable, { eps: this.options.adamEps });
    this.explorationRate = this.options.explorationInitialEps;
    this.normalization = new NormalizationStats(this.obsSize, this.options);
  }

  architecture(): unknown {
    return { network: this.net.config, layout: this.net.store.layout() };
  }

  // ---- acting ----------------------------------------------------------------------------------

  /** The index (0-based) of the largest Q among valid actions of row `row`. */
  private greedy(q: Float32Array, row: number, mask: ArrayLike<number> | undefined, maskOff: number): number {
    const n = this.numActions;
    const any = mask ? anyValid(mask, maskOff, n) : false;
    let best = -1;
    let bestQ = -Infinity;
    for (let a = 0; a < n; a++) {
      if (any && !mask![maskOff + a]) continue;
      if (best < 0 || q[row * n + a] > bestQ) {
        best = a;
        bestQ = q[row * n + a];
      }
    }
    return best;
  }

  /** A uniformly drawn valid action index. */
  private randomAction(mask: ArrayLike<number> | undefined, maskOff: number, rng: Rng = this.exploreRng): number {
    const n = this.numActions;
    if (!mask || !anyValid(mask, maskOff, n)) return Math.floor(rng.random() * n);
    let count = 0;
    for (let a = 0; a < n; a++) if (mask[maskOff + a]) count++;
    let k = Math.floor(rng.random() * count);
    for (let a = 0; a < n; a++) if (mask[maskOff + a] && k-- === 0) return a;
    return n - 1;
  }

  private checkMask(mask: ArrayLike<number> | undefined, rows: number): void {
    if (mask && mask.length !== rows * this.numActions)
      throw new SchedlabError(`dqn: the action mask has ${mask.length / rows} entries; the action space needs ${this.numActions}`);
  }

  act(observation: unknown, options: ActOptions = {}): number {
    const x = this.normalizedObservation(flatten(this.observationSpace, observation));
    this.checkMask(options.mask, 1);
    const rng = options.rng ?? this.exploreRng;
    const explore = !(options.deterministic ?? false) && rng.random() < this.explorationRate;
    const a = explore ? this.randomAction(options.mask, 0, rng) : this.greedy(this.net.qCpu(x, 1), 0, options.mask, 0);
    return this.actionStart + a;
  }

  // ---- learning --------------------------------------------------------------------------------

  protected get numEnvs(): number {
    return this.options.numEnvs;
  }

  protected checkTotalSteps(totalSteps: number): void {
    if (!Number.isInteger(totalSteps) || totalSteps < this.options.numEnvs)
      throw new SchedlabError(`dqn: totalSteps (${totalSteps}) must be an integer >= numEnvs (${this.options.numEnvs})`);
  }

  protected async startLearning(vec: VectorEnvLike, totalSteps: number): Promise<TrainingRun> {
    const o = this.options;
    const numEnvs = o.numEnvs;
    const endStep = this.globalStep + totalSteps;
    const start = await this.startEpisodes(vec);
    const masked = start.actionMasks !== undefined;
    const maskSize = masked ? this.numActions : 0;
    if (this.replay && this.replay.shape.maskSize !== maskSize)
      throw new SchedlabError('dqn: the env gives action masks in one learn() call and none in another');
    this.replay ??= new ReplayBuffer({ bufferSize: o.bufferSize, obsSize: this.obsSize, maskSize });
    const replay = this.replay;
    let obs = start.observations;
    let mask = start.actionMasks;
    const { epReturn, epLength } = start;
    const actions = new Int32Array(numEnvs);
    const envActions = new Int32Array(numEnvs);
    const targetEvery = Math.max(Math.floor(o.targetUpdateInterval / numEnvs), 1);
    const batch = { out: undefined as ReplayBatch | undefined };
    let finished: FinishedEpisode[] = [];
    let losses: number[] = [];
    let qMeans: number[] = [];
    let lastLogStep = this.globalStep;

    return {
      done: () => this.globalStep >= endStep,
      iterate: async () => {
        // ---- collect trainFreq vector steps ----
        for (let k = 0; k < o.trainFreq && this.globalStep < endStep; k++) {
          this.checkMask(mask, numEnvs);
          this.explorationRate = linearSchedule(
            o.explorationInitialEps,
            o.explorationFinalEps,
            o.explorationFraction,
            this.globalStep / endStep,
          );
          if (this.globalStep < o.learningStarts) {
            for (let e = 0; e < numEnvs; e++) actions[e] = this.randomAction(mask, e * maskSize);
          } else {
            const q = this.net.qCpu(obs, numEnvs);
            for (let e = 0; e < numEnvs; e++) {
              actions[e] =
                this.exploreRng.random() < this.explorationRate
                  ? this.randomAction(mask, e * maskSize)
                  : this.greedy(q, e, mask, e * maskSize);
            }
          }
          for (let e = 0; e < numEnvs; e++) envActions[e] = this.actionStart + actions[e];
          const res = await this.stepEnvs(vec, envActions);
          const original = this.originalRewards(vec, res);
          this.globalStep += numEnvs;
          this.vecSteps++;
          const n = this.obsSize;
          for (let e = 0; e < numEnvs; e++) {
            epReturn[e] += original[e];
            epLength[e]++;
            const done = res.terminations[e] === 1 || res.truncations[e] === 1;
            // On an episode end the row holds the next episode's first observation: store the final one.
            const next = done ? (res.infos[e].finalObservation as Float32Array) : res.observations.subarray(e * n, (e + 1) * n);
            const nextMask = masked
              ? done
                ? finalMask(res.infos[e], this.numActions)
                : res.actionMasks!.subarray(e * maskSize, (e + 1) * maskSize)
              : undefined;
            replay.add(obs.subarray(e * n, (e + 1) * n), actions[e], res.rewards[e], next, res.terminations[e] === 1, nextMask);
            if (done) this.endEpisode(finished, e, epReturn, epLength, res.infos[e]);
          }
          obs = res.observations;
          mask = res.actionMasks;
          if (this.vecSteps % targetEvery === 0) this.net.updateTarget(o.tau);
        }

        // ---- train ----
        if (this.globalStep > o.learningStarts && replay.size > 0) {
          this.timeUpdate(() => {
            const steps = o.gradientSteps === -1 ? o.trainFreq * numEnvs : o.gradientSteps;
            for (let g = 0; g < steps; g++) {
              batch.out = replay.sample(o.batchSize, this.replayRng, batch.out);
              const [loss, qMean] = this.trainStep(batch.out, maskSize);
              losses.push(loss);
              qMeans.push(qMean);
            }
            this.net.store.sync();
          });
        }

        // ---- logging ----
        if (this.globalStep - lastLogStep < o.logInterval && this.globalStep < endStep) return undefined;
        const row = this.dumpProgress(finished, o.learningRate, {
          ...(losses.length ? { td_loss: mean(losses), q_values: mean(qMeans) } : {}),
          exploration_rate: this.explorationRate,
          gradient_steps: this.gradientSteps,
        });
        finished = [];
        losses = [];
        qMeans = [];
        lastLogStep = this.globalStep;
        return row;
      },
    };
  }

  /** One Adam step on a minibatch; returns [Huber loss, mean Q(s, a)]. Throws before applying a non-finite update. */
  private trainStep(b: ReplayBatch, maskSize: number): [number, number] {
    const o = this.options;
    const m = o.batchSize;
    const n = this.numActions;
    const variable = this.net.store.variable;
    let penalty: Float32Array | undefined;
    if (maskSize) {
      penalty = new Float32Array(m * n);
      for (let r = 0; r < m; r++) {
        if (!anyValid(b.nextMasks, r * n, n)) continue;
        for (let a = 0; a < n; a++) if (!b.nextMasks[r * n + a]) penalty[r * n + a] = MASKED_LOGIT;
      }
    }
    let kept: tf.Tensor | undefined;
    const { stats, grad } = tf.tidy(() => {
      const obsT = tf.tensor2d(b.obs, [m, this.obsSize]);
      const nextObsT = tf.tensor2d(b.nextObs, [m, this.obsSize]);
      const actT = tf.oneHot(tf.tensor1d(b.actions, 'int32'), n);
      const penT = penalty ? tf.tensor2d(penalty, [m, n]) : undefined;
      // Targets, outside the gradient: y = r + γ·(1 − terminated)·Q_target(s', a').
      let qNextTarget = this.net.apply(nextObsT, this.net.target);
      if (penT) qNextTarget = tf.add(qNextTarget, penT);
      let nextQ: tf.Tensor1D;
      if (o.doubleQ) {
        let qNextOnline = this.net.apply(nextObsT);
        if (penT) qNextOnline = tf.add(qNextOnline, penT);
        const best = tf.oneHot(tf.argMax(qNextOnline, 1), n);
        nextQ = tf.sum(tf.mul(qNextTarget, best), 1);
      } else {
        nextQ = tf.max(qNextTarget, 1);
      }
      const notDone = tf.sub(1, tf.tensor1d(b.terminated));
      const target = tf.add(tf.tensor1d(b.rewards), tf.mul(tf.mul(nextQ, notDone), o.gamma));
      const { grads } = tf.variableGrads(() => {
        const q = tf.sum(tf.mul(this.net.apply(obsT), actT), 1);
        // Huber loss (PyTorch's smooth_l1_loss, β = 1), averaged over the batch.
        const err = tf.abs(tf.sub(q, target));
        const quadratic = tf.minimum(err, 1);
        const loss = tf.mean<tf.Scalar>(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.sub(err, quadratic)));
        kept = tf.keep(tf.stack([loss, tf.mean(q)]));
        return loss;
      }, [variable]);
      const { grad, norm } = clipGradNorm(grads[variable.name] as tf.Tensor1D, o.maxGradNorm);
      return { stats: tf.concat([kept!, tf.reshape(norm, [1])]), grad };
    });
    kept?.dispose();
    const values = stats.dataSync();
    stats.dispose();
    if (!Array.from(values).every(Number.isFinite)) {
      grad.dispose();
      throw new NonFiniteLossError('dqn', this.globalStep, { td_loss: values[0], q_values: values[1], grad_norm: values[2] });
    }
    this.adam.apply(grad, o.learningRate);
    grad.dispose();
    this.gradientSteps++;
    return [values[0], values[1]];
  }

  // ---- persistence -----------------------------------------------------------------------------

  protected checkpointCounters(): readonly string[] {
    return ['vecSteps', 'gradientSteps', 'adamStep', 'replayPos', 'replayMaskSize'];
  }

  async save(dir: string): Promise<void> {
    this.net.store.sync();
    const adam = this.adam.state();
    const saveReplay = this.options.saveReplayBuffer && this.replay !== undefined;
    const size = this.net.store.size;
    const meta = this.checkpointMeta({
      counters: {
        seed: this.seed,
        globalStep: this.globalStep,
        vecSteps: this.vecSteps,
        gradientSteps: this.gradientSteps,
        episodes: this.episodes,
        adamStep: adam.step,
        replayPos: saveReplay ? this.replay!.pos : 0,
        replayMaskSize: saveReplay ? this.replay!.shape.maskSize : -1,
      },
      rng: { explore: this.exploreRng.state(), replay: this.replayRng.state() },
      normalization: this.normalizationState(),
      extra: { recentReturns: this.recentReturns, explorationRate: this.explorationRate },
    });
    await saveCheckpoint(
      dir,
      meta,
      this.checkpointTensors({
        params: { values: this.net.store.values, shape: [size] },
        target: { values: this.net.target.dataSync() as Float32Array, shape: [size] },
        'adam/m': { values: adam.m, shape: [size] },
        'adam/v': { values: adam.v, shape: [size] },
        ...(saveReplay ? this.replay!.toTensors() : {}),
      }),
    );
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors } = await this.readCheckpoint(dir);
    this.net.store.assign(tensors.params.values);
    tf.tidy(() => this.net.target.assign(tf.tensor1d(tensors.target.values)));
    this.adam.setState({ step: meta.counters.adamStep, m: tensors['adam/m'].values, v: tensors['adam/v'].values });
    const c = meta.counters;
    this.restoreShared(meta, tensors);
    this.vecSteps = c.vecSteps;
    this.gradientSteps = c.gradientSteps;
    const rng = meta.rng as { explore: ReturnType<Rng['state']>; replay: ReturnType<Rng['state']> };
    this.exploreRng = Rng.fromState(rng.explore);
    this.replayRng = Rng.fromState(rng.replay);
    if (c.replayMaskSize >= 0) {
      this.replay = new ReplayBuffer({ bufferSize: this.options.bufferSize, obsSize: this.obsSize, maskSize: c.replayMaskSize });
      this.replay.fromTensors(tensors, c.replayPos);
    } else {
      this.replay = undefined;
    }
    this.explorationRate = (meta.extra?.explorationRate as number | undefined) ?? this.options.explorationFinalEps;
  }

  dispose(): void {
    this.adam.dispose();
    this.net.dispose();
  }
}

function anyValid(mask: ArrayLike<number>, off: number, n: number): boolean {
  for (let a = 0; a < n; a++) if (mask[off + a]) return true;
  return false;
}

/** The action mask of an episode's final observation (same-step autoreset keeps it in finalInfo). */
function finalMask(info: Record<string, unknown>, n: number): Uint8Array {
  const m = (info.finalInfo as { actionMask?: Uint8Array } | undefined)?.actionMask;
  return m ?? new Uint8Array(n).fill(1);
}
