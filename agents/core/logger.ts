/**
 * The training logger: one row per iteration (or any unit the agent chooses) with CleanRL's metric
 * names, appended to `progress.csv` (fixed columns, the learning curve) and `progress.jsonl` (every
 * recorded key) in the output folder, and kept in memory (`rows`) for callbacks and tests.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';

/** CleanRL's names, in CSV column order after `global_step`. */
export const CLEANRL_METRICS = [
  'episodic_return',
  'episodic_length',
  'SPS',
  'learning_rate',
  'value_loss',
  'policy_loss',
  'entropy',
  'old_approx_kl',
  'approx_kl',
  'clipfrac',
  'explained_variance',
] as const;

export type LogRow = Record<string, number>;

export interface LoggerOptions {
  /** Folder for progress.csv / progress.jsonl; nothing is written when undefined. */
  dir?: string;
  /** CSV columns after `global_step` (default: CLEANRL_METRICS plus the keys of the first row). */
  columns?: readonly string[];
  /** Also print each row to this sink (e.g. stderr) in a compact form. */
  print?: (line: string) => void;
}

export class TrainingLogger {
  readonly rows: LogRow[] = [];
  private pending: LogRow = {};
  private columns: string[] | undefined;
  private readonly csvPath: string | undefined;
  private readonly jsonlPath: string | undefined;

  constructor(private readonly options: LoggerOptions = {}) {
    if (options.dir) {
      mkdirSync(options.dir, { recursive: true });
      this.csvPath = join(options.dir, 'progress.csv');
      this.jsonlPath = join(options.dir, 'progress.jsonl');
      writeFileSync(this.jsonlPath, '');
    }
  }

  record(name: string, value: number): void {
    this.pending[name] = value;
  }

  /** Writes the recorded values as one row at `globalStep` and starts a new row; returns the row. */
  dump(globalStep: number): LogRow {
    const row: LogRow = { global_step: globalStep, ...this.pending };
    this.pending = {};
    this.rows.push(row);
    if (!this.columns) {
      const base = this.options.columns ?? CLEANRL_METRICS;
      this.columns = ['global_step', ...base, ...Object.keys(row).filter((k) => k !== 'global_step' && !base.includes(k))];
      if (this.csvPath) writeFileSync(this.csvPath, stringify([this.columns]));
    }
    if (this.csvPath)
      appendFileSync(this.csvPath, stringify([this.columns.map((c) => (row[c] === undefined || Number.isNaN(row[c]) ? '' : row[c]))]));
    if (this.jsonlPath)
      appendFileSync(
        this.jsonlPath,
        JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n',
      );
    this.options.print?.(
      Object.entries(row)
        .filter(([k]) => ['global_step', 'episodic_return', 'SPS', 'approx_kl', 'value_loss', 'explained_variance'].includes(k))
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
        .join(' '),
    );
    return row;
  }
}
