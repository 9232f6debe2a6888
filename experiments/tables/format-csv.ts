/**
 * The machine-readable table (csv-stringify): full-precision statistics per cell and metric. The IQM and
 * its interval are empty where they are not given (n < 4 / n < 10, see stats/summary.ts); with a
 * baseline, the paired difference at episode level (n pairs, mean, se) and at seed level (seeds, their
 * mean, its Student-t interval, the per-seed differences separated by spaces).
 */
import { stringify } from 'csv-stringify/sync';
import type { TableModel } from './aggregate.js';
import { formatSweepValue } from './format-number.js';

export function tableCsv(t: TableModel): string {
  const columns = ['task', 'agent', ...t.sweepKeys, 'failed_runs'];
  const baseline = t.spec.baseline;
  if (baseline !== undefined) columns.push('baseline');
  for (const { metric } of t.spec.metrics) {
    columns.push(...['n', 'mean', 'std', 'iqm', 'ci_low', 'ci_high'].map((s) => `${metric}_${s}`));
    if (baseline !== undefined)
      columns.push(
        ...['n', 'mean', 'se', 'seeds', 'seed_mean', 'seed_ci_low', 'seed_ci_high', 'per_seed'].map((s) => `${metric}_minus_baseline_${s}`),
      );
  }
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  const rows = t.rows.map((r) => {
    const row: string[] = [
      r.task,
      r.agent,
      ...t.sweepKeys.map((k) => (k in r.sweep ? formatSweepValue(r.sweep[k]) : '')),
      String(r.failed),
    ];
    if (baseline !== undefined) row.push(baseline);
    for (const { metric } of t.spec.metrics) {
      const s = r.stats[metric];
      row.push(String(s?.n ?? 0), num(s?.mean), num(s?.std), num(s?.iqm), num(s?.ciLow), num(s?.ciHigh));
      if (baseline !== undefined) {
        const p = r.paired?.[metric];
        row.push(
          String(p?.n ?? 0),
          num(p?.mean),
          num(p?.se),
          String(p?.perSeed.length ?? 0),
          num(p?.seedMean),
          num(p?.seedCiLow),
          num(p?.seedCiHigh),
          p ? p.perSeed.map(String).join(' ') : '',
        );
      }
    }
    return row;
  });
  return stringify(rows, { header: true, columns });
}
