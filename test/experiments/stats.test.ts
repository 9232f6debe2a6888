import { describe, expect, it } from 'vitest';
import { stratifiedBootstrapCI } from '../../experiments/stats/bootstrap.js';
import { studentTCdf, studentTQuantile, tInterval } from '../../experiments/stats/student-t.js';
import { cellStatistics, interquartileMean, sampleMean, sampleStd } from '../../experiments/stats/summary.js';

describe('statistics', () => {
  it('IQM is the 25 % trimmed mean (scipy.stats.trim_mean(x, 0.25))', () => {
    // trim_mean([1..8], 0.25) drops 2 at each end: mean(3, 4, 5, 6) = 4.5
    expect(interquartileMean([8, 1, 7, 2, 6, 3, 5, 4])).toBe(4.5);
    // n = 5: floor(1.25) = 1 dropped at each end; the outlier does not count.
    expect(interquartileMean([1, 2, 3, 4, 1000])).toBe(3);
    // n = 3: nothing trimmed.
    expect(interquartileMean([1, 2, 6])).toBe(3);
  });

  it('std is the sample standard deviation (ddof = 1)', () => {
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd([3])).toBeNaN();
    expect(sampleMean([1, 2, 3, 4])).toBe(2.5);
  });

  it('the bootstrap interval is reproducible from its seed and brackets the statistic', () => {
    const xs = [3, 5, 4, 8, 6, 7, 5, 4, 6, 9];
    const opts = { resamples: 1000, confidence: 0.95, seed: 3 };
    const a = stratifiedBootstrapCI([xs], sampleMean, opts);
    expect(stratifiedBootstrapCI([xs], sampleMean, opts)).toEqual(a);
    expect(stratifiedBootstrapCI([xs], sampleMean, { ...opts, seed: 4 })).not.toEqual(a);
    expect(a[0]).toBeLessThan(sampleMean(xs));
    expect(a[1]).toBeGreaterThan(sampleMean(xs));
    // Percentile interval of the mean of 10 draws: about ±1.96·s/√n wide.
    const half = (a[1] - a[0]) / 2;
    expect(half).toBeGreaterThan(0.6 * 1.96 * (sampleStd(xs) / Math.sqrt(10)));
    expect(half).toBeLessThan(1.4 * 1.96 * (sampleStd(xs) / Math.sqrt(10)));
  });

  it('stratified resampling keeps each stratum apart', () => {
    // Two tasks with constant scores: any stratified resample has 2 zeros and 2 hundreds, so its mean is always 50;
    // pooled resampling would spread the interval.
    const [low, high] = stratifiedBootstrapCI(
      [
        [0, 0],
        [100, 100],
      ],
      sampleMean,
      { resamples: 500, confidence: 0.95, seed: 0 },
    );
    expect([low, high]).toEqual([50, 50]);
  });

  it('summarises a cell; the IQM only from 4 scores, the bootstrap interval only from 10', () => {
    const s = cellStatistics([[1, 2, 3, 4]], { resamples: 200, confidence: 0.9, seed: 0 });
    expect(s).toMatchObject({ n: 4, mean: 2.5, iqm: 2.5, values: [1, 2, 3, 4] });
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    // 4 scores: a percentile bootstrap would only span them.
    expect(s.ciLow).toBeNaN();
    // 3 scores: the 25 % trim drops nothing, so there is no IQM apart from the mean.
    const three = cellStatistics([[1, 2, 6]], { resamples: 200, confidence: 0.95, seed: 0 });
    expect(three).toMatchObject({ n: 3, mean: 3 });
    expect(three.iqm).toBeNaN();
    expect(three.ciLow).toBeNaN();
    const ten = cellStatistics([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], { resamples: 500, confidence: 0.9, seed: 0 });
    expect(ten.iqm).toBe(5.5);
    expect(ten.ciLow).toBeLessThan(ten.iqm);
    expect(ten.ciHigh).toBeGreaterThan(ten.iqm);
    // Pooled strata need 3 scores each as well.
    expect(
      cellStatistics(
        [
          [1, 2, 3, 4, 5, 6, 7, 8, 9],
          [10, 11],
        ],
        { resamples: 50, confidence: 0.9, seed: 0 },
      ).ciLow,
    ).toBeNaN();
  });

  it("Student's t quantiles and intervals (scipy.stats.t)", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 8);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729911275, 8);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621571627409915, 8);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977987, 8);
    expect(studentTCdf(-1, 5)).toBeCloseTo(0.18160873382456127, 12);
    const [lo, hi] = tInterval([1, 2, 6], 0.95);
    expect(lo).toBeCloseTo(3 - 4.302652729911275 * (Math.sqrt(7) / Math.sqrt(3)), 8);
    expect(hi).toBeCloseTo(3 + 4.302652729911275 * (Math.sqrt(7) / Math.sqrt(3)), 8);
    expect(tInterval([1], 0.95).every(Number.isNaN)).toBe(true);
  });
});
