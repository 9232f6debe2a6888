/**
 * A table metric must name something the runs report. A misspelt metric (`slowdwn`) would otherwise give
 * a table of dashes over "0 runs" and exit status 0. Two checks:
 *
 * - at load time (`checkTableMetricsAtLoad`): each task's env plays one short episode with seeded random
 *   valid actions; the evaluator reports `return`, `length` and the env's `info.metrics` at the episode's
 *   end, so those are the names a table can use. A metric no task of its table reports is refused with
 *   the names that are reported. Where an env cannot be probed (it does not build, or the episode does not
 *   end within the step cap) the check says nothing and the table-time check still holds.
 * - at table time (`checkTableMetrics`): a metric that none of the table's finished runs reports is an
 *   error listing the metrics the runs have.
 */
import { InputFileError, SchedlabError } from '../../core/errors.js';
import { make } from '../../envs/index.js';
import type { RunRecord } from '../records/read.js';
import type { ExperimentSpec, TableSpec } from '../spec/types.js';

/** The evaluator's own per-episode metrics, beside the env's `info.metrics`. */
export const EVALUATOR_METRICS = ['return', 'length'] as const;

/** Steps after which a probe episode is abandoned (its env's metric names then stay unknown). */
export const PROBE_STEP_CAP = 50_000;

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

function unknownMetricText(metric: string, known: string[], where: string): string {
  const guess = closestName(metric, known);
  return `metric '${metric}' is ${where}${guess ? `; did you mean '${guess}'?` : '.'} Metrics reported: ${known.join(', ')}`;
}

/**
 * The metric names an evaluation of env `id` with `options` reports, from one episode of seeded random
 * valid actions; null when the env cannot be built or the episode does not end within `stepCap` steps.
 */
export function probeEnvMetrics(id: string, options: Record<string, unknown>, stepCap = PROBE_STEP_CAP): string[] | null {
  let env;
  try {
    env = make(id, options);
  } catch {
    return null;
  }
  try {
    env.actionSpace.seed(0);
    let { info } = env.reset({ seed: 0 });
    for (let t = 0; t < stepCap; t++) {
      const mask = (info as { actionMask?: Uint8Array }).actionMask;
      let action: unknown;
      try {
        action = mask !== undefined ? env.actionSpace.sample(mask) : env.actionSpace.sample();
      } catch {
        action = env.actionSpace.sample();
      }
      const step = env.step(action);
      info = step.info;
      if (step.terminated || step.truncated) {
        const metrics = (info as { metrics?: Record<string, unknown> }).metrics ?? {};
        return [...EVALUATOR_METRICS, ...Object.keys(metrics).filter((k) => !(EVALUATOR_METRICS as readonly string[]).includes(k))];
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    try {
      env.close();
    } catch {
      // a probe never fails the load because of close()
    }
  }
}

/**
 * Load-time check: every table metric is reported by at least one of the table's tasks (where every task
 * of the table could be probed). Errors name the key path (`tables[0].metrics[1].metric`).
 */
export function checkTableMetricsAtLoad(spec: Pick<ExperimentSpec, 'tasks' | 'tables'>, file: string, probe = probeEnvMetrics): void {
  const byTask = new Map<string, string[] | null>();
  const known = (label: string) => {
    if (!byTask.has(label)) {
      const task = spec.tasks.find((t) => t.label === label)!;
      byTask.set(label, probe(task.env.id, task.env.options));
    }
    return byTask.get(label)!;
  };
  spec.tables.forEach((table, i) => {
    const labels = table.tasks ?? spec.tasks.map((t) => t.label);
    table.metrics.forEach((m, j) => {
      const names: string[] = [];
      for (const label of labels) {
        const k = known(label);
        if (k === null) return; // an env whose metric names are unknown: leave it to the table-time check
        names.push(...k.filter((n) => !names.includes(n)));
      }
      if (!names.includes(m.metric)) {
        const envs = [...new Set(labels.map((l) => spec.tasks.find((t) => t.label === l)!.env.id))].join(', ');
        throw new InputFileError(file, undefined, `tables[${i}].metrics[${j}].metric`, unknownMetricText(m.metric, names, `not reported by any task of table '${table.name}' (${envs})`));
      }
    });
  });
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
      throw new SchedlabError(`table '${table.name}': ${unknownMetricText(metric, names, `reported by none of its ${finished.length} finished runs`)}`);
    }
  }
}
