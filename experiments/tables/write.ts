/**
 * `schedlab table`: every table of the experiment as CSV, Markdown and LaTeX (the first table is
 * `table.*`, others `table-<name>.*`), and the per-run wall-clock times in `timing.csv`, kept apart so
 * the result tables are byte-identical across reruns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../records/atomic.js';
import { experimentOf } from '../records/experiment-of.js';
import { resultsLayout, runFiles } from '../records/layout.js';
import { readExperimentRecords, type RunRecord } from '../records/read.js';
import { readManifest } from '../run/results-dir.js';
import { buildTable, type TableModel } from './aggregate.js';
import { tableCsv } from './format-csv.js';
import { tableLatex } from './format-latex.js';
import { tableMarkdown } from './format-markdown.js';

export interface WrittenTables {
  tables: TableModel[];
  files: string[];
  records: RunRecord[];
  /** Runs of the experiment without a finished record (failed, or not run yet), per the manifest. */
  unfinished: number;
}

export function tableBaseName(index: number, name: string): string {
  return index === 0 ? 'table' : `table-${name}`;
}

export function writeTables(resultsDir: string): WrittenTables {
  const spec = experimentOf(resultsDir);
  const records = readExperimentRecords(resultsDir, spec);
  const files: string[] = [];
  const tables = spec.tables.map((t, i) => {
    const model = buildTable(spec, t, records);
    const base = join(resultsDir, tableBaseName(i, t.name));
    for (const [ext, text] of [
      ['csv', tableCsv(model)],
      ['md', tableMarkdown(model)],
      ['tex', tableLatex(model)],
    ] as const) {
      writeFileAtomic(`${base}.${ext}`, text);
      files.push(`${base}.${ext}`);
    }
    return model;
  });
  const timing = join(resultsDir, 'timing.csv');
  writeFileAtomic(timing, timingCsv(resultsDir, records));
  files.push(timing);
  const expected = readManifest(resultsDir)?.runs ?? records.length;
  return { tables, files, records, unfinished: expected - records.filter((r) => r.evaluation).length };
}

function timingCsv(resultsDir: string, records: RunRecord[]): string {
  const rows = records.map((r) => {
    const file = join(resultsLayout(resultsDir).run(r.run.id), runFiles.timing);
    const t = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    return [
      r.run.id,
      r.run.task,
      r.run.agent,
      r.run.seed,
      r.evaluation ? 'ok' : 'failed',
      t.wallSeconds ?? '',
      t.learnSeconds ?? '',
      t.evaluateSeconds ?? '',
      t.meanSPS ?? '',
      t.host ?? '',
    ];
  });
  return stringify(rows, {
    header: true,
    columns: ['run', 'task', 'agent', 'seed', 'status', 'wall_seconds', 'learn_seconds', 'evaluate_seconds', 'mean_sps', 'host'],
  });
}
