import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { DiurnalLoad } from '../../../envs/autoscaling/load/diurnal.js';
import { AUTOSCALING_LIMITS } from '../../../envs/autoscaling/load/limits.js';
import { make, OptionError } from '../../../envs/index.js';

/** Counts its draws, so that "refused at once" is measured in work done, not in seconds. */
class CountingRng extends Rng {
  draws = 0;
  override uniform(low?: number, high?: number): number {
    this.draws++;
    return super.uniform(low, high);
  }
  override exponential(rate: number): number {
    this.draws++;
    return super.exponential(rate);
  }
  override normal(mean?: number, std?: number): number {
    this.draws++;
    return super.normal(mean, std);
  }
}

describe('Autoscaling-v0 and MicroserviceAutoscaling-v0: options far outside sane ranges are refused, naming the limit', () => {
  it.each([
    ['Autoscaling-v0', { maxReplicas: 1e9 }, /option 'maxReplicas' is 1000000000, out of range; accepted: an integer >= 1 and <= 100000/],
    [
      'Autoscaling-v0',
      { historyWindow: 1e8 },
      /option 'historyWindow' is 100000000, out of range; accepted: an integer >= 1 and <= 100000/,
    ],
    ['Autoscaling-v0', { maxStep: 1e9 }, /option 'maxStep' is 1000000000, out of range/],
    ['Autoscaling-v0', { queueCapacity: 1e12 }, /option 'queueCapacity' is 1000000000000, out of range/],
    [
      'Autoscaling-v0',
      { episodeLength: 1e12 },
      /option 'episodeLength' \/ controlInterval = 66666666667 intervals \(plus historyWindow 8\), above the limit of 10000000 intervals per episode/,
    ],
    [
      'Autoscaling-v0',
      { controlInterval: 1e-6 },
      /above the limit of 10000000 intervals per episode; accepted: a shorter episodeLength or a longer controlInterval/,
    ],
    [
      'MicroserviceAutoscaling-v0',
      { episodeLength: 1e12 },
      /MicroserviceAutoscaling-v0: option 'episodeLength' .* above the limit of 10000000 intervals/,
    ],
    [
      'Autoscaling-v0',
      { load: { type: 'diurnal', burstsPerHour: 1e9 } },
      /option 'burstsPerHour' is 1000000000, out of range; accepted: a number >= 0 and <= 3600/,
    ],
    [
      'Autoscaling-v0',
      { load: { type: 'diurnal', burstDuration: 1e12 } },
      /option 'burstDuration' is 1000000000000, out of range; accepted: a number > 0 and <= 86400/,
    ],
    [
      'MicroserviceAutoscaling-v0',
      { services: [{ maxReplicas: 1e9 }] },
      /maxReplicas' is 1000000000, out of range; accepted: an integer >= 1 and <= 100000/,
    ],
  ])('%s %j', (id, options, message) => {
    // Refused by the constructor, which reads the options and allocates nothing per interval: no reset, no load drawn.
    expect(() => make(id, options)).toThrow(OptionError);
    expect(() => make(id, options)).toThrow(message);
  });

  it('the DES model refuses an episode whose load it would simulate request by request for hours', () => {
    for (const id of ['Autoscaling-v0', 'MicroserviceAutoscaling-v0']) {
      const env = make(id, { latencyModel: 'des', load: { type: 'constant', rate: 1e6 }, episodeLength: 3600 });
      expect(() => env.reset({ seed: 0 })).toThrow(
        /option 'latencyModel' is 'des', which simulates every request, but this episode's load brings 3\.\d\de\+9 requests, above the limit of 1e\+8; accepted: latencyModel 'mmc'/,
      );
      expect(() =>
        make(id, { latencyModel: 'mmc', load: { type: 'constant', rate: 1e6 }, episodeLength: 3600 }).reset({ seed: 0 }),
      ).not.toThrow();
    }
    expect(AUTOSCALING_LIMITS.desRequests).toBe(1e8);
  });

  it('diurnal load: flash crowds by the million are refused at reset, naming the options', () => {
    const env = make('Autoscaling-v0', { load: { type: 'diurnal', burstsPerHour: 3600, burstDuration: 86400 }, episodeLength: 1e6 });
    expect(() => env.reset({ seed: 0 })).toThrow(
      /option 'load\.burstsPerHour' \(3600\) with load\.burstDuration 86400 s brings about \d+ flash crowds into an episode of \d+ intervals, above the limit of 100000000 crowd-intervals/,
    );
    // At once, counted in draws rather than seconds: the refusal comes before a single flash crowd is drawn.
    const rng = new CountingRng(0);
    const load = new DiurnalLoad({ type: 'diurnal', burstsPerHour: 3600, burstDuration: 86400 });
    expect(() => load.episode(rng, 16_667, 60)).toThrow(/above the limit of 100000000 crowd-intervals/);
    expect(rng.draws).toBe(1); // the episode's start time of day, nothing more
    expect(() =>
      make('Autoscaling-v0', { load: { type: 'diurnal', burstsPerHour: 60, burstDuration: 600 } }).reset({ seed: 0 }),
    ).not.toThrow();
  });
});
