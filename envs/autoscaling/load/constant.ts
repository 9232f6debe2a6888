/** `{"type": "constant", "rate"}`: the same arrival rate all the time, the case M/M/c describes exactly. */
import { opt, parseOptions } from '../../../core/options.js';
import type { EpisodeLoad, LoadSource } from './load-source.js';

export const constantLoadOptions = { type: opt.oneOf('constant', ['constant'] as const), rate: opt.number(8, { min: 0 }) };

export class ConstantLoad implements LoadSource {
  readonly options: { type: 'constant'; rate: number };

  /** `owner` names the env in error messages. */
  constructor(raw: Record<string, unknown>, owner = 'Autoscaling-v0') {
    this.options = parseOptions(`${owner} load`, raw, constantLoadOptions);
  }

  episode(_rng: unknown, count: number): EpisodeLoad {
    return { rates: new Float64Array(count).fill(this.options.rate), startTimeOfDay: 0, dayLength: 86400 };
  }
}
