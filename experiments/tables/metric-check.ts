/**
 * A table metric must name something the runs report. A misspelt metric (`slowdwn`) would otherwise give
 * a table of dashes over "0 runs" and exit status 0. At table time (`checkTableMetrics`), a metric that
 * none of the table's finished runs reports is an error listing the metrics the runs have; at load time
 * `metric-probe.ts` checks the same against the metrics each task's env reports.
 */
import { SchedlabError } from '../../core/errors.js';
import type { RunRecord } from '../records/read.js';
import type { TableSpec } from '../spec/types.js';

/** The evaluator's own per-episode metrics, beside the env's `info.metrics`. */
export const EVALUATOR_METRICS = ['return', 'length'] as const;

/** The closest name by edit distance, if it is close enough to be a likely misspelling. */
export function closestName(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export function unknownMetricText(metric: string, known: string[], where: string): string {
  const guess = closestName(metric, known);
  return `metric '${metric}' is ${where}${guess ? `; did you mean '${guess}'?` : '.'} Metrics reported: ${known.join(', ')}`;
}

/**
 * Table-time check: every metric of `table` is reported by at least one finished run of the table's
 * tasks. Without finished runs there is nothing to check (the caller reports that).
 */
export function checkTableMetrics(table: TableSpec, records: RunRecord[]): void {
  const finished = records.filter((r) => r.evaluation && (!table.tasks || table.tasks.includes(r.run.task)));
  if (finished.length === 0) return;
  const names: string[] = [];
  for (const r of finished) for (const k of Object.keys(r.evaluation!.metrics)) if (!names.includes(k)) names.push(k);
  for (const { metric } of table.metrics) {
    if (!names.includes(metric)) {
      throw new SchedlabError(
        `table '${table.name}': ${unknownMetricText(metric, names, `reported by none of its ${finished.length} finished runs`)}`,
      );
    }
  }
}
