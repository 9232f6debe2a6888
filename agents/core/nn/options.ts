/** Option schemas shared by the agents that build networks, so every algorithm names and checks them alike. */
import { opt, OptionProblem } from '../../../core/options.js';
import { ACTIVATIONS } from './dense.js';

/** Hidden layer sizes, e.g. [64, 64]. */
export const layerSizes = (def: number[]) =>
  opt.custom<number[]>(def, 'an array of positive integers (layer sizes), e.g. [64, 64]', (v) => {
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x > 0)) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v as number[];
  });

/** The actor-critic network of PPO and A2C (see ActorCritic). */
export const actorCriticNetworkOptions = {
  /** 'separate' actor and critic MLPs (CleanRL), one 'shared' body, or the per-item scoring actor ('items'). */
  body: opt.oneOf('separate', ['separate', 'shared', 'items'] as const),
  piLayers: layerSizes([64, 64]),
  vfLayers: layerSizes([64, 64]),
  activation: opt.oneOf('tanh', ACTIVATIONS),
  /** For body 'items': features per queue item (default: observation size / number of actions). */
  itemSize: opt.custom<number | null>(null, 'null or a positive integer', (v) => {
    if (v === null) return null;
    if (!Number.isInteger(v) || (v as number) <= 0) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v as number;
  }),
  /** Initial log-std of the Gaussian policy (Box actions). */
  initLogStd: opt.number(0),
};
