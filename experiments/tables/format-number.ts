/**
 * Number formatting for human-facing tables (CSV keeps full precision), and the columns every
 * human-facing format (Markdown, LaTeX, report.html) shares: which statistics are shown, their headers
 * and cells as plain text, and the note that says what they are and what n is.
 */
import type { PairedDifference } from '../stats/paired.js';
import { CI_MIN_N, CI_MIN_PER_STRATUM, IQM_MIN_N } from '../stats/summary.js';
import type { TableModel } from './aggregate.js';

export function formatNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function formatSweepValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A paired difference at episode level: `mean ± standard error (n pairs)`; '–' when there is none (the baseline's own row). */
export function formatPaired(p: PairedDifference | null | undefined): string {
  return p ? `${formatNumber(p.mean)} ± ${formatNumber(p.se)} (n ${p.n})` : '–';
}

/** A paired difference at seed level: `mean [t-interval] (seeds: d1, d2, ...)`; one seed gives no interval. */
export function formatPairedSeeds(p: PairedDifference | null | undefined): string {
  if (!p) return '–';
  const ci = Number.isFinite(p.seedCiLow) ? ` [${formatNumber(p.seedCiLow)}, ${formatNumber(p.seedCiHigh)}]` : '';
  const n = p.perSeed.length;
  return `${formatNumber(p.seedMean)}${ci} (${n} seed${n === 1 ? '' : 's'}: ${p.perSeed.map(formatNumber).join(', ')})`;
}

/** Which optional statistics a table shows: only those some row has (an IQM needs n ≥ 4, an interval n ≥ 10). */
export function shownStatistics(t: TableModel): { iqm: boolean; ci: boolean } {
  const stats = t.rows.flatMap((r) => Object.values(r.stats));
  return { iqm: stats.some((s) => s !== null && Number.isFinite(s.iqm)), ci: stats.some((s) => s !== null && Number.isFinite(s.ciLow)) };
}

/** Headers and cells as plain text (Markdown, LaTeX and HTML escape and decorate them); `best[i][j]`: bold cell. */
export interface TableText {
  header: string[];
  /** How many leading columns are labels (left-aligned); the rest are numbers. */
  labelColumns: number;
  rows: { task: string; cells: string[]; bold: boolean[] }[];
  note: string;
}

export function tableText(t: TableModel): TableText {
  const pct = Math.round(t.statistics.confidence * 100);
  const shown = shownStatistics(t);
  const baseline = t.spec.baseline;
  const arrow = (b: 'higher' | 'lower') => (b === 'higher' ? '↑' : '↓');
  const header = ['Task', 'Agent', ...t.sweepKeys];
  for (const m of t.spec.metrics) {
    header.push(`${m.label} ${arrow(m.better)}`);
    if (shown.iqm) header.push(`${m.label} IQM${shown.ci ? ` [${pct} % CI]` : ''}`);
    if (baseline !== undefined)
      header.push(`${m.label} − ${baseline} (paired, per seed [${pct} % t-CI])`, `${m.label} − ${baseline} (paired, per episode)`);
  }
  const rows = t.rows.map((r, i) => {
    const cells = [
      r.task,
      r.agent + (r.failed ? ` (${r.failed} failed)` : ''),
      ...t.sweepKeys.map((k) => (k in r.sweep ? formatSweepValue(r.sweep[k]) : '')),
    ];
    const bold = cells.map(() => false);
    for (const { metric } of t.spec.metrics) {
      const s = r.stats[metric];
      cells.push(s ? `${formatNumber(s.mean)} ± ${formatNumber(s.std)}` : '–');
      bold.push(t.best[metric].has(i));
      if (shown.iqm) {
        cells.push(
          !s || !Number.isFinite(s.iqm)
            ? '–'
            : Number.isFinite(s.ciLow)
              ? `${formatNumber(s.iqm)} [${formatNumber(s.ciLow)}, ${formatNumber(s.ciHigh)}]`
              : formatNumber(s.iqm),
        );
        bold.push(false);
      }
      if (baseline !== undefined) {
        cells.push(formatPairedSeeds(r.paired?.[metric]), formatPaired(r.paired?.[metric]));
        bold.push(false, false);
      }
    }
    return { task: r.task, cells, bold };
  });
  return { header, labelColumns: 2 + t.sweepKeys.length, rows, note: tableNote(t) };
}

/** The note under every table: what the numbers are, what n is, and why a statistic is or is not shown. */
export function tableNote(t: TableModel): string {
  const { statistics } = t;
  const baseline = t.spec.baseline;
  const pct = Math.round(statistics.confidence * 100);
  const shown = shownStatistics(t);
  const n = nLabel(t.rows);
  const parts = [
    `mean ± std over the runs of each cell, one run per training seed (n = ${n}${n.includes('–') ? ' runs, by cell' : n === '1' ? ' run' : ' runs'}${t.rows.some((r) => r.failed) ? '; failed runs are not counted' : ''}); std is the sample standard deviation (ddof = 1).`,
    shown.iqm
      ? `IQM: interquartile (25 % trimmed) mean, given where a cell has n ≥ ${IQM_MIN_N} (with fewer it trims nothing and equals the mean).`
      : `No IQM: with n < ${IQM_MIN_N} runs per cell the 25 % trimmed mean trims nothing and equals the mean.`,
    shown.ci
      ? `[${pct} % CI]: stratified bootstrap percentile interval of the IQM (${statistics.resamples} resamples, seed ${statistics.seed}), given where a cell has n ≥ ${CI_MIN_N} (and ≥ ${CI_MIN_PER_STRATUM} per task when pooled).`
      : `No bootstrap interval: over fewer than ${CI_MIN_N} runs per cell a percentile bootstrap only spans the runs' range.`,
    `↑ higher is better, ↓ lower is better; the best mean per task (and per point of swept env or evaluation keys) is in bold.`,
  ];
  if (baseline !== undefined) {
    parts.push(
      `− ${baseline} (paired, per seed): for each training seed, the mean difference from ${baseline} over the same evaluation episodes (same task, swept env point and seed); the cell gives the mean of the per-seed differences, its ${pct} % Student-t interval over the seeds (the training seed is the unit of replication; none for a single seed) and the per-seed differences.`,
      `− ${baseline} (paired, per episode): the mean difference over all episode pairs ± its standard error over the n pairs; it leaves out the spread between training seeds.`,
    );
  }
  return parts.join(' ');
}

export function nLabel(rows: { stats: Record<string, { n: number } | null> }[]): string {
  const ns = [...new Set(rows.flatMap((r) => Object.values(r.stats).map((s) => s?.n ?? 0)))].filter((n) => n > 0).sort((a, b) => a - b);
  return ns.length === 1 ? String(ns[0]) : ns.length ? `${ns[0]}–${ns[ns.length - 1]}` : '0';
}
