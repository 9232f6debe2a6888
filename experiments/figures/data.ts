/**
 * The data behind the figures, computed from run records only: learning curves aggregated over seeds
 * (mean and bootstrap interval of the mean at each logged step) and per-cell IQMs with their intervals.
 */
import type { RunRecord } from '../records/read.js';
import type { ExperimentSpec } from '../spec/types.js';
import { stratifiedBootstrapCI } from '../stats/bootstrap.js';
import { cellStatistics, sampleMean } from '../stats/summary.js';
import { groupCells, runScore } from '../tables/aggregate.js';
import { formatSweepValue } from '../tables/format-number.js';

export interface CurvePoint {
  task: string;
  agent: string;
  steps: number;
  mean: number;
  low: number;
  high: number;
  n: number;
}

export interface CellPoint {
  task: string;
  agent: string;
  /** Agent label with the sweep values, e.g. `ppo (lr=0.001)`. */
  cell: string;
  sweep: Record<string, unknown>;
  metrics: Record<string, { iqm: number; low: number; high: number; n: number }>;
}

export function cellLabel(agent: string, sweep: Record<string, unknown>, skip: string[] = []): string {
  const parts = Object.entries(sweep).filter(([k]) => !skip.includes(k)).map(([k, v]) => `${k.split('.').pop()}=${formatSweepValue(v)}`);
  return parts.length ? `${agent} (${parts.join(', ')})` : agent;
}

/** Mean learning curve per cell; at each step only the runs that logged that step count. */
export function curvePoints(spec: ExperimentSpec, records: RunRecord[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  const stats = { ...spec.statistics, resamples: Math.min(spec.statistics.resamples, 500) };
  for (const cell of groupCells(records)) {
    const bySteps = new Map<number, number[]>();
    for (const r of cell.records) {
      if (!r.evaluation) continue;
      for (const row of r.curve) {
        const v = row[spec.curveMetric];
        if (v === undefined || !Number.isFinite(v)) continue;
        (bySteps.get(row.steps) ?? bySteps.set(row.steps, []).get(row.steps)!).push(v);
      }
    }
    for (const [steps, values] of [...bySteps.entries()].sort((a, b) => a[0] - b[0])) {
      const [low, high] = stratifiedBootstrapCI([values], sampleMean, stats);
      points.push({ task: cell.task, agent: cellLabel(cell.agent, cell.sweep), steps, mean: sampleMean(values), low, high, n: values.length });
    }
  }
  return points;
}

/** IQM and interval of every metric named in `metrics`, per cell. */
export function cellPoints(spec: ExperimentSpec, records: RunRecord[], metrics: string[]): CellPoint[] {
  return groupCells(records).map((cell) => {
    const out: CellPoint['metrics'] = {};
    for (const metric of metrics) {
      const scores = cell.records.map((r) => runScore(r, metric)).filter((v): v is number => v !== undefined);
      if (!scores.length) continue;
      const s = cellStatistics([scores], spec.statistics);
      out[metric] = { iqm: s.iqm, low: s.ciLow, high: s.ciHigh, n: s.n };
    }
    return { task: cell.task, agent: cell.agent, cell: cellLabel(cell.agent, cell.sweep), sweep: cell.sweep, metrics: out };
  });
}
