/**
 * An incremental parser for the Standard Workload Format: feed it text in chunks of any size
 * (`push`), then `finish()` returns the trace. It applies RLScheduler's loading rules (the trace loader of
 * HPCSimPickJobs.py, https://github.com/DIR-LAB/deep-batch-scheduler; the format is the Parallel Workloads
 * Archive's, https://www.cs.huji.ac.il/labs/parallel/workload/swf.html):
 * - `;` lines are comments, except `; MaxNodes: N` and `; MaxProcs: P` (P = N when absent; N = P when
 *   only MaxProcs is given). Every `; Key: value` line is kept in `header` (keys the reader does not know
 *   included). Real logs write prose after values (`; MaxNodes: 338 (batch partition; 512 total)`): the
 *   leading number is read (`1,024` as 1024) and the rest kept as the entry's `note`; only a MaxNodes or
 *   MaxProcs value that does not start with a positive integer is an error (the first of a repeated one counts);
 *   other `;` lines (free text, continuation lines) are comments;
 * - procs = max(field 5, field 8); requested time = field 9, or the run time when field 9 is -1;
 * - the normalisation constants (max run time, requested memory, user, group, executable) are the maxima
 *   of the raw fields over every data line, before filtering;
 * - a negative run time becomes 10 (kept), a run time of 0 drops the job; jobs are then ordered by
 *   job number (a stable sort).
 * A malformed data line (fewer than 18 fields, a field that is not a number, a non-integer where the
 * format has integers) and a job wider than the machine are reported by line and field: `onBadLine:
 * 'error'` throws an InputFileError, `'skip'` leaves the line out and counts it in `stats`.
 */
import { InputFileError } from '../../core/errors.js';
import type { SwfHeaderEntry, SwfLoadStats, SwfTrace } from './swf-trace.js';

export type BadLinePolicy = 'error' | 'skip';

const FIELD_NAMES = [
  'job number',
  'submit time',
  'wait time',
  'run time',
  'allocated processors',
  'average CPU time',
  'used memory',
  'requested processors',
  'requested time',
  'requested memory',
  'status',
  'user id',
  'group id',
  'executable number',
  'queue number',
  'partition number',
  'preceding job',
  'think time',
];
/**
 * `; Key: value`: at most one space after `;`, a key of letters, digits, spaces and `_-/.` before the
 * first colon. Indented continuation lines and URLs (`http://…`) are not keys.
 */
const HEADER = /^; ?([A-Za-z][\w\-/. ]*?)\s*:(?!\/\/)\s*(.*?)\s*$/;
/** A leading number (sign, digits grouped by commas as in `1,024`, decimals), then anything. */
const LEADING_NUMBER = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![.,]?\d)(.*)$/;
/** Skipped lines whose numbers are kept for the report. */
export const SKIPPED_LINES_KEPT = 5;

/** 1-based fields read as integers (Python's int() in the reference); field 6 may be fractional. */
const INTEGER_FIELDS = [1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14];

export class SwfParser {
  private pending = '';
  private lineNo = 0;
  private maxNodes: number | undefined;
  private maxProcs: number | undefined;
  private readonly headerEntries: SwfHeaderEntry[] = [];
  private readonly jobs = {
    line: [] as number[],
    jobNumber: [] as number[],
    submit: [] as number[],
    runTime: [] as number[],
    requestTime: [] as number[],
    procs: [] as number[],
    requestMemory: [] as number[],
    userId: [] as number[],
    groupId: [] as number[],
    executable: [] as number[],
  };
  private readonly norm = { maxRunTime: 0, maxRequestMemory: 0, maxUserId: 0, maxGroupId: 0, maxExecutable: 0 };
  private readonly stats: SwfLoadStats = {
    lines: 0,
    dataLines: 0,
    kept: 0,
    droppedZeroRunTime: 0,
    negativeRunTimeSetTo10: 0,
    skippedBadLines: 0,
    skippedLines: [],
    skippedExamples: [],
  };

  constructor(
    readonly source: string,
    readonly onBadLine: BadLinePolicy = 'error',
  ) {}

  /** Parses every complete line in `chunk`; a trailing partial line waits for the next chunk. */
  push(chunk: string): void {
    const text = this.pending + chunk;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      this.line(text.slice(from, nl));
      from = nl + 1;
    }
    this.pending = text.slice(from);
  }

  finish(): SwfTrace {
    if (this.pending.length) this.line(this.pending);
    this.pending = '';
    if (this.stats.dataLines === 0)
      throw new InputFileError(
        this.source,
        undefined,
        undefined,
        `the trace is empty (${this.stats.lines} lines, no job line); accepted: an SWF file with at least one job`,
      );
    if (this.maxNodes === undefined && this.maxProcs === undefined) {
      throw new InputFileError(
        this.source,
        undefined,
        'MaxNodes',
        "the header has no '; MaxNodes: N' (or '; MaxProcs: P') line; accepted: an SWF file whose header gives the machine size",
      );
    }
    const maxNodes = this.maxNodes ?? this.maxProcs!;
    const maxProcs = this.maxProcs ?? maxNodes;
    const ppn = maxProcs / maxNodes;
    const j = this.jobs;
    // A job wider than the machine could never start: report it by line, as a malformed one.
    const keep: number[] = [];
    for (let i = 0; i < j.jobNumber.length; i++) {
      const nodes = Math.ceil(j.procs[i] / ppn);
      if (nodes > maxNodes) {
        this.bad(
          j.line[i],
          'requested processors',
          `the job needs ${j.procs[i]} processors (${nodes} nodes) but the machine has ${maxProcs} processors on ${maxNodes} nodes`,
        );
        continue;
      }
      keep.push(i);
    }
    // Ordered by job number; Array.prototype.sort is stable, as Python's.
    keep.sort((a, b) => j.jobNumber[a] - j.jobNumber[b]);
    const n = keep.length;
    if (n === 0)
      throw new InputFileError(
        this.source,
        undefined,
        undefined,
        `the trace holds no job (${this.stats.dataLines} data lines, ${this.stats.droppedZeroRunTime} dropped for run time 0, ${this.stats.skippedBadLines} bad lines skipped); accepted: an SWF file with at least one job of positive run time`,
      );
    const pick = <A extends Int32Array | Float64Array>(Ctor: new (n: number) => A, src: number[]): A => {
      const out = new Ctor(n);
      for (let k = 0; k < n; k++) out[k] = src[keep[k]];
      return out;
    };
    const procs = pick(Int32Array, j.procs);
    const nodes = new Int32Array(n);
    for (let k = 0; k < n; k++) nodes[k] = Math.ceil(procs[k] / ppn);
    this.stats.kept = n;
    return {
      source: this.source,
      maxNodes,
      maxProcs,
      procsPerNode: ppn,
      size: n,
      jobNumber: pick(Int32Array, j.jobNumber),
      submit: pick(Float64Array, j.submit),
      runTime: pick(Float64Array, j.runTime),
      requestTime: pick(Float64Array, j.requestTime),
      procs,
      nodes,
      requestMemory: pick(Float64Array, j.requestMemory),
      userId: pick(Int32Array, j.userId),
      groupId: pick(Int32Array, j.groupId),
      executable: pick(Int32Array, j.executable),
      norm: { ...this.norm },
      header: this.headerEntries.map((e) => ({ ...e })),
      stats: { ...this.stats, skippedLines: [...this.stats.skippedLines], skippedExamples: [...this.stats.skippedExamples] },
    };
  }

  private line(raw: string): void {
    const lineNo = ++this.lineNo;
    this.stats.lines++;
    const line = raw.trim();
    if (line.length === 0) return;
    if (line.startsWith(';')) {
      this.header(raw.replace(/\r$/, ''), lineNo);
      return;
    }
    this.stats.dataLines++;
    const parts = line.split(/\s+/);
    if (parts.length < 18) {
      this.bad(
        lineNo,
        FIELD_NAMES[parts.length],
        `has ${parts.length} fields (field ${parts.length + 1} is missing); accepted: 18 whitespace-separated SWF fields`,
        parts.length + 1,
      );
      return;
    }
    const f = new Array<number>(15);
    for (let k = 1; k <= 14; k++) {
      const text = parts[k - 1];
      const v = Number(text);
      const integer = INTEGER_FIELDS.includes(k);
      if (text === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
        this.bad(lineNo, FIELD_NAMES[k - 1], `is '${text}'; accepted: ${integer ? 'an integer' : 'a number'} (-1 = unknown)`, k);
        return;
      }
      f[k] = v;
    }
    let runTime = f[4];
    const procs = Math.max(f[5], f[8]);
    const requestTime = f[9] === -1 ? runTime : f[9];
    // The maxima are over the raw fields of every data line, before the run-time fixes and filtering.
    if (runTime > this.norm.maxRunTime) this.norm.maxRunTime = runTime;
    if (f[10] > this.norm.maxRequestMemory) this.norm.maxRequestMemory = f[10];
    if (f[12] > this.norm.maxUserId) this.norm.maxUserId = f[12];
    if (f[13] > this.norm.maxGroupId) this.norm.maxGroupId = f[13];
    if (f[14] > this.norm.maxExecutable) this.norm.maxExecutable = f[14];
    if (runTime < 0) {
      runTime = 10;
      this.stats.negativeRunTimeSetTo10++;
    }
    if (runTime === 0) {
      this.stats.droppedZeroRunTime++;
      return;
    }
    const j = this.jobs;
    j.line.push(lineNo);
    j.jobNumber.push(f[1]);
    j.submit.push(f[2]);
    j.runTime.push(runTime);
    j.requestTime.push(requestTime);
    j.procs.push(procs);
    j.requestMemory.push(f[10]);
    j.userId.push(f[12]);
    j.groupId.push(f[13]);
    j.executable.push(f[14]);
  }

  private header(line: string, lineNo: number): void {
    const m = HEADER.exec(line);
    if (!m) return; // a comment or a continuation line of free text
    const key = m[1];
    const value = m[2];
    const num = LEADING_NUMBER.exec(value);
    const entry: SwfHeaderEntry = { key, value, line: lineNo };
    if (num) {
      entry.number = Number(num[1].replace(/,/g, ''));
      const note = num[2].trim();
      if (note) entry.note = note;
    }
    this.headerEntries.push(entry);
    const known = (['MaxNodes', 'MaxProcs'] as const).find((k) => k.toLowerCase() === key.toLowerCase());
    if (!known || (known === 'MaxNodes' ? this.maxNodes : this.maxProcs) !== undefined) return; // the first of a repeated key holds
    if (entry.number === undefined || !Number.isInteger(entry.number) || entry.number <= 0) {
      throw new InputFileError(
        this.source,
        lineNo,
        known,
        `is '${value}'; accepted: a positive integer, optionally followed by free text (e.g. '338 (batch partition; 512 total)')`,
      );
    }
    if (known === 'MaxNodes') this.maxNodes = entry.number;
    else this.maxProcs = entry.number;
  }

  private bad(lineNo: number, field: string, problem: string, fieldNo?: number): void {
    const fieldLabel = fieldNo !== undefined ? `${fieldNo} (${field})` : field;
    if (this.onBadLine === 'error') {
      throw new InputFileError(this.source, lineNo, fieldLabel, `${problem} (set onBadLine: 'skip' to leave such lines out, counted)`);
    }
    this.stats.skippedBadLines++;
    if (this.stats.skippedLines.length < SKIPPED_LINES_KEPT) this.stats.skippedLines.push(lineNo);
    if (this.stats.skippedExamples.length < SKIPPED_LINES_KEPT)
      this.stats.skippedExamples.push(`line ${lineNo}, field ${fieldLabel}: ${problem}`);
  }
}

/** Parses a whole SWF text at once (tests, small traces). */
export function parseSwf(text: string, source = '<text>', onBadLine: BadLinePolicy = 'error'): SwfTrace {
  const parser = new SwfParser(source, onBadLine);
  parser.push(text);
  return parser.finish();
}
