/**
 * Demand series for CapacityPlanning-v0: the two real series derived at load time from bundled traces,
 * a CSV of one value per period, and the synthetic AR(1) and Poisson processes.
 *
 * - `hpc2n-daily`: busy cores per day on HPC2N's 240-core "Seth" cluster (Parallel Workloads Archive,
 *   data/traces/HPC2N-2002-2.2-cln.swf.gz): each job with a positive run time occupies its allocated
 *   processors (field 5; field 8 when 5 is -1) from submit + wait (fields 2 + 3, wait -1 read as 0) for its
 *   run time (field 4); a day's value is the time-average number of busy cores over that local day
 *   (core-seconds in the day / 86,400), days counted in the header's TimeZone (UTC+1, daylight saving
 *   ignored) from UnixStartTime. The first and last days, only partly covered by the log, are left out.
 * - `azure-llm-conv`: requests per minute of the Azure LLM inference conversation trace
 *   (data/traces/azure-llm-conv.csv, Patel et al., ISCA 2024): requests whose timestamp falls in each full
 *   minute from the first request (the trace covers one hour, so some 59 values).
 * - a CSV path: one non-negative number per line (an optional header line that starts with a letter);
 *   a negative, missing or non-numeric value is an error naming the file and line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputFileError, OptionError } from '../../core/errors.js';
import { packageRoot, resolveTracePath } from '../batch/swf-reader.js';

/** A recorded series of demand per period. */
export interface DemandSeries {
  /** `hpc2n-daily`, `azure-llm-conv` or the CSV path as given. */
  readonly name: string;
  readonly values: Float64Array;
  /** What one value counts. */
  readonly unit: string;
  /** Seconds per period, or null when the series carries no time stamps (a CSV). */
  readonly periodSeconds: number | null;
  /** Local time of period 0's start in seconds since 1970-01-01 00:00 (for day and week phases), or null. */
  readonly startSeconds: number | null;
  /** The series' natural season in periods (7 for daily values, 1440 for per-minute ones), 1 without one. */
  readonly season: number;
}

export const BUNDLED_SERIES = ['hpc2n-daily', 'azure-llm-conv'] as const;

const cache = new Map<string, DemandSeries>();

/** Loads a bundled series by name, or a CSV file by path (cached per file version). */
export function loadDemandSeries(demand: string): DemandSeries {
  if (demand === 'hpc2n-daily') return cached('hpc2n-daily', hpc2nDaily);
  if (demand === 'azure-llm-conv') return cached('azure-llm-conv', azureRequestsPerMinute);
  const path = resolve(demand);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new OptionError(
      'demand',
      `is '${demand}': no such file (${path})`,
      "'hpc2n-daily' | 'azure-llm-conv' | 'ar1' | 'poisson' | the path of a CSV file of one value per period",
      'CapacityPlanning-v0',
    );
  }
  const st = statSync(path);
  return cached(`${path}:${st.mtimeMs}:${st.size}`, () => readDemandCsv(demand, readFileSync(path, 'utf8')));
}

function cached(key: string, load: () => DemandSeries): DemandSeries {
  let s = cache.get(key);
  if (!s) {
    s = load();
    cache.set(key, s);
  }
  return s;
}

/** Parses a demand CSV's text; `file` names it in errors. */
export function readDemandCsv(file: string, text: string): DemandSeries {
  const lines = text.split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const values: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const cell = lines[i].replace(/\r$/, '').trim();
    if (i === 0 && /^[A-Za-z_]/.test(cell) && !/^(nan|inf|infinity)$/i.test(cell)) continue; // a header
    if (cell === '') throw new InputFileError(file, i + 1, 'demand', 'is missing (an empty line); accepted: one number >= 0 per line');
    if (cell.includes(','))
      throw new InputFileError(file, i + 1, 'demand', `is '${cell}': more than one column; accepted: one number >= 0 per line`);
    const v = Number(cell);
    if (!Number.isFinite(v))
      throw new InputFileError(file, i + 1, 'demand', `is '${cell}', not a number; accepted: one number >= 0 per line`);
    if (v < 0) throw new InputFileError(file, i + 1, 'demand', `is ${v}, negative; accepted: a number >= 0`);
    values.push(v);
  }
  if (values.length === 0) throw new InputFileError(file, undefined, 'demand', 'holds no value; accepted: one number >= 0 per line');
  return { name: file, values: Float64Array.from(values), unit: 'demand units', periodSeconds: null, startSeconds: null, season: 1 };
}

const DAY = 86_400;

/** Busy cores per local day from the bundled HPC2N log (see the module comment for the rules). */
function hpc2nDaily(): DemandSeries {
  const path = resolveTracePath('hpc2n');
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('latin1');
  } catch (e) {
    throw new InputFileError(
      path,
      undefined,
      undefined,
      `cannot be read as gzip (${(e as Error).message}); accepted: the bundled HPC2N .swf.gz`,
    );
  }
  return busyCoresPerDay(path, text);
}

/** Busy cores per local day of an SWF text (exported for tests on small logs). */
export function busyCoresPerDay(file: string, text: string): DemandSeries {
  let unixStart: number | undefined;
  let timeZone = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  const procs: number[] = [];
  let lastSubmit = -Infinity;
  let lineNo = 0;
  let from = 0;
  while (from < text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    const line = text.slice(from, nl).trim();
    from = nl + 1;
    lineNo++;
    if (line === '') continue;
    if (line.startsWith(';')) {
      const m = /^;\s*(UnixStartTime|TimeZone):\s*(-?\d+)/.exec(line);
      if (m) {
        if (m[1] === 'UnixStartTime') unixStart = Number(m[2]);
        else timeZone = Number(m[2]);
      }
      continue;
    }
    const f = line.split(/\s+/);
    if (f.length < 8) throw new InputFileError(file, lineNo, 'fields', `has ${f.length} fields; accepted: SWF lines of 18 fields`);
    const submit = Number(f[1]);
    const wait = Number(f[2]);
    const run = Number(f[3]);
    const p = Number(f[4]) > 0 ? Number(f[4]) : Number(f[7]);
    if (![submit, wait, run, p].every(Number.isFinite))
      throw new InputFileError(file, lineNo, 'fields 2-5', `'${f.slice(1, 5).join(' ')}' are not numbers`);
    if (submit > lastSubmit) lastSubmit = submit;
    if (run <= 0 || p <= 0) continue;
    const start = submit + Math.max(0, wait);
    starts.push(start);
    ends.push(start + run);
    procs.push(p);
  }
  if (unixStart === undefined)
    throw new InputFileError(file, undefined, 'UnixStartTime', "the header has no '; UnixStartTime: N' line, needed to place days");
  if (starts.length === 0) throw new InputFileError(file, undefined, undefined, 'holds no job with a positive run time');
  const origin = unixStart + timeZone; // local seconds since the epoch at trace time 0
  const dayOf = (t: number) => Math.floor((origin + t) / DAY);
  let firstStart = Infinity;
  for (const s of starts) if (s < firstStart) firstStart = s;
  const firstDay = dayOf(firstStart) + 1;
  const lastDay = dayOf(lastSubmit) - 1;
  const n = lastDay - firstDay + 1;
  if (n < 1) throw new InputFileError(file, undefined, undefined, 'covers less than one full day');
  const busy = new Float64Array(n);
  for (let j = 0; j < starts.length; j++) {
    const a = origin + starts[j];
    const b = origin + ends[j];
    for (let d = Math.max(firstDay, Math.floor(a / DAY)); d <= Math.min(lastDay, Math.floor(b / DAY)); d++) {
      const overlap = Math.min(b, (d + 1) * DAY) - Math.max(a, d * DAY);
      if (overlap > 0) busy[d - firstDay] += procs[j] * overlap;
    }
  }
  for (let i = 0; i < n; i++) busy[i] /= DAY;
  return {
    name: 'hpc2n-daily',
    values: busy,
    unit: 'busy cores (daily mean)',
    periodSeconds: DAY,
    startSeconds: firstDay * DAY,
    season: 7,
  };
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)/;

/** Requests per full minute of the bundled Azure LLM conversation trace. */
function azureRequestsPerMinute(): DemandSeries {
  const path = join(packageRoot(), 'data', 'traces', 'azure-llm-conv.csv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputFileError(path, undefined, undefined, `cannot be read (${(e as Error).message})`);
  }
  return requestsPerMinute(path, text);
}

/** Requests per full minute of a CSV of request timestamps (first column, a header row skipped). */
export function requestsPerMinute(file: string, text: string): DemandSeries {
  const times: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const cell = lines[i].split(',')[0].trim();
    if (cell === '') continue;
    const m = STAMP.exec(cell);
    if (!m) {
      if (times.length === 0 && i === 0) continue; // the header
      throw new InputFileError(file, i + 1, 'TIMESTAMP', `'${cell}' is not a time; expected YYYY-MM-DD HH:MM:SS[.fraction]`);
    }
    times.push(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 1000 + Number(m[6]));
  }
  if (times.length < 2) throw new InputFileError(file, undefined, undefined, 'holds fewer than two request timestamps');
  const t0 = times[0];
  const minutes = Math.floor((times[times.length - 1] - t0) / 60);
  if (minutes < 1) throw new InputFileError(file, undefined, undefined, 'covers less than one full minute');
  const counts = new Float64Array(minutes);
  for (const t of times) {
    const k = Math.floor((t - t0) / 60);
    if (k >= 0 && k < minutes) counts[k]++;
  }
  return { name: 'azure-llm-conv', values: counts, unit: 'requests per minute', periodSeconds: 60, startSeconds: t0, season: 1440 };
}

/** Inversion sampling of Poisson(λ) from a precomputed CDF (exact up to ~1e-15 of tail mass). */
export class PoissonSampler {
  private readonly cdf: Float64Array;

  constructor(readonly lambda: number) {
    const kMax = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
    this.cdf = new Float64Array(kMax + 1);
    let logp = -lambda;
    let acc = 0;
    for (let k = 0; k <= kMax; k++) {
      if (k > 0) logp += Math.log(lambda) - Math.log(k);
      acc += Math.exp(logp);
      this.cdf[k] = acc;
    }
    if (lambda === 0) this.cdf.fill(1);
  }

  sample(u: number): number {
    const c = this.cdf;
    let lo = 0;
    let hi = c.length - 1;
    if (u >= c[hi]) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
