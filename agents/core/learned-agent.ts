/**
 * What every learned agent (PPO, A2C, DQN, REINFORCE) shares beside its algorithm (Stable-Baselines3's
 * BaseAlgorithm): the run's seed and env id, the progress logger, timings and step/episode counters, the
 * last 100 episode returns, observation/reward normalisation (VecNormalize), checkpoint fields, and the
 * one `learn()` loop:
 *   backend → vector env → budget and spaces checks → callbacks' start → normalisation wrapper →
 *   the algorithm's `startLearning` (buffers, first reset) → iterations (collect + update, the
 *   algorithm's `TrainingRun.iterate`) each followed by the callbacks, which may stop training →
 *   callbacks' end → the vector env closed if this call made it.
 * Timing lives here too: env time is measured around `stepEnvs`/`resetEnvs`, update time around
 * `timeUpdate`, and inference is the rest of each logging window. The algorithm itself (rollouts,
 * losses, updates) stays in each agent's file.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions, Agent, Callback, CallbackContext, LearnOptions, LearnResult } from './agent.js';
import { currentBackend, initBackend } from './backend.js';
import { mean } from './batch-stats.js';
import {
  assertCompatible,
  CHECKPOINT_FORMAT,
  loadCheckpoint,
  requireCounters,
  type CheckpointMeta,
  type TensorRecord,
} from './checkpoint.js';
import { actionWidth, EpisodeJournal, type JournalMeta } from './episode-journal.js';
import { TrainingLogger, type LogRow } from './logger.js';
import { NormalizationStats, VecNormalize, type NormalizationState } from './vec-normalize.js';
import { asVectorEnv, type VectorEnvLike, type VectorStep } from './vec.js';

/** How the registry builds a learned agent: the run's seed and, when known, the env id checkpoints are tied to. */
export interface LearnedAgentContext {
  seed: number;
  envId?: string;
}

/** One finished episode as the progress log reports it. */
export interface FinishedEpisode {
  ret: number;
  len: number;
  metrics?: Record<string, number>;
}

/** The episode that ended in a vector env's slot, with the metrics the env put in its final info. */
export function finishedEpisode(ret: number, len: number, info: Record<string, unknown>): FinishedEpisode {
  const finalInfo = info.finalInfo as { metrics?: Record<string, number> } | undefined;
  return { ret, len, metrics: finalInfo?.metrics };
}

/** Where a learn() call's episodes stand when it starts (after a reset, or a resumed journal's replay). */
export interface EpisodeStart {
  observations: Float32Array;
  actionMasks: Uint8Array | undefined;
  done: Float32Array;
  epReturn: Float64Array;
  epLength: Int32Array;
}

/** One `learn()` call of an algorithm: its iterations until the budget is spent. */
export interface TrainingRun {
  done(): boolean;
  /** Collects experience and updates once; returns the progress row when this iteration logged one. */
  iterate(): Promise<LogRow | undefined>;
}

/** How many recent episode returns `rollout/ep_rew_mean` averages (SB3's stats window). */
const RECENT_RETURNS = 100;

export abstract class LearnedAgent implements Agent {
  abstract readonly name: string;
  abstract readonly options: Record<string, unknown>;
  /** The run's seed (restored by `load`, so a resumed run resets its envs as the original would). */
  seed: number;
  readonly envId: string | null;
  /** Where progress rows go; replace with a TrainingLogger({dir}) to write progress.csv/jsonl. */
  logger = new TrainingLogger();
  /** Cumulative seconds spent stepping envs, in action selection, and in updates (gradient steps). */
  readonly timings = { env: 0, inference: 0, update: 0 };
  globalStep = 0;
  episodes = 0;
  /** The last 100 episode returns (SB3's ep_info_buffer), saved with the checkpoint. */
  protected recentReturns: number[] = [];

  constructor(
    readonly observationSpace: Space,
    readonly actionSpace: Space,
    ctx: LearnedAgentContext,
  ) {
    this.seed = ctx.seed;
    this.envId = ctx.envId ?? null;
  }

  /** Observation and reward normalisation statistics (options normalizeObservation / normalizeReward; off by default). */
  protected normalization: NormalizationStats | undefined;
  /** The episodes in flight of the running learn() call (saved by a checkpoint taken mid-learn). */
  private journal: EpisodeJournal | undefined;
  /** A mid-learn checkpoint's journal, replayed by the next learn() to resume exactly. */
  private pendingJournal: EpisodeJournal | undefined;
  /** The learn() call in progress, if any. */
  private currentRun: TrainingRun | undefined;
  /** Where the current logging window started: time, steps and timings. */
  private window = { time: 0, steps: 0, env: 0, update: 0 };

  abstract act(observation: unknown, options?: ActOptions): unknown;
  abstract save(dir: string): Promise<void>;
  abstract load(dir: string): Promise<void>;
  abstract dispose(): void;
  /** What must match for a checkpoint to load: the network and its parameter layout. */
  abstract architecture(): unknown;

  // ---- learn() ---------------------------------------------------------------------------------

  /** Sub-envs the agent trains on (its numEnvs option; 1 for single-env algorithms). */
  protected abstract get numEnvs(): number;

  /** Throws a clear error when `totalSteps` does not fit the algorithm (e.g. less than one rollout). */
  protected abstract checkTotalSteps(totalSteps: number): void;

  /** Starts this call's training on `vec` (already normalised when normalisation is on): buffers, first reset. */
  protected abstract startLearning(vec: VectorEnvLike, totalSteps: number): Promise<TrainingRun>;

  /**
   * Trains on `env` (or a vector env of `numEnvs` same-step sub-envs) for `totalSteps` more steps. Starts
   * fresh episodes (reset with seed = run seed + steps so far), so `learn(a); save; load; learn(b)`
   * continues exactly as `learn(a); learn(b)` in one process.
   */
  async learn(env: Env<any, any> | VectorEnvLike, { totalSteps, callbacks = [] }: LearnOptions): Promise<LearnResult> {
    if (!currentBackend()) await initBackend('auto');
    const { vec: envs, owned } = await asVectorEnv(this.name, env, this.numEnvs);
    this.checkTotalSteps(totalSteps);
    this.assertSameSpaces(envs);
    const startStep = this.globalStep;
    const ctx = await this.startTraining(callbacks);
    let stoppedEarly = false;
    try {
      const vec = this.normalization?.active ? new VecNormalize(envs, this.normalization) : envs;
      const run = await this.startLearning(vec, totalSteps);
      this.currentRun = run;
      this.startLogWindow();
      let lastRow: LogRow = {};
      while (!run.done() && !stoppedEarly) {
        lastRow = (await run.iterate()) ?? lastRow;
        // What callbacks see: the last progress row, with the running mean return of this iteration.
        ctx.metrics = { ...lastRow };
        if (this.recentReturns.length) ctx.metrics['rollout/ep_rew_mean'] = mean(this.recentReturns);
        stoppedEarly = await this.endRollout(ctx, callbacks);
      }
      await this.endTraining(ctx, callbacks);
    } finally {
      this.journal = undefined;
      this.currentRun = undefined;
      if (owned) await envs.close();
    }
    return { steps: this.globalStep - startStep, episodes: ctx.episodes, stoppedEarly };
  }

  /** A flat observation as the network sees it: normalised with the frozen statistics when normalisation is on. */
  normalizedObservation(flat: Float32Array): Float32Array {
    return this.normalization ? this.normalization.normalizeObservations(flat, 1, false) : flat;
  }

  /**
   * The first observations of a learn() call's episodes: the vector env reset with seed = run seed + steps
   * so far; or, after loading a checkpoint taken mid-learn, reset with that call's seed and its journal
   * replayed (normalisation statistics frozen, nothing learned or counted) so that envs, observations,
   * masks and running episode returns are exactly where the checkpoint left them.
   */
  protected async startEpisodes(vec: VectorEnvLike): Promise<EpisodeStart> {
    const numEnvs = vec.numEnvs;
    const resume = this.pendingJournal?.numEnvs === numEnvs ? this.pendingJournal : undefined;
    this.pendingJournal = undefined;
    const seed = resume?.seed ?? this.resetSeed();
    // A replay re-creates what the statistics have already seen: they stay frozen through it, reset included.
    const normalize = resume && vec instanceof VecNormalize ? vec : undefined;
    if (normalize) normalize.training = false;
    try {
      const reset = await this.resetEnvs(vec, seed);
      this.journal = new EpisodeJournal(seed, numEnvs, actionWidth(this.actionSpace));
      const start: EpisodeStart = {
        observations: reset.observations,
        actionMasks: reset.actionMasks,
        done: new Float32Array(numEnvs),
        epReturn: new Float64Array(numEnvs),
        epLength: new Int32Array(numEnvs),
      };
      if (!resume) return start;
      for (let t = 0; t < resume.steps; t++) {
        const res = await this.stepEnvs(vec, resume.actionsAt(t, this.actionSpace));
        const original = this.originalRewards(vec, res);
        start.done = new Float32Array(numEnvs);
        for (let e = 0; e < numEnvs; e++) {
          start.epReturn[e] += original[e];
          start.epLength[e]++;
          if (res.terminations[e] === 1 || res.truncations[e] === 1) {
            start.done[e] = 1;
            start.epReturn[e] = 0;
            start.epLength[e] = 0;
          }
        }
        start.observations = res.observations;
        start.actionMasks = res.actionMasks;
      }
      return start;
    } finally {
      if (normalize) normalize.training = true;
    }
  }

  /** One step of the (possibly normalised) vector env, timed as env time; its actions go into the journal. */
  protected async stepEnvs(vec: VectorEnvLike, actions: ArrayLike<unknown> | unknown[]): Promise<VectorStep> {
    this.journal?.record(actions);
    const t0 = performance.now();
    const res = await vec.step(actions);
    this.timings.env += (performance.now() - t0) / 1000;
    return res;
  }

  /** A reset of the vector env, timed as env time. */
  protected async resetEnvs(vec: VectorEnvLike, seed: number) {
    const t0 = performance.now();
    const res = await vec.reset({ seed });
    this.timings.env += (performance.now() - t0) / 1000;
    return res;
  }

  /** Runs a gradient update, timed as update time. */
  protected timeUpdate<T>(update: () => T): T {
    const t0 = performance.now();
    try {
      return update();
    } finally {
      this.timings.update += (performance.now() - t0) / 1000;
    }
  }

  /** The unscaled rewards of the last step (under reward normalisation, `res.rewards` are scaled). */
  protected originalRewards(vec: VectorEnvLike, res: VectorStep): Float64Array {
    return vec instanceof VecNormalize ? vec.originalRewards : res.rewards;
  }

  private startLogWindow(): void {
    this.window = { time: performance.now(), steps: this.globalStep, env: this.timings.env, update: this.timings.update };
  }

  /**
   * Logs and writes one progress row for the window since the last one: episode columns of `finished`,
   * SPS, the learning rate, the algorithm's own columns (in order), `episodes`, the running mean return,
   * and the window's seconds in env steps, inference (everything else) and updates.
   */
  protected dumpProgress(finished: readonly FinishedEpisode[], learningRate: number, own: Record<string, number>): LogRow {
    const log = this.logger;
    const now = performance.now();
    const seconds = (now - this.window.time) / 1000;
    const env = this.timings.env - this.window.env;
    const update = this.timings.update - this.window.update;
    this.timings.inference += Math.max(0, seconds - env - update);
    this.recordEpisodes(finished);
    log.record('SPS', (this.globalStep - this.window.steps) / seconds);
    log.record('learning_rate', learningRate);
    for (const [k, v] of Object.entries(own)) log.record(k, v);
    log.record('episodes', this.episodes);
    this.recordRecentReturns();
    log.record('time/env', env);
    log.record('time/inference', Math.max(0, seconds - env - update));
    log.record('time/update', update);
    this.startLogWindow();
    return log.dump(this.globalStep);
  }

  /** Rejects a vector env whose single spaces differ from the agent's. */
  protected assertSameSpaces(vec: VectorEnvLike): void {
    if (!vec.singleActionSpace.equals(this.actionSpace) || !vec.singleObservationSpace.equals(this.observationSpace)) {
      throw new SchedlabError(
        `${this.name}: the env's spaces (${vec.singleObservationSpace}, ${vec.singleActionSpace}) differ from the agent's (${this.observationSpace}, ${this.actionSpace})`,
      );
    }
  }

  /** The callbacks' context at the start of training, after their onTrainingStart. */
  protected async startTraining(callbacks: Callback[]): Promise<CallbackContext> {
    const ctx: CallbackContext = { agent: this, steps: this.globalStep, episodes: this.episodes, metrics: {} };
    for (const cb of callbacks) await cb.onTrainingStart?.(ctx);
    return ctx;
  }

  /** Updates the callbacks' context and calls their onRolloutEnd; true when one of them asks to stop. */
  protected async endRollout(ctx: CallbackContext, callbacks: Callback[]): Promise<boolean> {
    ctx.steps = this.globalStep;
    ctx.episodes = this.episodes;
    let stop = false;
    for (const cb of callbacks) if ((await cb.onRolloutEnd?.(ctx)) === false) stop = true;
    return stop;
  }

  /** Calls the callbacks' onTrainingEnd. */
  protected async endTraining(ctx: CallbackContext, callbacks: Callback[]): Promise<void> {
    for (const cb of callbacks) await cb.onTrainingEnd?.(ctx);
  }

  /** The seed a learn() call resets its envs with: run seed + steps so far, so a resumed run continues as one. */
  protected resetSeed(): number {
    return (this.seed + this.globalStep) % 2147483647;
  }

  /** Keeps `ret` among the recent returns (the oldest dropped past 100). */
  protected rememberReturn(ret: number): void {
    this.recentReturns.push(ret);
    if (this.recentReturns.length > RECENT_RETURNS) this.recentReturns.shift();
  }

  /**
   * Books the episode that just ended in vector slot `e`: into `finished` (logged by recordEpisodes), the
   * recent returns and the episode count; then zeroes the slot's running return and length.
   */
  protected endEpisode(
    finished: FinishedEpisode[],
    e: number,
    epReturn: Float64Array,
    epLength: Int32Array,
    info: Record<string, unknown>,
  ): void {
    finished.push(finishedEpisode(epReturn[e], epLength[e], info));
    this.rememberReturn(epReturn[e]);
    this.episodes++;
    epReturn[e] = 0;
    epLength[e] = 0;
  }

  /** Logs episodic_return, episodic_length and episode/<metric> means over `finished` (nothing when empty). */
  protected recordEpisodes(finished: readonly FinishedEpisode[]): void {
    if (!finished.length) return;
    const log = this.logger;
    log.record('episodic_return', mean(finished.map((f) => f.ret)));
    log.record('episodic_length', mean(finished.map((f) => f.len)));
    const names = new Set(finished.flatMap((f) => Object.keys(f.metrics ?? {})));
    for (const m of names) log.record(`episode/${m}`, mean(finished.flatMap((f) => (f.metrics?.[m] !== undefined ? [f.metrics[m]] : []))));
  }

  /** Logs rollout/ep_rew_mean, the mean of the recent returns (nothing before the first episode ends). */
  protected recordRecentReturns(): void {
    if (this.recentReturns.length) this.logger.record('rollout/ep_rew_mean', mean(this.recentReturns));
  }

  // ---- persistence -----------------------------------------------------------------------------

  /** What a checkpoint is checked against on load: the agent, env id, spaces and architecture. */
  private checkpointIdentity() {
    return {
      agent: this.name,
      envId: this.envId,
      observationSpace: this.observationSpace.toJSON(),
      actionSpace: this.actionSpace.toJSON(),
      architecture: this.architecture(),
    };
  }

  /** A checkpoint's meta: the shared fields around the agent's own counters, RNG states, normalization and extras. */
  protected checkpointMeta(own: Pick<CheckpointMeta, 'counters' | 'rng' | 'normalization' | 'extra'>): CheckpointMeta {
    const journal = this.inFlightJournal();
    return {
      format: CHECKPOINT_FORMAT,
      ...this.checkpointIdentity(),
      config: { ...this.options },
      counters: own.counters,
      rng: own.rng,
      normalization: own.normalization,
      backend: currentBackend(),
      extra: journal ? { ...own.extra, journal: journal.meta } : own.extra,
    };
  }

  /** The checkpoint's tensors: the agent's own, and the journal's actions when saved in the middle of learn(). */
  protected checkpointTensors(own: TensorRecord): TensorRecord {
    const journal = this.inFlightJournal();
    if (!journal) return own;
    const actions = journal.actions;
    return { ...own, 'journal/actions': { values: Float32Array.from(actions), shape: [actions.length] } };
  }

  /**
   * The journal a checkpoint saves: only while learn() still has steps to train. Once it has trained them
   * all, the next learn() starts fresh episodes, so a checkpoint saved then (by a callback at the last
   * iteration or after learn() returns) is the same as one saved after learn() returned.
   */
  private inFlightJournal(): EpisodeJournal | undefined {
    return this.currentRun && !this.currentRun.done() ? this.journal : undefined;
  }

  /** The step counters this agent's checkpoints must hold (besides seed, globalStep and episodes). */
  protected abstract checkpointCounters(): readonly string[];

  /**
   * Reads the checkpoint in `dir`, after checking it was written by an agent of the same kind, env and
   * architecture and that it holds every counter the agent restores.
   */
  protected async readCheckpoint(dir: string): ReturnType<typeof loadCheckpoint> {
    const checkpoint = await loadCheckpoint(dir);
    assertCompatible(dir, checkpoint.meta, this.checkpointIdentity());
    requireCounters(dir, checkpoint.meta, ['seed', 'globalStep', 'episodes', ...this.checkpointCounters()]);
    return checkpoint;
  }

  /** The normalisation statistics as a checkpoint holds them (null when off). */
  protected normalizationState(): NormalizationState | null {
    return this.normalization?.state() ?? null;
  }

  /**
   * Restores seed, globalStep, episodes, the recent returns and the normalisation statistics from a
   * checkpoint's meta, and the journal of a checkpoint taken mid-learn (the next learn() replays it).
   */
  protected restoreShared(meta: CheckpointMeta, tensors: TensorRecord): void {
    const journal = meta.extra?.journal as JournalMeta | undefined;
    const actions = tensors['journal/actions'];
    this.pendingJournal = journal && actions ? new EpisodeJournal(journal.seed, journal.numEnvs, journal.width, actions.values) : undefined;
    this.normalization?.setState(meta.normalization as NormalizationState | null);
    this.seed = meta.counters.seed;
    this.globalStep = meta.counters.globalStep;
    this.episodes = meta.counters.episodes;
    this.recentReturns = [...((meta.extra?.recentReturns as number[] | undefined) ?? [])];
  }
}
