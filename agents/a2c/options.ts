/**
 * A2C's options and their defaults: Stable-Baselines3's A2C (lr 7e-4 constant, n_steps 5, RMSprop
 * α 0.99 ε 1e-5, γ 0.99, GAE λ 1 (plain n-step returns), entropy 0, value 0.5, max grad norm 0.5, no
 * advantage normalisation, separate 64-64 tanh actor and critic, orthogonal init).
 *
 * rl-baselines3-zoo's CartPole-v1 setting (hyperparams/a2c.yml): `{"numEnvs": 8}` for 5e5 steps
 * (ent_coef 0.0, the rest default).
 */
import { opt, type OptionValues } from '../../core/options.js';
import { actorCriticNetworkOptions } from '../core/nn/options.js';
import { normalizationOptionSchema } from '../core/vec-normalize.js';

export const a2cOptionSchema = {
  learningRate: opt.number(7e-4, { min: 0, minExclusive: true }),
  /** Anneal the learning rate linearly to 0 over each learn() call (rl-zoo's `lin_` schedules). */
  annealLr: opt.bool(false),
  numEnvs: opt.int(1, { min: 1 }),
  numSteps: opt.int(5, { min: 1 }),
  gamma: opt.number(0.99, { min: 0, max: 1 }),
  gaeLambda: opt.number(1, { min: 0, max: 1 }),
  entCoef: opt.number(0, { min: 0 }),
  vfCoef: opt.number(0.5, { min: 0 }),
  maxGradNorm: opt.number(0.5, { min: 0, minExclusive: true }),
  normAdv: opt.bool(false),
  /** RMSprop (SB3's default) or Adam. */
  optimizer: opt.oneOf('rmsprop', ['rmsprop', 'adam'] as const),
  rmsAlpha: opt.number(0.99, { min: 0, max: 1 }),
  /** ε of RMSprop (SB3's rms_prop_eps) or Adam. */
  optimizerEps: opt.number(1e-5, { min: 0, minExclusive: true }),
  ...actorCriticNetworkOptions,
  /** Write a progress row every this many updates (SB3 logs every 100). */
  logInterval: opt.int(100, { min: 1 }),
  ...normalizationOptionSchema,
};

export type A2cOptions = OptionValues<typeof a2cOptionSchema>;
