/** The machine-readable table (csv-stringify): full-precision statistics per cell and metric. */
import { stringify } from 'csv-stringify/sync';
import type { TableModel } from './aggregate.js';
import { formatSweepValue } from './format-number.js';

export function tableCsv(t: TableModel): string {
  const columns = ['task', 'agent', ...t.sweepKeys, 'failed_runs'];
  for (const { metric } of t.spec.metrics) columns.push(...['n', 'mean', 'std', 'iqm', 'ci_low', 'ci_high'].map((s) => `${metric}_${s}`));
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  const rows = t.rows.map((r) => {
    const row: string[] = [r.task, r.agent, ...t.sweepKeys.map((k) => (k in r.sweep ? formatSweepValue(r.sweep[k]) : '')), String(r.failed)];
    for (const { metric } of t.spec.metrics) {
      const s = r.stats[metric];
      row.push(String(s?.n ?? 0), num(s?.mean), num(s?.std), num(s?.iqm), num(s?.ciLow), num(s?.ciHigh));
    }
    return row;
  });
  return stringify(rows, { header: true, columns });
}
