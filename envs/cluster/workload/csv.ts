/**
 * A job list from a CSV file, so the env can be driven by a user's own trace. One job per line:
 *
 *     arrival,length,demand_0,…,demand_{numRes−1}
 *
 * arrival is the time step at which the job comes (integer ≥ 0; several jobs may share a step and come in
 * file order), length its duration in steps (1 … maxJobLen) and demand_r its units of resource r
 * (0 … maxJobSize, at least one unit in all). An optional header line (first field not a number), empty
 * lines and lines starting with `#` are skipped. The file is one sequence that every reset replays; its
 * arrivals end ("no_new_job") after the step of the last arrival. A malformed line is reported with the
 * file, the line number and the field.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputFileError } from '../../../core/errors.js';
import { SequenceBuilder, type JobSequence, type WorkloadParams, type WorkloadSource } from './source.js';

export class CsvWorkload implements WorkloadSource {
  readonly type = 'csv';
  readonly options: Record<string, unknown>;
  private readonly sequence: JobSequence;

  constructor(
    readonly path: string,
    p: WorkloadParams,
  ) {
    this.options = { type: 'csv', path };
    this.sequence = readJobList(path, p);
  }

  sequences(): JobSequence[] {
    return [this.sequence];
  }
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function readJobList(path: string, p: WorkloadParams): JobSequence {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputFileError(
      path,
      undefined,
      undefined,
      `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); expected a CSV job list`,
    );
  }
  let rows: ParsedRecord[];
  try {
    rows = parse(text, {
      info: true,
      comment: '#',
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new InputFileError(path, err.lines, undefined, `is not valid CSV: ${err.message}`);
  }
  const fields = ['arrival', 'length', ...Array.from({ length: p.numRes }, (_, r) => `demand_${r}`)];
  const expected = `${fields.length} fields (${fields.join(',')})`;
  if (rows.length && !/^[+-]?\d/.test(rows[0].record[0] ?? '')) {
    if (rows[0].record.length !== fields.length) {
      throw new InputFileError(
        path,
        rows[0].info.lines,
        undefined,
        `header has ${rows[0].record.length} fields; expected ${expected} for numRes ${p.numRes}`,
      );
    }
    rows = rows.slice(1);
  }
  if (!rows.length) throw new InputFileError(path, undefined, undefined, `holds no jobs; expected lines of ${expected}`);

  const jobs: { arrival: number; length: number; demand: number[]; order: number }[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== fields.length) {
      throw new InputFileError(path, line, undefined, `has ${record.length} fields; expected ${expected} for numRes ${p.numRes}`);
    }
    const int = (i: number, min: number, max: number, why: string): number => {
      const raw = record[i];
      const v = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(v)) throw new InputFileError(path, line, fields[i], `is '${raw}'; expected an integer ${why}`);
      if (v < min || v > max) throw new InputFileError(path, line, fields[i], `is ${v}; expected an integer ${why}`);
      return v;
    };
    // Times are 32-bit integers in the env (and episodeMaxLength is at most 1e9): a larger step would wrap.
    const arrival = int(0, 0, 1_000_000_000, 'in 0 … 1000000000 (limit: times are 32-bit integers)');
    const length = int(1, 1, p.maxJobLen, `in 1 … ${p.maxJobLen} (maxJobLen)`);
    const demand = fields.slice(2).map((_, r) => int(2 + r, 0, p.maxJobSize, `in 0 … ${p.maxJobSize} (maxJobSize)`));
    if (demand.every((d) => d === 0))
      throw new InputFileError(path, line, 'demand_0', 'all demands are 0; a job needs at least one unit of some resource');
    jobs.push({ arrival, length, demand, order: jobs.length });
  }
  // Stable by arrival, so jobs of one step come in file order.
  jobs.sort((a, b) => a.arrival - b.arrival || a.order - b.order);
  const seq = new SequenceBuilder(p.numRes);
  for (const j of jobs) seq.add(j.arrival, j.length, j.demand);
  return seq.build(jobs[jobs.length - 1].arrival + 1);
}
