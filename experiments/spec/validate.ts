/**
 * Validation of a parsed experiment file into an `ExperimentSpec`. Every problem is reported with the
 * key path where it occurs. Env ids and agent names are checked against the registries later
 * (`check-names.ts`), so this module has no registry dependency.
 */
import { Fields, join, type Plain } from './fields.js';
import type {
  AgentSpec,
  EvaluationSpec,
  ExperimentSpec,
  FigureSpec,
  MetricColumn,
  StatisticsSpec,
  Sweep,
  SweepAxis,
  TableSpec,
  TaskSpec,
  ValidationSpec,
} from './types.js';

const TOP_KEYS = [
  'name',
  'description',
  'seeds',
  'evaluation',
  'tasks',
  'sweep',
  'tables',
  'figures',
  'statistics',
  'curveMetric',
] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAME_TEXT = 'letters, digits, _ . - (starting with a letter or digit)';

export function validateExperiment(raw: unknown, file: string): ExperimentSpec {
  const f = new Fields(file);
  const top = f.object('', raw, TOP_KEYS);
  const name = f.string('name', top.name, NAME, NAME_TEXT);
  const description = top.description === undefined ? '' : f.string('description', top.description);
  const seeds = readSeeds(f, top.seeds);
  const evaluation = readEvaluation(f, top.evaluation, seeds);
  const tasks = f.array('tasks', top.tasks).map((t, i) => readTask(f, `tasks[${i}]`, t));
  uniqueLabels(
    f,
    'tasks',
    tasks.map((t) => t.label),
  );
  checkValidationSeeds(f, tasks, seeds, evaluation);
  const sweep = readSweep(f, 'sweep', top.sweep);
  const tables = readTables(f, top.tables, tasks);
  const figures = top.figures === undefined ? [] : f.array('figures', top.figures).map((x, i) => readFigure(f, `figures[${i}]`, x, tasks));
  const statistics = readStatistics(f, top.statistics);
  const curveMetric = top.curveMetric === undefined ? 'episodic_return' : f.string('curveMetric', top.curveMetric);
  return { name, description, seeds, evaluation, tasks, sweep, tables, figures, statistics, curveMetric };
}

function readSeeds(f: Fields, v: unknown): number[] {
  if (v === undefined) f.fail('seeds', 'is missing; give a list of training seeds, e.g. [0, 1, 2], or {start: 0, count: 3}');
  let seeds: number[];
  if (Array.isArray(v)) {
    seeds = f.array('seeds', v).map((s, i) => f.int(`seeds[${i}]`, s, 0));
  } else {
    const o = f.object('seeds', v, ['start', 'count']);
    const start = f.int('seeds.start', o.start, 0, 0);
    const count = f.int('seeds.count', o.count, 1);
    seeds = Array.from({ length: count }, (_, i) => start + i);
  }
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) f.fail('seeds', `lists seed ${dup} twice; seeds must be distinct`);
  return seeds;
}

function readEvaluation(f: Fields, v: unknown, seeds: number[]): EvaluationSpec {
  const o = f.object('evaluation', v ?? {}, ['episodes', 'seedOffset', 'deterministic']);
  const episodes = f.int('evaluation.episodes', o.episodes, 1, 10);
  const seedOffset = f.int('evaluation.seedOffset', o.seedOffset, 1, 1_000_000);
  const training = new Set(seeds);
  const clash = seeds.map((s) => s + seedOffset).find((e) => training.has(e));
  if (clash !== undefined) {
    f.fail(
      'evaluation.seedOffset',
      `${seedOffset} makes evaluation seed ${clash} equal to a training seed; evaluation seeds (seed + seedOffset) must be disjoint from the training seeds, so pick an offset larger than ${Math.max(...seeds) - Math.min(...seeds)}`,
    );
  }
  return { episodes, seedOffset, deterministic: f.bool('evaluation.deterministic', o.deterministic, true) };
}

function readTask(f: Fields, path: string, v: unknown): TaskSpec {
  const o = f.object(path, v, ['label', 'env', 'agents', 'sweep']);
  let env: TaskSpec['env'];
  if (typeof o.env === 'string') env = { id: f.string(`${path}.env`, o.env), options: {} };
  else {
    const e = f.object(`${path}.env`, o.env, ['id', 'options']);
    env = { id: f.string(`${path}.env.id`, e.id), options: f.optionalObject(`${path}.env.options`, e.options) };
  }
  const label = o.label === undefined ? env.id : f.string(`${path}.label`, o.label);
  const agents = f.array(`${path}.agents`, o.agents).map((a, i) => readAgent(f, `${path}.agents[${i}]`, a));
  uniqueLabels(
    f,
    `${path}.agents`,
    agents.map((a) => a.label),
  );
  return { label, env, agents, sweep: readSweep(f, `${path}.sweep`, o.sweep) };
}

function readAgent(f: Fields, path: string, v: unknown): AgentSpec {
  if (typeof v === 'string')
    return { name: f.string(path, v), label: v, options: {}, totalSteps: 0, deterministic: null, validation: null, sweep: {} };
  const o = f.object(path, v, ['name', 'label', 'options', 'totalSteps', 'deterministic', 'validation', 'sweep']);
  const name = f.string(`${path}.name`, o.name);
  return {
    name,
    label: o.label === undefined ? name : f.string(`${path}.label`, o.label),
    options: f.optionalObject(`${path}.options`, o.options),
    totalSteps: f.int(`${path}.totalSteps`, o.totalSteps, 0, 0),
    deterministic: o.deterministic === undefined ? null : f.bool(`${path}.deterministic`, o.deterministic, false),
    validation: o.validation === undefined ? null : readValidation(f, `${path}.validation`, o.validation),
    sweep: readSweep(f, `${path}.sweep`, o.sweep),
  };
}

function readValidation(f: Fields, path: string, v: unknown): ValidationSpec {
  const o = f.object(path, v, ['everySteps', 'episodes', 'seedOffset', 'envOptions']);
  if (o.everySteps === undefined) f.fail(`${path}.everySteps`, 'is missing; give the number of env steps between validation evaluations');
  if (o.seedOffset === undefined)
    f.fail(`${path}.seedOffset`, 'is missing; give an offset whose seeds (seed + offset) no training or evaluation run uses');
  return {
    everySteps: f.int(`${path}.everySteps`, o.everySteps, 1, 1),
    episodes: f.int(`${path}.episodes`, o.episodes, 1, 10),
    seedOffset: f.int(`${path}.seedOffset`, o.seedOffset, 1, 1),
    // Only when given, so that runs without it keep their ids.
    ...(o.envOptions === undefined ? {} : { envOptions: f.optionalObject(`${path}.envOptions`, o.envOptions) }),
  };
}

/** Validation seeds must be disjoint from the training and evaluation seeds: selecting a model on its test episodes would flatter it. */
function checkValidationSeeds(f: Fields, tasks: TaskSpec[], seeds: number[], evaluation: EvaluationSpec): void {
  const taken = new Set([...seeds, ...seeds.map((s) => s + evaluation.seedOffset)]);
  tasks.forEach((task, t) =>
    task.agents.forEach((agent, a) => {
      if (!agent.validation) return;
      const clash = seeds.map((s) => s + agent.validation!.seedOffset).find((v) => taken.has(v));
      if (clash !== undefined) {
        f.fail(
          `tasks[${t}].agents[${a}].validation.seedOffset`,
          `${agent.validation.seedOffset} makes validation seed ${clash} equal to a training or evaluation seed; validation seeds (seed + seedOffset) must be disjoint from both`,
        );
      }
    }),
  );
}

function readSweep(f: Fields, path: string, v: unknown): Sweep {
  if (v === undefined) return {};
  const o = f.object(path, v);
  if (Object.keys(o).length === 0) f.fail(path, 'is an empty sweep; give at least one axis (key path: list of values) or remove it');
  const sweep: Sweep = {};
  for (const [key, axis] of Object.entries(o)) {
    const axisPath = `${path}["${key}"]`;
    if (!/^\+?[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(key))
      f.fail(axisPath, 'is not a key path; write dotted keys such as env.options.load (a leading + adds a new key)');
    sweep[key] = readAxis(f, axisPath, axis);
  }
  return sweep;
}

function readAxis(f: Fields, path: string, v: unknown): SweepAxis {
  if (Array.isArray(v)) {
    if (v.length === 0) f.fail(path, 'is an empty list of values; an axis needs at least one value');
    return { kind: 'grid', values: v };
  }
  const o = f.object(path, v, ['values', 'expr', 'sample', 'low', 'high', 'count', 'seed']);
  if (o.values !== undefined) return { kind: 'grid', values: f.array(`${path}.values`, o.values) };
  if (o.expr !== undefined) return { kind: 'expr', expr: f.string(`${path}.expr`, o.expr) };
  if (o.sample !== undefined) {
    const distribution = f.oneOf(`${path}.sample`, o.sample, ['uniform', 'loguniform', 'int', 'choice'] as const);
    const count = f.int(`${path}.count`, o.count, 1);
    const seed = f.int(`${path}.seed`, o.seed, 0);
    if (distribution === 'choice') {
      return { kind: 'random', distribution, values: f.array(`${path}.values`, o.values), count, seed };
    }
    const low = f.number(`${path}.low`, o.low);
    const high = f.number(`${path}.high`, o.high);
    if (!(high > low)) f.fail(`${path}.high`, `must be greater than low (${low}), got ${high}`);
    if (distribution === 'loguniform' && low <= 0) f.fail(`${path}.low`, `must be > 0 for a loguniform sample, got ${low}`);
    return { kind: 'random', distribution, low, high, count, seed };
  }
  return f.fail(
    path,
    'must be a list of values, {values: [...]}, {expr: "<mathjs expression>"} or {sample: uniform|loguniform|int|choice, low, high | values, count, seed}',
  );
}

function readMetric(f: Fields, path: string, v: unknown): MetricColumn {
  if (typeof v === 'string') return { metric: v, label: v, better: 'higher' };
  const o = f.object(path, v, ['metric', 'label', 'better']);
  const metric = f.string(`${path}.metric`, o.metric);
  return {
    metric,
    label: o.label === undefined ? metric : f.string(`${path}.label`, o.label),
    better: f.oneOf(`${path}.better`, o.better, ['higher', 'lower'] as const, 'higher'),
  };
}

function readTables(f: Fields, v: unknown, tasks: TaskSpec[]): TableSpec[] {
  if (v === undefined) return [{ name: 'main', metrics: [{ metric: 'return', label: 'return', better: 'higher' }], aggregate: false }];
  const tables = f.array('tables', v).map((t, i) => {
    const path = `tables[${i}]`;
    const o = f.object(path, t, ['name', 'metrics', 'tasks', 'aggregate', 'baseline']);
    const table: TableSpec = {
      name: f.string(`${path}.name`, o.name, NAME, NAME_TEXT),
      metrics: f.array(`${path}.metrics`, o.metrics).map((m, j) => readMetric(f, `${path}.metrics[${j}]`, m)),
      tasks: taskFilter(f, `${path}.tasks`, o.tasks, tasks),
      aggregate: f.bool(`${path}.aggregate`, o.aggregate, false),
    };
    if (o.baseline !== undefined) {
      const baseline = f.string(`${path}.baseline`, o.baseline);
      const shown = tasks.filter((task) => !table.tasks || table.tasks.includes(task.label));
      const labels = [...new Set(shown.flatMap((task) => task.agents.map((a) => a.label)))];
      if (!labels.includes(baseline))
        f.fail(`${path}.baseline`, `is '${baseline}', which names no agent of the table's tasks; agent labels: ${labels.join(', ')}`);
      table.baseline = baseline;
    }
    return table;
  });
  uniqueLabels(
    f,
    'tables',
    tables.map((t) => t.name),
  );
  return tables;
}

function readFigure(f: Fields, path: string, v: unknown, tasks: TaskSpec[]): FigureSpec {
  const o = f.object(path, v, ['name', 'kind', 'x', 'y', 'tasks']);
  return {
    name: f.string(`${path}.name`, o.name, NAME, NAME_TEXT),
    kind: f.oneOf(`${path}.kind`, o.kind, ['line', 'scatter'] as const),
    x: f.string(`${path}.x`, o.x),
    y: f.string(`${path}.y`, o.y),
    tasks: taskFilter(f, `${path}.tasks`, o.tasks, tasks),
  };
}

function taskFilter(f: Fields, path: string, v: unknown, tasks: TaskSpec[]): string[] | undefined {
  const list = f.stringList(path, v);
  const labels = tasks.map((t) => t.label);
  list?.forEach((l, i) => {
    if (!labels.includes(l)) f.fail(join(path, i), `names no task; task labels: ${labels.join(', ')}`);
  });
  return list;
}

function readStatistics(f: Fields, v: unknown): StatisticsSpec {
  const o: Plain = f.object('statistics', v ?? {}, ['resamples', 'confidence', 'seed']);
  const confidence = f.number('statistics.confidence', o.confidence, 0.95);
  if (!(confidence > 0 && confidence < 1)) f.fail('statistics.confidence', `must be in (0, 1), got ${confidence}`);
  return { resamples: f.int('statistics.resamples', o.resamples, 100, 2000), confidence, seed: f.int('statistics.seed', o.seed, 0, 0) };
}

function uniqueLabels(f: Fields, path: string, labels: string[]): void {
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) f.fail(path, `has the label '${dup}' twice; give each entry a distinct label`);
}
