/**
 * The validated form of an experiment file (YAML or JSON). See experiments/quickstart.yaml for a
 * commented example and `validate.ts` for every rule.
 */

/** One sweep axis: a list, a mathjs expression giving a list, or random samples. */
export type SweepAxis =
  | { kind: 'grid'; values: unknown[] }
  | { kind: 'expr'; expr: string }
  | {
      kind: 'random';
      distribution: 'uniform' | 'loguniform' | 'int' | 'choice';
      low?: number;
      high?: number;
      values?: unknown[];
      count: number;
      seed: number;
    };

/** Axes by key path (`env.options.load`); a leading `+` adds a key the config does not have yet. */
export type Sweep = Record<string, SweepAxis>;

export interface AgentSpec {
  name: string;
  /** The name shown in tables and figures (default: `name`). */
  label: string;
  options: Record<string, unknown>;
  /** Training budget in env steps; 0 for heuristics. */
  totalSteps: number;
  /** Overrides evaluation.deterministic for this agent's runs (null: the experiment's setting). */
  deterministic: boolean | null;
  /**
   * Model selection on validation episodes (SB3's EvalCallback with best_model_save_path): every
   * `everySteps` steps and at the end of training the agent plays `episodes` episodes with seed
   * run seed + `seedOffset` (disjoint from the training and evaluation seeds); the model with the best
   * mean return is the one evaluated and saved. `envOptions`, when given, are laid over the task's env
   * options for the validation episodes only (select on the distribution the model is tested on, e.g.
   * longer job sequences than training plays). null: the final model.
   */
  validation: ValidationSpec | null;
  sweep: Sweep;
}

export interface ValidationSpec {
  everySteps: number;
  episodes: number;
  seedOffset: number;
  /** Env options of the validation episodes over the task's (absent: the task's own). */
  envOptions?: Record<string, unknown>;
}

export interface TaskSpec {
  /** The name shown in tables and figures (default: the env id). */
  label: string;
  env: { id: string; options: Record<string, unknown> };
  agents: AgentSpec[];
  sweep: Sweep;
}

export interface EvaluationSpec {
  episodes: number;
  /** A run trained with seed s is evaluated with seed s + seedOffset (disjoint from every training seed). */
  seedOffset: number;
  deterministic: boolean;
}

export interface MetricColumn {
  /** The metric name as the evaluator reports it (`return`, `length`, or an env metric). */
  metric: string;
  label: string;
  better: 'higher' | 'lower';
}

export interface TableSpec {
  name: string;
  metrics: MetricColumn[];
  /** Task labels to include (default: all). */
  tasks?: string[];
  /**
   * Adds one row per agent over all tasks (rliable's aggregate): IQM of all its runs pooled, CI by the
   * stratified bootstrap with one stratum per task (and swept env point). For metrics comparable across
   * tasks, such as normalised scores.
   */
  aggregate: boolean;
  /**
   * An agent label: adds, per metric, the paired difference of each row from that agent over the same
   * evaluation episodes (same task, swept env point and seed), with its standard error.
   */
  baseline?: string;
}

export interface FigureSpec {
  name: string;
  /** `line`: metric against a swept key, one line per agent; `scatter`: one metric against another, one point per cell. */
  kind: 'line' | 'scatter';
  x: string;
  y: string;
  tasks?: string[];
}

export interface StatisticsSpec {
  /** Bootstrap resamples for confidence intervals. */
  resamples: number;
  /** Confidence level of the intervals, e.g. 0.95. */
  confidence: number;
  /** Seed of the bootstrap generator, so intervals are reproducible. */
  seed: number;
}

export interface ExperimentSpec {
  name: string;
  description: string;
  seeds: number[];
  evaluation: EvaluationSpec;
  tasks: TaskSpec[];
  sweep: Sweep;
  tables: TableSpec[];
  figures: FigureSpec[];
  statistics: StatisticsSpec;
  /** The learning-curve metric plotted against steps (default `episodic_return`). */
  curveMetric: string;
}

/** A loaded experiment: the spec, the file it came from and the hash that identifies it. */
export interface LoadedExperiment {
  spec: ExperimentSpec;
  file: string;
  /** sha256 of the canonical JSON of the parsed file: formatting and comments do not change it. */
  hash: string;
  /** The parsed document, kept in the results directory so tables can be rebuilt without the file. */
  raw: unknown;
}
