/**
 * The load-time half of the table-metric check (`metric-check.ts` has the table-time half): each task's
 * env plays one short episode with seeded random valid actions; the evaluator reports `return`, `length`
 * and the env's `info.metrics` at the episode's end, so those are the names a table can use. A metric no
 * task of its table reports is refused with the names that are reported. Where an env cannot be probed
 * (it does not build, or the episode does not end within the step cap) the check says nothing and the
 * table-time check still holds.
 */
import { InputFileError } from '../../core/errors.js';
import { make } from '../../envs/index.js';
import type { ExperimentSpec } from '../spec/types.js';
import { EVALUATOR_METRICS, unknownMetricText } from './metric-check.js';

/** Steps after which a probe episode is abandoned (its env's metric names then stay unknown). */
export const PROBE_STEP_CAP = 50_000;

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
        throw new InputFileError(
          file,
          undefined,
          `tables[${i}].metrics[${j}].metric`,
          unknownMetricText(m.metric, names, `not reported by any task of table '${table.name}' (${envs})`),
        );
      }
    });
  });
}
