/**
 * Observation and reward normalisation for learned agents, as a vector-env wrapper (Stable-Baselines3's
 * `VecNormalize`, with Gymnasium's NormalizeObservation / NormalizeReward maths):
 * - observations: z = clip((x − mean) / sqrt(var + 1e-8), −clipObs, clipObs), with running statistics
 *   updated from every batch the env returns while training. In the per-item mode (queue observations:
 *   `items` slots of `itemSize` features, one slot per action) the statistics are per item feature,
 *   pooled over the valid items of the batch (action mask 1; every item without a mask) and tiled to
 *   every slot: a queue's jobs share one scale whatever slot they sit in, and empty slots do not drag the
 *   statistics towards their padding values.
 * - rewards: scaled by 1 / sqrt(var(R) + 1e-8), where R ← R·γ·(1 − terminated) + r is each env's
 *   discounted return and var(R) its running variance over the batch of envs; `clipReward` bounds the
 *   scaled reward (none by default).
 * A finished episode's `infos[i].finalObservation` is normalised too (with the statistics before this
 * step's update), so bootstrapping a truncated episode sees what the policy sees. `originalRewards`
 * keeps the step's unscaled rewards for episode returns and logs.
 *
 * The statistics (`NormalizationStats`) belong to the agent: saved in its checkpoints, frozen in `act`
 * and in exports; the wrapper only applies and updates them during `learn`.
 */
import { opt, OptionProblem, type OptionValues } from '../../core/options.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { AutoresetMode, VectorEnv, VectorResetArgs, VectorResetResult, VectorStepResult } from '../../envs/core/vector/types.js';
import { RunningMeanStd, type RunningMeanStdState } from '../../envs/core/wrappers/running-mean-std.js';

export const NORMALIZATION_EPSILON = 1e-8;

/** The options of every learned agent that switch normalisation on (all off by default). */
export const normalizationOptionSchema = {
  /** Normalise observations with running statistics (saved in checkpoints, frozen by `act` and in exports). */
  normalizeObservation: opt.bool(false),
  /** Clip range of normalised observations. */
  clipObs: opt.number(10, { min: 0, minExclusive: true }),
  /**
   * Scale rewards by the running std of the discounted return, per env (Gymnasium's NormalizeReward, SB3's
   * VecNormalize): sparse end-of-episode rewards in the hundreds otherwise swamp the value loss. Logged
   * returns and metrics stay unscaled; the statistics are saved in checkpoints.
   */
  normalizeReward: opt.bool(false),
  /** Bound of the scaled reward (SB3's clip_reward); null: none. */
  clipReward: opt.custom<number | null>(null, 'null (no clip) or a number > 0', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !(v > 0)) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
};

export type NormalizationOptionValues = OptionValues<typeof normalizationOptionSchema> & { gamma: number };

export interface NormalizationOptions extends NormalizationOptionValues {
  /** Per-item statistics (queue observations): features per item. */
  itemSize?: number;
}

/** What a checkpoint holds of the normalisation: the running statistics of each part that is on. */
export interface NormalizationState {
  observation?: RunningMeanStdState;
  reward?: RunningMeanStdState;
}

/** The running statistics of one agent and how they are applied. */
export class NormalizationStats {
  readonly observation: RunningMeanStd | undefined;
  readonly reward: RunningMeanStd | undefined;

  constructor(
    readonly obsSize: number,
    readonly options: NormalizationOptions,
  ) {
    if (options.normalizeObservation) this.observation = new RunningMeanStd(obsSize);
    if (options.normalizeReward) this.reward = new RunningMeanStd(1);
  }

  get active(): boolean {
    return this.observation !== undefined || this.reward !== undefined;
  }

  /**
   * `rows` flat observations normalised (a new array; `obs` itself when observation normalisation is
   * off). With `update`, this batch is merged into the statistics first; `masks` (rows × items) say which
   * items are valid in the per-item mode.
   */
  normalizeObservations(obs: Float32Array, rows: number, update: boolean, masks?: Uint8Array): Float32Array {
    const rms = this.observation;
    if (!rms) return obs;
    const n = this.obsSize;
    if (update) {
      if (this.options.itemSize !== undefined) this.updateItemStatistics(rms, obs, rows, masks);
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
        const z = (obs[r * n + i] - rms.mean[i]) / Math.sqrt(rms.var[i] + NORMALIZATION_EPSILON);
        out[r * n + i] = Math.max(-clip, Math.min(clip, z));
      }
    }
    return out;
  }

  private updateItemStatistics(rms: RunningMeanStd, obs: Float32Array, rows: number, masks: Uint8Array | undefined): void {
    const itemSize = this.options.itemSize!;
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

  /**
   * The factor for this step's rewards: R ← R·γ·(1 − terminated) + r per env, the running variance of R
   * updated with this step's batch (when `update`), and 1 / sqrt(var + 1e-8).
   */
  rewardScale(rewards: ArrayLike<number>, terminations: ArrayLike<number>, discountedReturn: Float64Array, update: boolean): number {
    const rms = this.reward!;
    const n = discountedReturn.length;
    let m = 0;
    for (let e = 0; e < n; e++) {
      discountedReturn[e] = discountedReturn[e] * this.options.gamma * (terminations[e] === 1 ? 0 : 1) + rewards[e];
      m += discountedReturn[e] / n;
    }
    if (update) {
      let v = 0;
      for (let e = 0; e < n; e++) v += (discountedReturn[e] - m) ** 2 / n;
      rms.updateFromMoments([m], [v], n);
    }
    return 1 / Math.sqrt(rms.var[0] + NORMALIZATION_EPSILON);
  }

  state(): NormalizationState | null {
    if (!this.active) return null;
    return { observation: this.observation?.getState(), reward: this.reward?.getState() };
  }

  setState(state: NormalizationState | null | undefined): void {
    if (this.observation && state?.observation) this.observation.setState(state.observation);
    if (this.reward && state?.reward) this.reward.setState(state.reward);
  }
}

/** The wrapper applying an agent's statistics to a vector env during `learn` (`training`: update them). */
export class VecNormalize implements VectorEnv<any> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly observationSize: number;
  readonly autoresetMode: AutoresetMode;
  /** The rewards of the last step before scaling. */
  originalRewards: Float64Array = new Float64Array(0);
  private readonly discountedReturn: Float64Array;

  constructor(
    readonly venv: VectorEnv<any>,
    readonly stats: NormalizationStats,
    /** Update the statistics (off while a resumed learn() replays its journal). */
    public training = true,
  ) {
    this.numEnvs = venv.numEnvs;
    this.singleObservationSpace = venv.singleObservationSpace;
    this.singleActionSpace = venv.singleActionSpace;
    this.observationSize = venv.observationSize;
    this.autoresetMode = venv.autoresetMode;
    this.discountedReturn = new Float64Array(venv.numEnvs);
  }

  async reset(args?: VectorResetArgs): Promise<VectorResetResult> {
    const r = await this.venv.reset(args);
    this.discountedReturn.fill(0);
    return { ...r, observations: this.stats.normalizeObservations(r.observations, this.numEnvs, this.training, r.actionMasks) };
  }

  async step(actions: ArrayLike<unknown> | unknown[]): Promise<VectorStepResult> {
    const res = await this.venv.step(actions);
    this.originalRewards = res.rewards;
    let rewards = res.rewards;
    if (this.stats.reward) {
      const scale = this.stats.rewardScale(res.rewards, res.terminations, this.discountedReturn, this.training);
      const clip = this.stats.options.clipReward ?? Infinity;
      rewards = Float64Array.from(res.rewards, (r) => Math.max(-clip, Math.min(clip, r * scale)));
    }
    let infos = res.infos;
    if (this.stats.observation) {
      infos = res.infos.map((info) =>
        info.finalObservation instanceof Float32Array
          ? { ...info, finalObservation: this.stats.normalizeObservations(info.finalObservation, 1, false) }
          : info,
      );
    }
    const observations = this.stats.normalizeObservations(res.observations, this.numEnvs, this.training, res.actionMasks);
    return { ...res, observations, rewards, infos };
  }

  close(): Promise<void> | void {
    return this.venv.close();
  }
}
