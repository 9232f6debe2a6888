/**
 * The RL column of RLScheduler's tables (Zhang et al., SC 2020; the README of DIR-LAB/deep-batch-scheduler):
 * its shipped trained models (data/rlscheduler-models) run on the published protocol as its table script
 * ran them — the policy's actions sampled with TensorFlow's seeded multinomial (the op seeds of each model),
 * one stream across the ten sequences, and the reference's window of visible jobs (`window: 'rlscheduler'`).
 * A trace's bsld cells come from its bsld model and its utilization cells from its utilization model.
 * Any other policy (a schedlab checkpoint or export) can take the column instead (`policyColumn`): it is
 * run once per trace and backfilling mode, greedily, or with TensorFlow's sampler when its checkpoint
 * records the op seeds (an imported TensorFlow policy).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../../agents/core/agent.js';
import { readCheckpointMeta } from '../../agents/core/checkpoint.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { makeAgent } from '../../agents/core/registry.js';
import { ExportedAgent } from '../../agents/export/exported-agent.js';
import { loadRlschedulerKernel } from '../../agents/import/rlscheduler.js';
import { SchedlabError } from '../../core/errors.js';
import { TfMultinomial } from '../../core/philox.js';
import { make } from '../../envs/core/registry.js';
import {
  RLSCHEDULER_SEQUENCE_LENGTH,
  RLSCHEDULER_STARTS,
  TABLE_METRICS,
  type ProtocolCell,
  type TableMetric,
} from './rlscheduler-protocol.js';

/** The RL column's name in cells (`heuristic`) and tables. */
export const RL_COLUMN = 'rl';

interface ShippedModel {
  folder: string;
  /** TensorFlow multinomial op seeds (seed, seed2) of the reference's table run. */
  seeds: [number, number];
}

/** RLScheduler's shipped models per bundled trace: the bsld model and the utilization model. */
export const RL_MODELS: Readonly<Record<string, { bsld: ShippedModel; utilization: ShippedModel }>> = {
  'lublin-1': { bsld: { folder: 'bsld-lublin256', seeds: [0, 178] }, utilization: { folder: 'utilization-lublin256', seeds: [4, 178] } },
  'lublin-2': {
    bsld: { folder: 'bsld-Lublin256new', seeds: [0, 178] },
    utilization: { folder: 'utilization-Lublin256new', seeds: [4, 178] },
  },
  hpc2n: { bsld: { folder: 'bsld-hpc2n', seeds: [4, 178] }, utilization: { folder: 'utilization-hpc2n', seeds: [4, 178] } },
};

/** The published RL cells (bsld 2 decimals, RLScheduler's utilization 3), per backfilling mode and trace. */
export const PUBLISHED_RL: Readonly<Record<'bsld' | 'rlschedulerUtilization', Record<'false' | 'true', Record<string, number>>>> = {
  bsld: { false: { 'lublin-1': 254.67, hpc2n: 117.01, 'lublin-2': 724.51 }, true: { 'lublin-1': 58.64, hpc2n: 86.14, 'lublin-2': 118.79 } },
  rlschedulerUtilization: {
    false: { 'lublin-1': 0.714, hpc2n: 0.64, 'lublin-2': 0.562 },
    true: { 'lublin-1': 0.85, hpc2n: 0.642, 'lublin-2': 0.593 },
  },
};

const MODELS_DIR = join(import.meta.dirname, '..', '..', '..', 'data', 'rlscheduler-models');

export function shippedModelsDir(): string {
  // From the sources (tests) the data folder is two levels up; from dist/ three.
  for (const dir of [MODELS_DIR, join(import.meta.dirname, '..', '..', 'data', 'rlscheduler-models')]) if (existsSync(dir)) return dir;
  throw new SchedlabError(`the shipped RLScheduler models are missing (looked in ${MODELS_DIR})`);
}

export interface RlColumnOptions {
  traces: string[];
  starts?: readonly number[];
  sequenceLength?: number;
  /** Only these metrics' models are run (default: bsld and utilization). */
  metrics?: readonly ('bsld' | 'utilization')[];
  backfill?: readonly boolean[];
  onCell?: (cell: ProtocolCell) => void;
}

function envFor(trace: string, backfill: boolean, starts: readonly number[], sequenceLength: number) {
  return make('BatchScheduling-v0', { trace, sequenceLength, starts: [...starts], backfill, metric: 'bsld', window: 'rlscheduler' });
}

function cellOf(
  trace: string,
  backfill: boolean,
  starts: readonly number[],
  sequenceLength: number,
  values: Record<TableMetric, number[]>,
): ProtocolCell {
  const mean = Object.fromEntries(
    TABLE_METRICS.map((m) => [m, values[m].length ? values[m].reduce((a, b) => a + b, 0) / values[m].length : NaN]),
  ) as Record<TableMetric, number>;
  return { trace, backfill, heuristic: RL_COLUMN, starts: [...starts], sequenceLength, values, mean };
}

/** The shipped models' RL cells for the traces that have models. */
export function runRlColumn({
  traces,
  starts = RLSCHEDULER_STARTS,
  sequenceLength = RLSCHEDULER_SEQUENCE_LENGTH,
  metrics = ['bsld', 'utilization'],
  backfill = [false, true],
  onCell,
}: RlColumnOptions): ProtocolCell[] {
  const cells: ProtocolCell[] = [];
  for (const trace of traces.filter((t) => RL_MODELS[t])) {
    for (const bf of backfill) {
      const values: Record<TableMetric, number[]> = { bsld: [], rlschedulerUtilization: [], utilization: [] };
      for (const kind of metrics) {
        const model = RL_MODELS[trace][kind];
        const env = envFor(trace, bf, starts, sequenceLength);
        const { agent } = loadRlschedulerKernel(
          join(shippedModelsDir(), model.folder),
          env.observationSpace,
          env.actionSpace,
          'BatchScheduling-v0',
        );
        try {
          const result = evaluate(env, agent, {
            episodes: starts.length,
            seed: 0,
            deterministic: false,
            sampler: new TfMultinomial(...model.seeds),
          });
          if (kind === 'bsld') values.bsld = result.metrics.bsld.values;
          else {
            values.rlschedulerUtilization = result.metrics.rlschedulerUtilization.values;
            values.utilization = result.metrics.utilization.values;
          }
        } finally {
          agent.dispose();
          env.close();
        }
      }
      const cell = cellOf(trace, bf, starts, sequenceLength, values);
      cells.push(cell);
      onCell?.(cell);
    }
  }
  return cells;
}

/** A policy folder as an agent on `env`'s spaces: a schedlab checkpoint (checkpoint.json) or export (policy.meta.json). */
async function policyAgent(dir: string, env: ReturnType<typeof make>): Promise<{ agent: Agent; sampler?: () => TfMultinomial }> {
  if (existsSync(join(dir, 'policy.meta.json'))) {
    const agent = new ExportedAgent(env.observationSpace, env.actionSpace, { policy: dir }, 'BatchScheduling-v0');
    await agent.load(dir);
    return { agent };
  }
  const meta = await readCheckpointMeta(dir);
  const agent = makeAgent(meta.agent, env, meta.config, { seed: meta.counters.seed ?? 0, envId: 'BatchScheduling-v0' });
  await agent.load(dir);
  const tf = (meta.extra?.imported as { tfMultinomial?: { seed: number; seed2: number } } | undefined)?.tfMultinomial;
  return { agent, sampler: tf ? () => new TfMultinomial(tf.seed, tf.seed2) : undefined };
}

/** `policy` (a checkpoint or export folder) in the RL column: one run per trace and backfilling mode. */
export async function policyColumn(
  policy: string,
  { traces, starts = RLSCHEDULER_STARTS, sequenceLength = RLSCHEDULER_SEQUENCE_LENGTH, backfill = [false, true], onCell }: RlColumnOptions,
): Promise<ProtocolCell[]> {
  const cells: ProtocolCell[] = [];
  for (const trace of traces) {
    for (const bf of backfill) {
      const env = envFor(trace, bf, starts, sequenceLength);
      const { agent, sampler } = await policyAgent(policy, env);
      try {
        const result = evaluate(env, agent, {
          episodes: starts.length,
          seed: 0,
          deterministic: sampler === undefined,
          sampler: sampler?.(),
        });
        const values = Object.fromEntries(TABLE_METRICS.map((m) => [m, result.metrics[m].values])) as Record<TableMetric, number[]>;
        const cell = cellOf(trace, bf, starts, sequenceLength, values);
        cells.push(cell);
        onCell?.(cell);
      } finally {
        agent.dispose?.();
        env.close();
      }
    }
  }
  return cells;
}

/** The RL cells against the published ones, at the printed precision. */
export function compareRlWithPublished(
  cells: ProtocolCell[],
): { cell: string; metric: TableMetric; ours: string; published: string; equal: boolean }[] {
  const out: { cell: string; metric: TableMetric; ours: string; published: string; equal: boolean }[] = [];
  for (const c of cells.filter((x) => x.heuristic === RL_COLUMN)) {
    for (const [metric, digits] of [
      ['bsld', 2],
      ['rlschedulerUtilization', 3],
    ] as const) {
      const published = PUBLISHED_RL[metric][String(c.backfill) as 'false' | 'true'][c.trace];
      if (published === undefined || !Number.isFinite(c.mean[metric])) continue;
      const ours = c.mean[metric].toFixed(digits);
      out.push({
        cell: `${c.trace} ${c.backfill ? 'backfilling' : 'no backfilling'}`,
        metric,
        ours,
        published: published.toFixed(digits),
        equal: ours === published.toFixed(digits),
      });
    }
  }
  return out;
}
