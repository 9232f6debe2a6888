/**
 * What every learned agent (PPO, A2C, DQN, REINFORCE) keeps beside its algorithm: the run's seed and
 * env id, the progress logger, timings and step/episode counters, the last 100 episode returns, the
 * start of `learn()` (env spaces check, callbacks), the episode columns of the progress log, and the
 * checkpoint fields they share. The algorithm itself (rollouts, losses, updates) stays in each agent's file.
 */
import type { Env } from '../../envs/core/env.js';
import { SchedlabError } from '../../core/errors.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions, Agent, Callback, CallbackContext, LearnOptions, LearnResult } from './agent.js';
import { currentBackend } from './backend.js';
import { assertCompatible, CHECKPOINT_FORMAT, type CheckpointMeta, loadCheckpoint, requireCounters } from './checkpoint.js';
import { TrainingLogger } from './logger.js';
import type { VectorEnvLike } from './vec.js';
import { mean } from './batch-stats.js';

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

  abstract act(observation: unknown, options?: ActOptions): unknown;
  abstract learn(env: Env<any, any> | VectorEnvLike, options: LearnOptions): Promise<LearnResult>;
  abstract save(dir: string): Promise<void>;
  abstract load(dir: string): Promise<void>;
  abstract dispose(): void;
  /** What must match for a checkpoint to load: the network and its parameter layout. */
  abstract architecture(): unknown;

  // ---- learn() ---------------------------------------------------------------------------------

  /** Rejects a vector env whose single spaces differ from the agent's. */
  protected assertSameSpaces(vec: VectorEnvLike): void {
    if (!vec.singleActionSpace.equals(this.actionSpace) || !vec.singleObservationSpace.equals(this.observationSpace)) {
      throw new SchedlabError(`${this.name}: the env's spaces (${vec.singleObservationSpace}, ${vec.singleActionSpace}) differ from the agent's (${this.observationSpace}, ${this.actionSpace})`);
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
  protected endEpisode(finished: FinishedEpisode[], e: number, epReturn: Float64Array, epLength: Int32Array, info: Record<string, unknown>): void {
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

  /** Logs the seconds spent in env steps, inference and updates since `before` (a copy of `timings`). */
  protected recordTimings(before: { env: number; inference: number; update: number }): void {
    this.logger.record('time/env', this.timings.env - before.env);
    this.logger.record('time/inference', this.timings.inference - before.inference);
    this.logger.record('time/update', this.timings.update - before.update);
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
    return {
      format: CHECKPOINT_FORMAT,
      ...this.checkpointIdentity(),
      config: { ...this.options },
      counters: own.counters,
      rng: own.rng,
      normalization: own.normalization,
      backend: currentBackend(),
      extra: own.extra,
    };
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

  /** Restores seed, globalStep, episodes and the recent returns from a checkpoint's meta. */
  protected restoreShared(meta: CheckpointMeta): void {
    this.seed = meta.counters.seed;
    this.globalStep = meta.counters.globalStep;
    this.episodes = meta.counters.episodes;
    this.recentReturns = [...((meta.extra?.recentReturns as number[] | undefined) ?? [])];
  }
}
