/**
 * `{"type": "diurnal", ...}`: seeded synthetic load, the shape of web traffic (a daily sinusoid between a
 * trough and a peak), multiplicative Gaussian noise per interval, and flash crowds: bursts arriving as a
 * Poisson process that multiply the load by `burstMagnitude` at once and decay exponentially with time
 * constant `burstDuration`. Episodes start at a random time of day unless `randomStart` is false.
 */
import { OptionError } from '../../../core/errors.js';
import { opt, parseOptions, type OptionValues } from '../../../core/options.js';
import type { Rng } from '../../../core/rng.js';
import type { EpisodeLoad, LoadSource } from './load-source.js';

export const diurnalLoadOptions = {
  type: opt.oneOf('diurnal', ['diurnal'] as const),
  /** Rate at the daily peak (requests/s), bursts and noise aside. */
  peakRate: opt.number(8, { min: 0, minExclusive: true }),
  /** Peak rate over trough rate. */
  peakToTrough: opt.number(4, { min: 1 }),
  /** Length of the day (s); shorter compresses the cycle into fewer steps. */
  period: opt.number(86400, { min: 0, minExclusive: true }),
  /** Relative standard deviation of the per-interval noise. */
  noise: opt.number(0.1, { min: 0 }),
  /** Mean number of flash crowds per hour (at most 3600: one a second). */
  burstsPerHour: opt.number(0.5, { min: 0, max: 3600 }),
  /** Load multiplier at a flash crowd's start. */
  burstMagnitude: opt.number(3, { min: 1 }),
  /** Decay time constant of a flash crowd (s; at most a day, 86400). */
  burstDuration: opt.number(120, { min: 0, minExclusive: true, max: 86400 }),
  randomStart: opt.bool(true),
};

/** Flash crowds × intervals an episode may sum over (each interval adds up every crowd begun before it). */
const MAX_BURST_WORK = 1e8;

export class DiurnalLoad implements LoadSource {
  readonly options: OptionValues<typeof diurnalLoadOptions>;

  /** `owner` names the env in error messages. */
  constructor(
    raw: Record<string, unknown>,
    private readonly owner = 'Autoscaling-v0',
  ) {
    this.options = parseOptions(`${owner} load`, raw, diurnalLoadOptions);
  }

  /** The noiseless daily curve at time of day t: trough at midnight, peak at mid-day. */
  private curve(t: number): number {
    const { peakRate, peakToTrough, period } = this.options;
    const trough = peakRate / peakToTrough;
    return trough + ((peakRate - trough) * (1 - Math.cos((2 * Math.PI * t) / period))) / 2;
  }

  episode(rng: Rng, count: number, dt: number): EpisodeLoad {
    const o = this.options;
    const start = o.randomStart ? rng.uniform(0, o.period) : 0;
    const span = count * dt;
    // Bursts that began up to five decay constants before the window still matter.
    const lead = 5 * o.burstDuration;
    const bursts: number[] = [];
    if (o.burstsPerHour > 0) {
      const rate = o.burstsPerHour / 3600;
      const expected = rate * (lead + span);
      if (expected * count > MAX_BURST_WORK) {
        throw new OptionError(
          'load.burstsPerHour',
          `(${o.burstsPerHour}) with load.burstDuration ${o.burstDuration} s brings about ${Math.round(expected)} flash crowds into an episode of ${count} intervals, above the limit of ${MAX_BURST_WORK} crowd-intervals`,
          'fewer bursts per hour, a shorter burstDuration or a shorter episode',
          this.owner,
        );
      }
      for (let t = -lead + rng.exponential(rate); t < span; t += rng.exponential(rate)) bursts.push(t);
    }
    const rates = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const mid = (k + 0.5) * dt;
      let burst = 1;
      for (const b of bursts) if (b <= mid) burst += (o.burstMagnitude - 1) * Math.exp(-(mid - b) / o.burstDuration);
      const noise = Math.max(0, 1 + o.noise * rng.normal());
      rates[k] = this.curve(start + mid) * burst * noise;
    }
    return { rates, startTimeOfDay: start % o.period, dayLength: o.period };
  }
}
