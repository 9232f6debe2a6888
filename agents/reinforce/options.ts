/**
 * REINFORCE's options and their defaults: DeepRM's training (pg_re.py with parameters.py and the
 * training main): rolloutsPerSequence 20 rollouts of each job sequence (num_seq_per_batch), batches of
 * sequencesPerBatch 10 sequences (batch_size), a fixed training set of numSequences 50 sequences
 * (num_ex), discount 1, RMSprop lr 1e-3 ρ 0.9 ε 1e-9 (inside the square root), a 20-unit ReLU hidden
 * layer and a softmax over the actions.
 */
import { opt, OptionProblem, type OptionValues } from '../../core/options.js';
import { ACTIVATIONS } from '../core/nn/dense.js';
import { normalizationOptionSchema } from '../core/vec-normalize.js';

export const reinforceOptionSchema = {
  learningRate: opt.number(1e-3, { min: 0, minExclusive: true }),
  gamma: opt.number(1, { min: 0, max: 1 }),
  /** Rollouts of one job sequence (the env reset with one seed) whose mean return per step is the baseline. */
  rolloutsPerSequence: opt.int(20, { min: 1 }),
  /** Sequences whose rollouts form one gradient step. */
  sequencesPerBatch: opt.int(10, { min: 1 }),
  /** Size of the fixed training set of sequences (env seeds), cycled in a shuffled order; null = a new seed for every sequence. */
  numSequences: opt.custom<number | null>(50, 'null or a positive integer', (v) => {
    if (v === null) return null;
    if (!Number.isInteger(v) || (v as number) <= 0) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v as number;
  }),
  /** 'rmsprop' (DeepRM) or 'adam'. */
  optimizer: opt.oneOf('rmsprop', ['rmsprop', 'adam'] as const),
  rmsAlpha: opt.number(0.9, { min: 0, max: 1 }),
  optimizerEps: opt.number(1e-9, { min: 0, minExclusive: true }),
  hiddenLayers: opt.custom<number[]>([20], 'an array of positive integers (layer sizes), e.g. [20]', (v) => {
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x > 0)) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v as number[];
  }),
  activation: opt.oneOf('relu', ACTIVATIONS),
  /** Entropy bonus (DeepRM: none). */
  entCoef: opt.number(0, { min: 0 }),
  ...normalizationOptionSchema,
};

export type ReinforceOptions = OptionValues<typeof reinforceOptionSchema>;
