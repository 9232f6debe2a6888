/**
 * Reads a load trace into a cumulative request count N(t) over trace seconds. Two CSV shapes:
 * - request timestamps, one request per row, in the first column (a header such as `TIMESTAMP` is
 *   skipped): `YYYY-MM-DD HH:MM:SS[.fraction]` dates (read as given, without time zone) or seconds;
 *   the Azure LLM inference trace has this shape (`TIMESTAMP,ContextTokens,GeneratedTokens`);
 * - rates: a header naming `time` and `rate` columns, each row the rate (requests/s) from its time to
 *   the next row's (the last row lasts as long as the one before it).
 * The name `azure-llm-conv` stands for the bundled data/traces/azure-llm-conv.csv.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputFileError } from '../../../core/errors.js';

export interface TraceSeries {
  /** The file it came from, as given. */
  file: string;
  /** Length of the trace in seconds. */
  duration: number;
  /** Seconds since midnight at the trace's start (0 when times are plain seconds). */
  startTimeOfDay: number;
  /** Requests in [0, t) of trace time. */
  cumulative(t: number): number;
}

export const BUNDLED_TRACES: Record<string, string> = { 'azure-llm-conv': 'data/traces/azure-llm-conv.csv' };

/** The package root: the first folder above this module holding package.json (works from src and dist). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function resolveTracePath(path: string): string {
  const bundled = BUNDLED_TRACES[path];
  if (bundled) return join(packageRoot(), bundled);
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)Z?$/;
/** Plain seconds: a decimal number (no hex, binary, octal or `Infinity`, which `Number()` would also read). */
const SECONDS = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_FIELDS = [
  ['month', 1, 12],
  ['day', 1, 31],
  ['hour', 0, 23],
  ['minute', 0, 59],
] as const;

/** A cell that looks like a time but is not one (impossible date or clock field, non-decimal number). */
export class BadTime {
  constructor(readonly problem: string) {}
}

/**
 * Seconds (since the epoch for dates) and the time of day; a BadTime when `text` has the shape of a date
 * but a field out of range (month 1–12, a day the month has, hour 0–23, minute 0–59, second below 60);
 * null when `text` is neither form (a header cell).
 */
export function parseTime(text: string): { t: number; timeOfDay: number; isDate: boolean } | BadTime | null {
  const m = DATE.exec(text);
  if (m) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
    const s = Number(m[6]);
    const values = [mo, d, h, mi];
    for (let k = 0; k < DATE_FIELDS.length; k++) {
      const [name, lo, hi] = DATE_FIELDS[k];
      if (values[k] < lo || values[k] > hi) return new BadTime(`has ${name} ${m[k + 2]}, outside ${lo}–${hi}`);
    }
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (d > daysInMonth) return new BadTime(`has day ${m[3]}, but ${y}-${m[2]} has ${daysInMonth} days`);
    if (!(s < 60)) return new BadTime(`has second ${m[6]}, not below 60`);
    const timeOfDay = h * 3600 + mi * 60 + s;
    return { t: Date.UTC(y, mo - 1, d) / 1000 + timeOfDay, timeOfDay, isDate: true };
  }
  if (!SECONDS.test(text)) {
    // Starts like a number or a date but is not one: a malformed value, not a header.
    return /^[+-]?[\d.]/.test(text) ? new BadTime('is neither a date nor a decimal number of seconds') : null;
  }
  const t = Number(text);
  if (!Number.isFinite(t)) return new BadTime('is not a finite number of seconds');
  return { t, timeOfDay: ((t % 86400) + 86400) % 86400, isDate: false };
}

const TIME_ACCEPTED = 'accepted: YYYY-MM-DD HH:MM:SS[.fraction] (a real date and clock time) or decimal seconds';

const cache = new Map<string, TraceSeries>();

/** Reads and checks the trace at `path` (a bundled name or a file path); cached per file version. */
export function readTrace(path: string): TraceSeries {
  const file = resolveTracePath(path);
  let text: string;
  let key: string;
  try {
    const st = statSync(file);
    key = `${file}:${st.mtimeMs}:${st.size}`;
    const hit = cache.get(key);
    if (hit) return hit;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputFileError(path, undefined, undefined, `cannot be read (option load.path): ${(e as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0)
    throw new InputFileError(
      path,
      undefined,
      undefined,
      'is empty (option load.path); expected a CSV of request timestamps or of time,rate rows',
    );
  const header = lines[first].split(',').map((c) => c.trim().toLowerCase());
  const series = header.includes('rate') ? readRates(path, lines, first, header) : readTimestamps(path, lines, first);
  cache.set(key, series);
  return series;
}

/** A row whose time has the other form (date vs seconds) than the first row's: mixing them would jump by decades. */
function mixedForms(path: string, line: number, field: string, cell: string, isDate: boolean): InputFileError {
  return new InputFileError(
    path,
    line,
    field,
    `'${cell}' is ${isDate ? 'a date, but the first row gives seconds' : 'plain seconds, but the first row gives a date'}; accepted: one form for every row`,
  );
}

function readTimestamps(path: string, lines: string[], first: number): TraceSeries {
  const times: number[] = [];
  let startTimeOfDay = 0;
  let datesFrom = 0;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cell = line.split(',')[0].trim();
    const parsed = parseTime(cell);
    if (parsed instanceof BadTime) throw new InputFileError(path, i + 1, 'timestamp', `'${cell}' ${parsed.problem}; ${TIME_ACCEPTED}`);
    if (!parsed) {
      if (i === first) continue; // a header row
      throw new InputFileError(path, i + 1, 'timestamp', `'${cell}' is not a time; expected YYYY-MM-DD HH:MM:SS[.fraction] or seconds`);
    }
    if (times.length === 0) {
      startTimeOfDay = parsed.timeOfDay;
      datesFrom = parsed.isDate ? i + 1 : 0;
    } else if (parsed.isDate !== datesFrom > 0) throw mixedForms(path, i + 1, 'timestamp', cell, parsed.isDate);
    else if (parsed.t < times[times.length - 1]) {
      throw new InputFileError(path, i + 1, 'timestamp', `'${cell}' is earlier than the row before; timestamps must not decrease`);
    }
    times.push(parsed.t);
  }
  if (times.length < 2)
    throw new InputFileError(
      path,
      undefined,
      undefined,
      `holds ${times.length} request timestamp(s) (option load.path); at least 2 are needed`,
    );
  const t0 = times[0];
  const rel = Float64Array.from(times, (t) => t - t0);
  const duration = rel[rel.length - 1];
  if (!(duration > 0))
    throw new InputFileError(path, undefined, undefined, 'has all its requests at one instant; the trace needs a duration');
  return {
    file: path,
    duration,
    startTimeOfDay,
    // Requests strictly before t: binary search for the first timestamp >= t.
    cumulative: (t) => {
      let lo = 0;
      let hi = rel.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rel[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

function readRates(path: string, lines: string[], first: number, header: string[]): TraceSeries {
  const timeCol = header.indexOf('time');
  const rateCol = header.indexOf('rate');
  if (timeCol < 0) throw new InputFileError(path, first + 1, 'time', 'a rate trace needs a time column beside rate (header time,rate)');
  const times: number[] = [];
  const rates: number[] = [];
  let startTimeOfDay = 0;
  let datesFrom = 0;
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const parsed = parseTime(cells[timeCol] ?? '');
    if (parsed instanceof BadTime) throw new InputFileError(path, i + 1, 'time', `'${cells[timeCol]}' ${parsed.problem}; ${TIME_ACCEPTED}`);
    if (!parsed)
      throw new InputFileError(path, i + 1, 'time', `'${cells[timeCol] ?? ''}' is not a time; expected seconds or YYYY-MM-DD HH:MM:SS`);
    const rate = Number(cells[rateCol]);
    if (cells[rateCol] === undefined || !SECONDS.test(cells[rateCol]) || !Number.isFinite(rate) || rate < 0) {
      throw new InputFileError(path, i + 1, 'rate', `'${cells[rateCol] ?? ''}' is not a rate; expected a number >= 0 (requests/s)`);
    }
    if (times.length === 0) {
      startTimeOfDay = parsed.timeOfDay;
      datesFrom = parsed.isDate ? i + 1 : 0;
    } else if (parsed.isDate !== datesFrom > 0) throw mixedForms(path, i + 1, 'time', cells[timeCol], parsed.isDate);
    else if (parsed.t <= times[times.length - 1]) throw new InputFileError(path, i + 1, 'time', 'times must increase from row to row');
    times.push(parsed.t);
    rates.push(rate);
  }
  if (times.length < 2)
    throw new InputFileError(path, undefined, undefined, `holds ${times.length} rate row(s) (option load.path); at least 2 are needed`);
  const t0 = times[0];
  const n = times.length;
  const starts = Float64Array.from(times, (t) => t - t0);
  const lastWidth = starts[n - 1] - starts[n - 2];
  const duration = starts[n - 1] + lastWidth;
  // Cumulative requests at each row start.
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + rates[i] * ((i + 1 < n ? starts[i + 1] : duration) - starts[i]);
  return {
    file: path,
    duration,
    startTimeOfDay,
    cumulative: (t) => {
      if (t <= 0) return 0;
      if (t >= duration) return cum[n];
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= t) lo = mid;
        else hi = mid - 1;
      }
      return cum[lo] + rates[lo] * (t - starts[lo]);
    },
  };
}
