/**
 * Statistics over the per-seed scores of a table cell (through mathjs): mean, sample standard deviation
 * (ddof = 1), the interquartile mean (rliable's IQM: the 25 % trimmed mean, as scipy's trim_mean) and a
 * stratified bootstrap confidence interval.
 */
import { mean, std } from 'mathjs';
import type { StatisticsSpec } from '../spec/types.js';
import { stratifiedBootstrapCI } from './bootstrap.js';

export interface CellStatistics {
  n: number;
  mean: number;
  /** Sample standard deviation, ddof = 1 (NaN for a single run). */
  std: number;
  iqm: number;
  /** Percentile bootstrap interval of the IQM. */
  ciLow: number;
  ciHigh: number;
}

export function sampleMean(xs: number[]): number {
  return xs.length ? (mean(xs) as number) : NaN;
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
  const [ciLow, ciHigh] = all.length ? stratifiedBootstrapCI(strata, interquartileMean, options) : [NaN, NaN];
  return { n: all.length, mean: sampleMean(all), std: sampleStd(all), iqm: interquartileMean(all), ciLow, ciHigh };
}
