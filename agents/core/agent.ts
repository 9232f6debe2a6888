/**
 * The one agent contract, shared by heuristics and learned agents (Stable-Baselines3's shape):
 * `act` picks an action, `learn` trains on an env, `save`/`load` persist the agent.
 */
import type { Rng } from '../../core/rng.js';
import type { Env, Info } from '../../envs/core/env.js';
import type { VectorEnv } from '../../envs/core/vector/types.js';

export interface ActOptions {
  /** Valid-action mask (1 = valid) for masked envs, usually `info.actionMask`. */
  mask?: ArrayLike<number>;
  /** Greedy action instead of a sample (learned agents); heuristics are deterministic anyway. */
  deterministic?: boolean;
  /**
   * The generator a learned agent draws a sampled (or exploring) action from instead of its own training
   * sampler: the evaluator passes one derived from the evaluation seed, so an evaluation never touches
   * training state and replays exactly from a checkpoint.
   */
  rng?: Rng;
  /**
   * A sampler that draws a categorical action from the policy's (masked) logits instead of the
   * agent's own rule, e.g. TensorFlow's seeded multinomial (core/philox.ts) to replay a TensorFlow policy's
   * sampled actions exactly. Used for sampled actions of scalar Discrete policies.
   */
  sampler?: CategoricalSampler;
  /** The info of the last reset/step: heuristics read the typed state views envs publish there. */
  info?: Info;
}

/** Draws an index from logits (masked entries already pushed far below the others). */
export interface CategoricalSampler {
  sample(logits: ArrayLike<number>): number;
}

export interface LearnOptions {
  totalSteps: number;
  callbacks?: Callback[];
}

/** What a learned agent reports after training. */
export interface LearnResult {
  steps: number;
  episodes: number;
  /** Stopped early by a callback (e.g. reward threshold reached). */
  stoppedEarly: boolean;
}

/** Called during `learn`; returning false from `onStep`/`onRolloutEnd` stops training. */
export interface Callback {
  onTrainingStart?(ctx: CallbackContext): void | Promise<void>;
  onRolloutEnd?(ctx: CallbackContext): boolean | void | Promise<boolean | void>;
  onTrainingEnd?(ctx: CallbackContext): void | Promise<void>;
}

export interface CallbackContext {
  agent: Agent;
  steps: number;
  episodes: number;
  /** The latest logged metrics (CleanRL names: episodic_return, SPS, approx_kl, ...). */
  metrics: Record<string, number>;
}

export interface Agent<Obs = any, Act = any> {
  /** The registered name (`sjf`, `ppo`, ...). */
  readonly name: string;
  /** Picks an action for `observation`. Synchronous so envs and agents can run in tight loops. */
  act(observation: Obs, options?: ActOptions): Act;
  /** Called at the start of every episode (heuristics with per-episode state reset it here). */
  onEpisodeStart?(): void;
  /**
   * Trains on `env`, or on a vector env (`makeVec(id, n, {autoresetMode: 'same-step'})`) for agents with a
   * `numEnvs` option; heuristics return at once.
   */
  learn(env: Env<Obs, Act> | VectorEnv, options: LearnOptions): Promise<LearnResult>;
  /** Persists the agent (config, weights, optimiser and RNG state where it has them) into `dir`. */
  save(dir: string): Promise<void>;
  /** Restores what `save` wrote. */
  load(dir: string): Promise<void>;
  /** The options the agent was built with, after defaults, as recorded with results. */
  readonly options: Record<string, unknown>;
  /** Releases tensors or workers. */
  dispose?(): void;
}
