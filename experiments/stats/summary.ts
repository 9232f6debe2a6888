/**
 * Statistics over the per-seed scores of a table cell (through mathjs): mean, sample standard deviation
 * (ddof = 1), the interquartile mean (rliable's IQM: the 25 % trimmed mean, as scipy's trim_mean) and a
 * stratified bootstrap confidence interval of the IQM.
 *
 * Only where they mean something: below IQM_MIN_N scores the 25 % trim drops nothing, so the IQM is the
 * mean and is not given (NaN); below CI_MIN_N scores (or CI_MIN_PER_STRATUM in a stratum) a percentile
 * bootstrap over so few scores only spans their range, so no interval is given (NaN). Tables and figures
 * say so.
 */
import { mean, std } from 'mathjs';
import type { StatisticsSpec } from '../spec/types.js';
import { stratifiedBootstrapCI } from './bootstrap.js';

/** The fewest scores whose 25 % trimmed mean drops any (floor(n/4) ≥ 1). */
export const IQM_MIN_N = 4;
/** The fewest scores (in all, and per stratum) for which a bootstrap interval is given. */
export const CI_MIN_N = 10;
export const CI_MIN_PER_STRATUM = 3;

export interface CellStatistics {
  n: number;
  mean: number;
  /** Sample standard deviation, ddof = 1 (NaN for a single run). */
  std: number;
  /** The IQM; NaN below IQM_MIN_N scores (it would equal the mean). */
  iqm: number;
  /** Percentile bootstrap interval of the IQM; NaN below CI_MIN_N scores or CI_MIN_PER_STRATUM in a stratum. */
  ciLow: number;
  ciHigh: number;
  /** The scores themselves, in run order (per-seed values for a single cell). */
  values: number[];
}

/** Whether a bootstrap interval is given for these strata. */
export function intervalMeaningful(strata: number[][]): boolean {
  return strata.flat().length >= CI_MIN_N && strata.every((s) => s.length >= CI_MIN_PER_STRATUM);
}

export function sampleMean(xs: number[]): number {
  return xs.length ? mean<number>(xs) : NaN;
}

export function sampleStd(xs: number[]): number {
  return xs.length > 1 ? (std(xs, 'unbiased') as unknown as number) : NaN;
}

/** 25 % trimmed mean: drop floor(n/4) scores at each end, average the rest. */
export function interquartileMean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.25);
  return sampleMean(sorted.slice(cut, sorted.length - cut));
}

/** Summary of one cell; `strata` groups the scores (one stratum per task; a single cell has one). */
export function cellStatistics(strata: number[][], options: StatisticsSpec): CellStatistics {
  const all = strata.flat();
  const [ciLow, ciHigh] = intervalMeaningful(strata) ? stratifiedBootstrapCI(strata, interquartileMean, options) : [NaN, NaN];
  return {
    n: all.length,
    mean: sampleMean(all),
    std: sampleStd(all),
    iqm: all.length >= IQM_MIN_N ? interquartileMean(all) : NaN,
    ciLow,
    ciHigh,
    values: all,
  };
}
