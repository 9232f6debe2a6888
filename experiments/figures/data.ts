/**
 * The data behind the figures, computed from run records only: learning curves aggregated over seeds
 * and per-cell summaries of each metric, with what each figure can honestly show (see stats/summary.ts):
 * the IQM where every cell has n ≥ 4 (else the mean), the bootstrap interval where every cell has
 * n ≥ 10 (else the range of the seeds' values, said so in the title). Also the one colour per agent that
 * every figure uses.
 */
import type { RunRecord } from '../records/read.js';
import type { ExperimentSpec } from '../spec/types.js';
import { stratifiedBootstrapCI } from '../stats/bootstrap.js';
import { cellStatistics, CI_MIN_N, sampleMean } from '../stats/summary.js';
import { groupCells, runScore } from '../tables/aggregate.js';
import { formatSweepValue } from '../tables/format-number.js';

/** How a figure summarises the seeds of a cell. */
export interface Summary {
  /** 'IQM' where every cell has n ≥ 4, else 'mean'. */
  stat: 'IQM' | 'mean';
  /** 'ci': bootstrap interval (every cell has n ≥ 10); 'range': min to max of the seeds' values. */
  band: 'ci' | 'range';
}

export interface CurvePoint {
  task: string;
  agent: string;
  steps: number;
  mean: number;
  /** The band: bootstrap interval of the mean or the range of the seeds' values, as the figure's Summary says. */
  low: number;
  high: number;
  n: number;
}

export interface MetricPoint {
  iqm: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  /** The per-seed scores. */
  values: number[];
}

export interface CellPoint {
  task: string;
  agent: string;
  /** Agent label with the sweep values, e.g. `ppo (lr=0.001)`. */
  cell: string;
  sweep: Record<string, unknown>;
  metrics: Record<string, MetricPoint>;
}

export function cellLabel(agent: string, sweep: Record<string, unknown>, skip: string[] = []): string {
  const parts = Object.entries(sweep)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k.split('.').pop()}=${formatSweepValue(v)}`);
  return parts.length ? `${agent} (${parts.join(', ')})` : agent;
}

/** Mean learning curve per cell; at each step only the runs that logged that step count. */
export function curvePoints(spec: ExperimentSpec, records: RunRecord[]): { points: CurvePoint[]; summary: Summary } {
  const raw: { task: string; agent: string; steps: number; values: number[] }[] = [];
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
    for (const [steps, values] of [...bySteps.entries()].sort((a, b) => a[0] - b[0]))
      raw.push({ task: cell.task, agent: cellLabel(cell.agent, cell.sweep), steps, values });
  }
  const band: Summary['band'] = raw.length > 0 && raw.every((p) => p.values.length >= CI_MIN_N) ? 'ci' : 'range';
  const stats = { ...spec.statistics, resamples: Math.min(spec.statistics.resamples, 500) };
  const points = raw.map(({ task, agent, steps, values }) => {
    const [low, high] = band === 'ci' ? stratifiedBootstrapCI([values], sampleMean, stats) : [Math.min(...values), Math.max(...values)];
    return { task, agent, steps, mean: sampleMean(values), low, high, n: values.length };
  });
  return { points, summary: { stat: 'mean', band } };
}

/** Statistics of every metric named in `metrics`, per cell. */
export function cellPoints(spec: ExperimentSpec, records: RunRecord[], metrics: string[]): CellPoint[] {
  return groupCells(records).map((cell) => {
    const out: CellPoint['metrics'] = {};
    for (const metric of metrics) {
      const scores = cell.records.map((r) => runScore(r, metric)).filter((v): v is number => v !== undefined);
      if (!scores.length) continue;
      const s = cellStatistics([scores], spec.statistics);
      out[metric] = { iqm: s.iqm, mean: s.mean, ciLow: s.ciLow, ciHigh: s.ciHigh, n: s.n, values: s.values };
    }
    return { task: cell.task, agent: cell.agent, cell: cellLabel(cell.agent, cell.sweep), sweep: cell.sweep, metrics: out };
  });
}

/** What a figure over these metric points can show: the IQM only if every cell has one, an interval only if every cell has one. */
export function summaryOf(points: MetricPoint[]): Summary {
  return {
    stat: points.length > 0 && points.every((p) => Number.isFinite(p.iqm)) ? 'IQM' : 'mean',
    band: points.length > 0 && points.every((p) => Number.isFinite(p.ciLow)) ? 'ci' : 'range',
  };
}

/** A metric point as one figure row: the value, its band and the seeds, as `summary` says. */
export function shown(p: MetricPoint, summary: Summary): { value: number; low: number; high: number; n: number } {
  const value = summary.stat === 'IQM' ? p.iqm : p.mean;
  return summary.band === 'ci'
    ? { value, low: p.ciLow, high: p.ciHigh, n: p.n }
    : { value, low: Math.min(...p.values), high: Math.max(...p.values), n: p.n };
}

/** The seeds a summary covers, in words: "3 seeds" or "2–3 seeds". */
export function seedsText(ns: number[]): string {
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  if (!Number.isFinite(lo)) return 'no runs';
  return lo === hi ? `${lo} seed${lo === 1 ? '' : 's'}` : `${lo}–${hi} seeds`;
}

/**
 * Tableau 10, then the light halves of Tableau 20: distinct colours for 20 legend entries. Entries past
 * the 20th repeat colours (the legend still names every entry in full).
 */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
  '#9ecae9',
  '#ffbf79',
  '#88d27a',
  '#f2cf5b',
  '#83bcb6',
  '#ff9d98',
  '#d6a5c9',
  '#d8b5a5',
  '#79706e',
  '#439894',
];

/**
 * One colour per agent for the whole experiment: agent labels in the experiment's order first, then the
 * agent-with-sweep labels (`ppo (lr=0.001)`) in run order. Every figure colours by this map, so an agent
 * has the same colour in every figure.
 */
export function colourMap(spec: ExperimentSpec, records: RunRecord[]): Map<string, string> {
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  for (const task of spec.tasks) for (const a of task.agents) add(a.label);
  for (const cell of groupCells(records)) {
    add(cell.agent);
    add(cellLabel(cell.agent, cell.sweep));
  }
  for (const f of spec.figures)
    for (const cell of groupCells(records)) if (f.kind === 'line') add(cellLabel(cell.agent, cell.sweep, [f.x]));
  return new Map(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]]));
}
