/**
 * Aggregation of run records into table rows: one row per cell (task, agent, sweep point), in the
 * order the sweep expands; per metric the statistics over the cell's finished runs (one score per run:
 * the mean of the metric over its evaluation episodes). Failed runs are counted, never averaged.
 */
import { canonicalJson } from '../records/hash.js';
import type { RunRecord } from '../records/read.js';
import type { ExperimentSpec, TableSpec } from '../spec/types.js';
import { pairedDifference, type PairedDifference } from '../stats/paired.js';
import { cellStatistics, type CellStatistics } from '../stats/summary.js';
import { checkTableMetrics } from './metric-check.js';

export interface CellRow {
  task: string;
  agent: string;
  sweep: Record<string, unknown>;
  /** Runs of the cell that failed (their scores are missing). */
  failed: number;
  stats: Record<string, CellStatistics | null>;
  /** With a table baseline: per metric, the paired difference from the baseline agent (null for the baseline's own row, or without a match). */
  paired?: Record<string, PairedDifference | null>;
}

export interface TableModel {
  spec: TableSpec;
  /** Swept keys that vary in this table, as columns. */
  sweepKeys: string[];
  rows: CellRow[];
  /** For each metric, the row indices holding the best mean within their task (and point of the non-agent sweep axes). */
  best: Record<string, Set<number>>;
  statistics: ExperimentSpec['statistics'];
}

export function cellKey(task: string, agent: string, sweep: Record<string, unknown>): string {
  return canonicalJson([task, agent, sweep]);
}

/** Groups records by cell, in expansion order. */
export function groupCells(records: RunRecord[]): { task: string; agent: string; sweep: Record<string, unknown>; records: RunRecord[] }[] {
  const cells = new Map<string, { task: string; agent: string; sweep: Record<string, unknown>; records: RunRecord[] }>();
  for (const r of [...records].sort((a, b) => a.run.index - b.run.index)) {
    const key = cellKey(r.run.task, r.run.agent, r.run.sweep);
    if (!cells.has(key)) cells.set(key, { task: r.run.task, agent: r.run.agent, sweep: r.run.sweep, records: [] });
    cells.get(key)!.records.push(r);
  }
  return [...cells.values()];
}

/** The per-run score of a metric: its mean over the evaluation episodes. */
export function runScore(record: RunRecord, metric: string): number | undefined {
  return record.evaluation?.metrics[metric]?.mean;
}

/** The label of the rows that pool every task. */
export const ALL_TASKS = 'all tasks';

/**
 * The point a row competes at: its task and the non-agent sweep axes (the same load, say). Agent-option
 * axes are variants of an agent and compete with the other agents.
 */
const taskPoint = (r: { task: string; sweep: Record<string, unknown> }) =>
  canonicalJson([r.task, Object.entries(r.sweep).filter(([k]) => !k.startsWith('agent.'))]);

const agentPart = (sweep: Record<string, unknown>) => Object.fromEntries(Object.entries(sweep).filter(([k]) => k.startsWith('agent.')));

/** One row per agent (and agent-option point): all its runs pooled, one bootstrap stratum per cell. */
function aggregateRows(spec: ExperimentSpec, table: TableSpec, cells: ReturnType<typeof groupCells>): CellRow[] {
  const byAgent = new Map<string, { agent: string; sweep: Record<string, unknown>; cells: typeof cells }>();
  for (const cell of cells) {
    const sweep = agentPart(cell.sweep);
    const key = canonicalJson([cell.agent, sweep]);
    if (!byAgent.has(key)) byAgent.set(key, { agent: cell.agent, sweep, cells: [] });
    byAgent.get(key)!.cells.push(cell);
  }
  return [...byAgent.values()].map(({ agent, sweep, cells: own }) => {
    const stats: Record<string, CellStatistics | null> = {};
    for (const { metric } of table.metrics) {
      const strata = own
        .map((c) => c.records.map((r) => runScore(r, metric)).filter((v): v is number => v !== undefined))
        .filter((s) => s.length > 0);
      stats[metric] = strata.length ? cellStatistics(strata, spec.statistics) : null;
    }
    return { task: ALL_TASKS, agent, sweep, failed: own.reduce((n, c) => n + c.records.filter((r) => !r.evaluation).length, 0), stats };
  });
}

/**
 * The cell's paired differences from the baseline agent's cell at the same task and non-agent sweep point:
 * each run is matched with the baseline run of the same seed (hence the same evaluation episodes).
 */
function pairedRow(
  table: TableSpec,
  cell: ReturnType<typeof groupCells>[number],
  cells: ReturnType<typeof groupCells>,
  confidence: number,
): Record<string, PairedDifference | null> {
  const base =
    cell.agent === table.baseline ? undefined : cells.find((c) => c.agent === table.baseline && taskPoint(c) === taskPoint(cell));
  const paired: Record<string, PairedDifference | null> = {};
  for (const { metric } of table.metrics) {
    const pairs: { values: number[]; baseline: number[] }[] = [];
    // In seed order, so the per-seed differences read seed by seed.
    for (const r of base ? [...cell.records].sort((a, b) => a.run.seed - b.run.seed) : []) {
      const b = base!.records.find((x) => x.run.seed === r.run.seed && x.run.evalSeed === r.run.evalSeed);
      const values = r.evaluation?.metrics[metric]?.values;
      const baseline = b?.evaluation?.metrics[metric]?.values;
      if (values && baseline) pairs.push({ values, baseline });
    }
    paired[metric] = pairedDifference(pairs, confidence);
  }
  return paired;
}

export function buildTable(spec: ExperimentSpec, table: TableSpec, records: RunRecord[]): TableModel {
  checkTableMetrics(table, records);
  const cells = groupCells(records).filter((c) => !table.tasks || table.tasks.includes(c.task));
  const sweepKeys = [...new Set(cells.flatMap((c) => Object.keys(c.sweep)))];
  const rows: CellRow[] = cells.map((cell) => {
    const stats: Record<string, CellStatistics | null> = {};
    for (const { metric } of table.metrics) {
      const scores = cell.records.map((r) => runScore(r, metric)).filter((v): v is number => v !== undefined);
      stats[metric] = scores.length ? cellStatistics([scores], spec.statistics) : null;
    }
    const row: CellRow = {
      task: cell.task,
      agent: cell.agent,
      sweep: cell.sweep,
      failed: cell.records.filter((r) => !r.evaluation).length,
      stats,
    };
    if (table.baseline !== undefined) row.paired = pairedRow(table, cell, cells, spec.statistics.confidence);
    return row;
  });
  if (table.aggregate) rows.push(...aggregateRows(spec, table, cells));
  const best: Record<string, Set<number>> = {};
  for (const { metric, better } of table.metrics) {
    best[metric] = new Set();
    for (const g of new Set(rows.map(taskPoint))) {
      const means = rows
        .map((r, i) => [i, taskPoint(r) === g ? r.stats[metric]?.mean : undefined] as const)
        .filter(([, m]) => m !== undefined && Number.isFinite(m));
      if (means.length < 2) continue;
      const target = better === 'higher' ? Math.max(...means.map(([, m]) => m!)) : Math.min(...means.map(([, m]) => m!));
      for (const [i, m] of means) if (m === target) best[metric].add(i);
    }
  }
  return { spec: table, sweepKeys, rows, best, statistics: spec.statistics };
}
