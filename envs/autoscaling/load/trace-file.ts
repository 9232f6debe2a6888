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

/** Seconds (since the epoch for dates) and the time of day, or null when `text` is neither form. */
function parseTime(text: string): { t: number; timeOfDay: number } | null {
  const m = DATE.exec(text);
  if (m) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
    const s = Number(m[6]);
    const timeOfDay = h * 3600 + mi * 60 + s;
    return { t: Date.UTC(y, mo - 1, d) / 1000 + timeOfDay, timeOfDay };
  }
  if (text === '' || !Number.isFinite(Number(text))) return null;
  const t = Number(text);
  return { t, timeOfDay: ((t % 86400) + 86400) % 86400 };
}

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
  if (first < 0) throw new InputFileError(path, undefined, undefined, 'is empty (option load.path); expected a CSV of request timestamps or of time,rate rows');
  const header = lines[first].split(',').map((c) => c.trim().toLowerCase());
  const series = header.includes('rate') ? readRates(path, lines, first, header) : readTimestamps(path, lines, first);
  cache.set(key, series);
  return series;
}

function readTimestamps(path: string, lines: string[], first: number): TraceSeries {
  const times: number[] = [];
  let startTimeOfDay = 0;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cell = line.split(',')[0].trim();
    const parsed = parseTime(cell);
    if (!parsed) {
      if (i === first) continue; // a header row
      throw new InputFileError(path, i + 1, 'timestamp', `'${cell}' is not a time; expected YYYY-MM-DD HH:MM:SS[.fraction] or seconds`);
    }
    if (times.length === 0) startTimeOfDay = parsed.timeOfDay;
    else if (parsed.t < times[times.length - 1]) {
      throw new InputFileError(path, i + 1, 'timestamp', `'${cell}' is earlier than the row before; timestamps must not decrease`);
    }
    times.push(parsed.t);
  }
  if (times.length < 2) throw new InputFileError(path, undefined, undefined, `holds ${times.length} request timestamp(s) (option load.path); at least 2 are needed`);
  const t0 = times[0];
  const rel = Float64Array.from(times, (t) => t - t0);
  const duration = rel[rel.length - 1];
  if (!(duration > 0)) throw new InputFileError(path, undefined, undefined, 'has all its requests at one instant; the trace needs a duration');
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
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const parsed = parseTime(cells[timeCol] ?? '');
    if (!parsed) throw new InputFileError(path, i + 1, 'time', `'${cells[timeCol] ?? ''}' is not a time; expected seconds or YYYY-MM-DD HH:MM:SS`);
    const rate = Number(cells[rateCol]);
    if (cells[rateCol] === undefined || cells[rateCol] === '' || !Number.isFinite(rate) || rate < 0) {
      throw new InputFileError(path, i + 1, 'rate', `'${cells[rateCol] ?? ''}' is not a rate; expected a number >= 0 (requests/s)`);
    }
    if (times.length === 0) startTimeOfDay = parsed.timeOfDay;
    else if (parsed.t <= times[times.length - 1]) throw new InputFileError(path, i + 1, 'time', 'times must increase from row to row');
    times.push(parsed.t);
    rates.push(rate);
  }
  if (times.length < 2) throw new InputFileError(path, undefined, undefined, `holds ${times.length} rate row(s) (option load.path); at least 2 are needed`);
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
