/**
 * `{"type": "trace", "path", "timeScale", "rateScale"}`: the arrival rate of a recorded trace, binned per
 * control interval, over a seeded random window of the trace. `timeScale` stretches trace time (2 plays
 * the trace at half speed, over twice the time), `rateScale` multiplies the rate.
 */
import { OptionError } from '../../../core/errors.js';
import { opt, parseOptions, type OptionValues } from '../../../core/options.js';
import type { Rng } from '../../../core/rng.js';
import type { EpisodeLoad, LoadSource } from './load-source.js';
import { readTrace, type TraceSeries } from './trace-file.js';

export const traceLoadOptions = {
  type: opt.oneOf('trace', ['trace'] as const),
  /** `azure-llm-conv` (bundled) or a CSV file path. */
  path: opt.string('azure-llm-conv'),
  timeScale: opt.number(1, { min: 0, minExclusive: true }),
  rateScale: opt.number(1, { min: 0, minExclusive: true }),
};

export class TraceLoad implements LoadSource {
  readonly options: OptionValues<typeof traceLoadOptions>;
  readonly trace: TraceSeries;

  /** `owner` names the env in error messages. */
  constructor(
    raw: Record<string, unknown>,
    private readonly owner = 'Autoscaling-v0',
  ) {
    this.options = parseOptions(`${this.owner} load`, raw, traceLoadOptions);
    this.trace = readTrace(this.options.path);
  }

  /** Length of the trace once stretched by timeScale (s). */
  get duration(): number {
    return this.trace.duration * this.options.timeScale;
  }

  /** Throws, naming the options, when an episode of `seconds` does not fit in the trace. */
  checkFits(seconds: number): void {
    if (seconds > this.duration) {
      throw new OptionError(
        'episodeLength',
        `needs ${seconds} s of load (episode plus load history), but trace '${this.options.path}' lasts ${this.duration.toFixed(1)} s at load.timeScale ${this.options.timeScale}`,
        `an episodeLength (plus history) of at most the trace's length, or a larger load.timeScale`,
        this.owner,
      );
    }
  }

  episode(rng: Rng, count: number, dt: number): EpisodeLoad {
    const { timeScale, rateScale } = this.options;
    const span = count * dt;
    this.checkFits(span);
    const offset = rng.uniform(0, this.duration - span);
    const rates = new Float64Array(count);
    let previous = this.trace.cumulative(offset / timeScale);
    for (let k = 0; k < count; k++) {
      const next = this.trace.cumulative((offset + (k + 1) * dt) / timeScale);
      rates[k] = (rateScale * (next - previous)) / dt;
      previous = next;
    }
    return { rates, startTimeOfDay: (this.trace.startTimeOfDay + offset) % 86400, dayLength: 86400 };
  }
}
