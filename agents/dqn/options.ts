/**
 * DQN's options and their defaults: Stable-Baselines3's DQN (lr 1e-4, buffer 1e6, learning_starts 100,
 * batch 32, train_freq 4, gradient_steps 1, target_update_interval 10000, τ 1, ε 1.0 → 0.05 over the
 * first 10 % of training, max grad norm 10, Huber loss, Adam, MLP 64-64 ReLU with PyTorch's default init), plus a double-DQN switch.
 *
 * rl-baselines3-zoo's tuned CartPole-v1 setting (hyperparams/dqn.yml, 5e4 steps):
 * `{"learningRate": 2.3e-3, "batchSize": 64, "bufferSize": 100000, "learningStarts": 1000,
 *   "targetUpdateInterval": 10, "trainFreq": 256, "gradientSteps": 128, "explorationFraction": 0.16,
 *   "explorationFinalEps": 0.04, "netArch": [256, 256]}`.
 */
import { opt, OptionProblem, type OptionValues } from '../../core/options.js';
import { ACTIVATIONS } from '../core/nn/dense.js';
import { layerSizes } from '../core/nn/options.js';
import { normalizationOptionSchema } from '../core/vec-normalize.js';

export const dqnOptionSchema = {
  learningRate: opt.number(1e-4, { min: 0, minExclusive: true }),
  bufferSize: opt.int(1_000_000, { min: 1 }),
  learningStarts: opt.int(100, { min: 0 }),
  batchSize: opt.int(32, { min: 1 }),
  /** Soft update coefficient of the target network (1 = hard copy). */
  tau: opt.number(1, { min: 0, max: 1, minExclusive: true }),
  gamma: opt.number(0.99, { min: 0, max: 1 }),
  /** Train every `trainFreq` vector-env steps. */
  trainFreq: opt.int(4, { min: 1 }),
  /** Gradient steps per training round; -1 = as many as transitions collected in the round (SB3). */
  gradientSteps: opt.custom<number>(1, 'a positive integer or -1', (v) => {
    if (v === -1 || (Number.isInteger(v) && (v as number) > 0)) return v as number;
    throw new OptionProblem(`is ${JSON.stringify(v)}`);
  }),
  /** Copy the online network into the target every this many environment steps. */
  targetUpdateInterval: opt.int(10_000, { min: 1 }),
  explorationFraction: opt.number(0.1, { min: 0, max: 1 }),
  explorationInitialEps: opt.number(1, { min: 0, max: 1 }),
  explorationFinalEps: opt.number(0.05, { min: 0, max: 1 }),
  maxGradNorm: opt.number(10, { min: 0, minExclusive: true }),
  /** Double DQN (van Hasselt et al., 2016): the online network picks the next action, the target network values it. */
  doubleQ: opt.bool(false),
  numEnvs: opt.int(1, { min: 1 }),
  netArch: layerSizes([64, 64]),
  activation: opt.oneOf('relu', ACTIVATIONS),
  /** Weight init: PyTorch's nn.Linear default (SB3) or orthogonal (CleanRL's layer_init). */
  init: opt.oneOf('torch', ['torch', 'orthogonal'] as const),
  adamEps: opt.number(1e-8, { min: 0, minExclusive: true }),
  /** Save the replay buffer in checkpoints (needed for an exact resume; large for image observations). */
  saveReplayBuffer: opt.bool(true),
  /** Write a progress row every this many environment steps. */
  logInterval: opt.int(1000, { min: 1 }),
  ...normalizationOptionSchema,
};

export type DqnOptions = OptionValues<typeof dqnOptionSchema>;

/** rl-baselines3-zoo's tuned DQN hyperparameters for CartPole-v1 (n_timesteps 5e4). */
export const DQN_ZOO_CARTPOLE: Partial<DqnOptions> = {
  learningRate: 2.3e-3,
  batchSize: 64,
  bufferSize: 100_000,
  learningStarts: 1000,
  targetUpdateInterval: 10,
  trainFreq: 256,
  gradientSteps: 128,
  explorationFraction: 0.16,
  explorationFinalEps: 0.04,
  netArch: [256, 256],
};
