/**
 * PPO's options and their defaults: CleanRL ppo.py's (4 envs × 128 steps, 4 minibatches, 4 epochs,
 * lr 2.5e-4 annealed, clip 0.2, clipped value loss, entropy 0.01, value 0.5, grad norm 0.5, Adam eps
 * 1e-5, separate 64-64 tanh actor and critic).
 */
import { opt, OptionProblem, type OptionValues } from '../../core/options.js';
import { actorCriticNetworkOptions } from '../core/nn/options.js';
import { normalizationOptionSchema } from '../core/vec-normalize.js';

export const ppoOptionSchema = {
  learningRate: opt.number(2.5e-4, { min: 0, minExclusive: true }),
  numEnvs: opt.int(4, { min: 1 }),
  numSteps: opt.int(128, { min: 1 }),
  annealLr: opt.bool(true),
  gamma: opt.number(0.99, { min: 0, max: 1 }),
  gaeLambda: opt.number(0.95, { min: 0, max: 1 }),
  numMinibatches: opt.int(4, { min: 1 }),
  updateEpochs: opt.int(4, { min: 1 }),
  normAdv: opt.bool(true),
  clipCoef: opt.number(0.2, { min: 0, minExclusive: true }),
  clipVloss: opt.bool(true),
  entCoef: opt.number(0.01, { min: 0 }),
  vfCoef: opt.number(0.5, { min: 0 }),
  maxGradNorm: opt.number(0.5, { min: 0, minExclusive: true }),
  targetKl: opt.custom<number | null>(null, 'null or a number > 0', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !(v > 0)) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
  adamEps: opt.number(1e-5, { min: 0, minExclusive: true }),
  /** How ∇θ of the loss is computed: closed-form output gradients backpropagated through the network ('analytic', fast) or tfjs autodiff of the loss ('autodiff'); the same gradient. */
  gradient: opt.oneOf('analytic', ['analytic', 'autodiff'] as const),
  /**
   * Body 'items' only: rollouts run the network in tfjs over all envs at once with fused float32 layers,
   * and so does the update's forward, instead of the float64 CPU loops and tfjs's unfused gradient-mode
   * layers. Several times faster action selection; the same policy and loss, but values differ in the
   * last bits, so a run is not bit-identical to one without it (off by default).
   */
  fusedForward: opt.bool(false),
  ...actorCriticNetworkOptions,
  ...normalizationOptionSchema,
};

export type PpoOptions = OptionValues<typeof ppoOptionSchema>;
