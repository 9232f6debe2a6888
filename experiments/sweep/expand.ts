/**
 * Sweep expansion: experiment spec → the list of runs. For each task and agent the base run config is
 * built, the sweep axes of the experiment, the task and the agent (inner ones win on the same key) are
 * crossed as a grid, and each point is repeated for every seed. A run's id is the hash of its resolved
 * config, training seed and evaluation seed.
 */
import { InputFileError } from '../../core/errors.js';
import { canonicalJson, sha256 } from '../records/hash.js';
import type { ExperimentSpec, Sweep, SweepAxis } from '../spec/types.js';
import { axisValues } from './axes.js';
import { hasPath, listPaths, setPath } from './paths.js';

/** Everything that defines what a run computes; its canonical JSON (with the seeds) is hashed into the run id. */
export interface RunConfig {
  env: { id: string; options: Record<string, unknown> };
  agent: { name: string; options: Record<string, unknown> };
  totalSteps: number;
  evaluation: { episodes: number; deterministic: boolean };
  /** Present only for agents with model selection (so other runs keep their ids). */
  validation?: { everySteps: number; episodes: number; seedOffset: number; envOptions?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface RunSpec {
  id: string;
  /** Position in expansion order; shards take runs by index. */
  index: number;
  seed: number;
  evalSeed: number;
  /** Labels of the table cell this run belongs to. */
  task: string;
  agent: string;
  /** The swept keys (without a leading +) and this run's values, in axis order. */
  sweep: Record<string, unknown>;
  config: RunConfig;
}

export function expandRuns(spec: ExperimentSpec, file: string): RunSpec[] {
  const runs: RunSpec[] = [];
  const seen = new Map<string, RunSpec>();
  spec.tasks.forEach((task, t) => {
    task.agents.forEach((agent, a) => {
      const base: RunConfig = {
        env: structuredClone(task.env),
        agent: { name: agent.name, options: structuredClone(agent.options) },
        totalSteps: agent.totalSteps,
        evaluation: { episodes: spec.evaluation.episodes, deterministic: agent.deterministic ?? spec.evaluation.deterministic },
        ...(agent.validation ? { validation: structuredClone(agent.validation) } : {}),
      };
      const axes = collectAxes(spec, t, a);
      for (const point of grid(axes, base, file, `tasks[${t}].agents[${a}]`)) {
        const config = structuredClone(base);
        for (const [key, value] of Object.entries(point)) setPath(config, key, structuredClone(value));
        for (const seed of spec.seeds) {
          const evalSeed = seed + spec.evaluation.seedOffset;
          const id = sha256(canonicalJson({ config, seed, evalSeed })).slice(0, 16);
          const run: RunSpec = { id, index: runs.length, seed, evalSeed, task: task.label, agent: agent.label, sweep: point, config };
          const twin = seen.get(id);
          if (twin) {
            throw new InputFileError(
              file,
              undefined,
              `tasks[${t}].agents[${a}]`,
              `gives the same run (same config and seed ${seed}) as task '${twin.task}', agent '${twin.agent}'; remove the duplicate`,
            );
          }
          seen.set(id, run);
          runs.push(run);
        }
      }
    });
  });
  return runs;
}

interface ResolvedAxis {
  key: string;
  /** Written with a leading + : the key is added rather than overridden. */
  add: boolean;
  axis: SweepAxis;
  /** Where the axis is in the file, for error messages. */
  path: string;
  values: unknown[];
}

function collectAxes(spec: ExperimentSpec, t: number, a: number): ResolvedAxis[] {
  const levels: [Sweep, string][] = [
    [spec.sweep, 'sweep'],
    [spec.tasks[t].sweep, `tasks[${t}].sweep`],
    [spec.tasks[t].agents[a].sweep, `tasks[${t}].agents[${a}].sweep`],
  ];
  const byKey = new Map<string, { axis: SweepAxis; path: string; raw: string }>();
  for (const [sweep, path] of levels) {
    for (const [raw, axis] of Object.entries(sweep)) byKey.set(raw.replace(/^\+/, ''), { axis, path: `${path}["${raw}"]`, raw });
  }
  return [...byKey.entries()].map(([key, { axis, path, raw }]) => ({ key, add: raw.startsWith('+'), axis, path, values: [] }));
}

/** Checks each key against the base config and yields every point of the grid. */
function* grid(axes: ResolvedAxis[], base: RunConfig, file: string, where: string): Generator<Record<string, unknown>> {
  for (const axis of axes) {
    if (!axis.add && !hasPath(base, axis.key)) {
      throw new InputFileError(
        file,
        undefined,
        axis.path,
        `sweeps '${axis.key}', which does not exist in the run config of ${where}; keys there: ${listPaths(base).join(', ')}. Set a base value first, or write '+${axis.key}' to add the key`,
      );
    }
    if (axis.add && hasPath(base, axis.key)) {
      throw new InputFileError(
        file,
        undefined,
        axis.path,
        `adds '${axis.key}' with '+', but the run config of ${where} already has it; drop the '+'`,
      );
    }
    if (axis.add && !setPath(structuredClone(base), axis.key, null)) {
      throw new InputFileError(file, undefined, axis.path, `cannot add '${axis.key}': a part of that path is not a mapping`);
    }
    axis.values = axisValues(axis.axis, file, axis.path);
  }
  const point: Record<string, unknown> = {};
  function* walk(i: number): Generator<Record<string, unknown>> {
    if (i === axes.length) {
      yield { ...point };
      return;
    }
    for (const value of axes[i].values) {
      point[axes[i].key] = value;
      yield* walk(i + 1);
    }
  }
  yield* walk(0);
}
