/**
 * RLScheduler's published evaluation protocol (Zhang et al., "RLScheduler: An Automated HPC Batch Job
 * Scheduler Using Reinforcement Learning", SC 2020, Tables 4–6 and the evaluation script of its public
 * code, DIR-LAB/deep-batch-scheduler): sequences of 1024 jobs at ten fixed start indices, each heuristic without and
 * with backfilling; a cell is the mean over the ten sequences of the per-sequence average. Every run goes
 * through the registered env, the registered agent and the shared evaluator, as `schedlab evaluate` does.
 */
import { evaluate } from '../../agents/core/evaluation.js';
import { makeAgent } from '../../agents/index.js';
import { make } from '../../envs/index.js';

export const RLSCHEDULER_STARTS = [1981, 2756, 4299, 8850, 3316, 2714, 5228, 7762, 4022, 7085] as const;
export const RLSCHEDULER_SEQUENCE_LENGTH = 1024;
/** The published tables' traces, by bundled name, with the paper's labels. */
export const RLSCHEDULER_TRACES: Readonly<Record<string, string>> = { 'lublin-1': 'Lublin-1', 'lublin-2': 'Lublin-2', hpc2n: 'HPC2N' };
/** The published columns (textbook WFP3/UNICEP), then the reference code's variants. */
export const RLSCHEDULER_HEURISTICS = ['fcfs', 'wfp3', 'unicep', 'sjf', 'f1'] as const;
export const COMPAT_HEURISTICS = ['wfp3-compat', 'unicep-compat'] as const;
/**
 * The tables' metrics: bounded slowdown, RLScheduler's utilization figure (its published "utilization"
 * column; not bounded by 1) and the true utilization in [0, 1] (BatchScheduling-v0's doc comment).
 */
export const TABLE_METRICS = ['bsld', 'rlschedulerUtilization', 'utilization'] as const;
export type TableMetric = (typeof TABLE_METRICS)[number];

export interface ProtocolCell {
  trace: string;
  backfill: boolean;
  heuristic: string;
  starts: number[];
  sequenceLength: number;
  /** Per-sequence averages, in the order of the start indices. */
  values: Record<TableMetric, number[]>;
  mean: Record<TableMetric, number>;
}

export interface ProtocolOptions {
  traces: string[];
  heuristics: string[];
  starts?: readonly number[];
  sequenceLength?: number;
  onCell?: (cell: ProtocolCell) => void;
}

export function runRlschedulerProtocol({
  traces,
  heuristics,
  starts = RLSCHEDULER_STARTS,
  sequenceLength = RLSCHEDULER_SEQUENCE_LENGTH,
  onCell,
}: ProtocolOptions): ProtocolCell[] {
  const cells: ProtocolCell[] = [];
  for (const trace of traces) {
    for (const backfill of [false, true]) {
      for (const heuristic of heuristics) {
        const env = make('BatchScheduling-v0', { trace, sequenceLength, starts: [...starts], backfill, metric: 'bsld' });
        const agent = makeAgent(heuristic, env, {}, { seed: 0, envId: 'BatchScheduling-v0' });
        const result = evaluate(env, agent, { episodes: starts.length, seed: 0 });
        env.close();
        const values = Object.fromEntries(TABLE_METRICS.map((m) => [m, result.metrics[m].values])) as Record<TableMetric, number[]>;
        // The mean of the ten per-sequence averages, summed in order as the reference's np.mean would.
        const mean = Object.fromEntries(TABLE_METRICS.map((m) => [m, values[m].reduce((a, b) => a + b, 0) / values[m].length])) as Record<
          TableMetric,
          number
        >;
        const cell = { trace, backfill, heuristic, starts: [...starts], sequenceLength, values, mean };
        cells.push(cell);
        onCell?.(cell);
      }
    }
  }
  return cells;
}
