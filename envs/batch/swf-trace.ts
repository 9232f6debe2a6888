/**
 * A loaded SWF workload: the filtered jobs ordered by job number, as struct-of-arrays (typed arrays
 * indexed by job position), with the machine size and the whole-trace normalisation constants.
 */
export interface SwfTrace {
  /** Where the trace came from (a path, or a label for in-memory text). */
  readonly source: string;
  /** `; MaxNodes: N` (nodes of the machine). */
  readonly maxNodes: number;
  /** `; MaxProcs: P`, or N when the header has no MaxProcs. */
  readonly maxProcs: number;
  /** Processors per node, P / N. */
  readonly procsPerNode: number;
  /** Number of jobs kept (after filtering). */
  readonly size: number;
  /** SWF field 1. */
  readonly jobNumber: Int32Array;
  /** Field 2, seconds. */
  readonly submit: Float64Array;
  /** Field 4 (10 where the trace has a negative run time), seconds. */
  readonly runTime: Float64Array;
  /** Field 9, or the run time where field 9 is -1, seconds. */
  readonly requestTime: Float64Array;
  /** max(field 5, field 8). */
  readonly procs: Int32Array;
  /** ceil(procs / procsPerNode). */
  readonly nodes: Int32Array;
  /** Fields 10, 12, 13, 14 (-1 = unknown). */
  readonly requestMemory: Float64Array;
  readonly userId: Int32Array;
  readonly groupId: Int32Array;
  readonly executable: Int32Array;
  /** Normalisation constants over every data line, before filtering (raw field values). */
  readonly norm: {
    maxRunTime: number;
    maxRequestMemory: number;
    maxUserId: number;
    maxGroupId: number;
    maxExecutable: number;
  };
  /** The header's `; Key: value` lines, in file order (repeated keys included). */
  readonly header: readonly SwfHeaderEntry[];
  /** What loading did: data lines read, jobs kept, dropped for run time 0, negative run times set to 10, bad lines skipped. */
  readonly stats: SwfLoadStats;
}

export interface SwfLoadStats {
  lines: number;
  dataLines: number;
  kept: number;
  droppedZeroRunTime: number;
  negativeRunTimeSetTo10: number;
  skippedBadLines: number;
  /** Line numbers (1-based) of the first few skipped lines, in file order. */
  skippedLines: number[];
  /** The first few skipped lines' problems (line number: message), for the report. */
  skippedExamples: string[];
}

/** One `; Key: value` header line. */
export interface SwfHeaderEntry {
  key: string;
  /** The value as written, prose included. */
  value: string;
  /** The value's leading number (`338` of `338 (batch partition; 512 total)`, `1024` of `1,024`), when it has one. */
  number?: number;
  /** What follows the leading number (`(batch partition; 512 total)`), when anything does. */
  note?: string;
  /** 1-based line number. */
  line: number;
}
