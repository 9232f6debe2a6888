import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPAT_HEURISTICS,
  RLSCHEDULER_HEURISTICS,
  RLSCHEDULER_TRACES,
  runRlschedulerProtocol,
  TABLE_METRICS,
  type ProtocolCell,
} from '../../../experiments/reproduce/rlscheduler-protocol.js';
import { compareWithPublished, writeTables } from '../../../experiments/reproduce/rlscheduler-tables.js';

/** The tables' CSV: plain fields, no quoting. */
function parse(text: string): Record<string, string>[] {
  const [header, ...lines] = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return lines.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i]])));
}

const committed = join(import.meta.dirname, '..', '..', '..', 'results', 'rlscheduler-table');

describe('schedlab reproduce rlscheduler-table', () => {
  it('regenerates every committed cell exactly, and all 60 published cells compare equal (ten 1024-job sequences, 3 traces, both backfilling modes)', () => {
    const heuristics = [...RLSCHEDULER_HEURISTICS, ...COMPAT_HEURISTICS];
    const traces = Object.keys(RLSCHEDULER_TRACES);
    const cells = runRlschedulerProtocol({ traces, heuristics });
    expect(cells).toHaveLength(traces.length * heuristics.length * 2);
    const rows = parse(readFileSync(join(committed, 'tables.csv'), 'utf8'));
    for (const c of cells) {
      for (const metric of TABLE_METRICS) {
        const row = rows.find(
          (r) => r.trace === c.trace && r.backfill === String(c.backfill) && r.heuristic === c.heuristic && r.metric === metric,
        );
        expect(Number(row?.mean), `${c.trace} ${c.heuristic} ${c.backfill} ${metric}`).toBe(c.mean[metric]);
        expect(c.values[metric]).toHaveLength(10);
      }
    }
    // The regenerated cells themselves, not only the committed file, match the published tables.
    expect(compareWithPublished(cells)).toEqual({ compared: 60, mismatches: [] });
  }, 180_000);

  it('the committed tables equal the published RLScheduler tables in every cell (60 of 60)', () => {
    const rows = parse(readFileSync(join(committed, 'tables.csv'), 'utf8'));
    const cells: ProtocolCell[] = [];
    for (const r of rows.filter((x) => x.metric === 'bsld')) {
      const mean = (metric: string) =>
        Number(
          rows.find((x) => x.trace === r.trace && x.backfill === r.backfill && x.heuristic === r.heuristic && x.metric === metric)!.mean,
        );
      const starts = Object.keys(r)
        .filter((k) => k.startsWith('start_'))
        .map((k) => Number(k.slice(6)));
      cells.push({
        trace: r.trace,
        backfill: r.backfill === 'true',
        heuristic: r.heuristic,
        starts,
        sequenceLength: 1024,
        values: { bsld: [], rlschedulerUtilization: [], utilization: [] },
        mean: { bsld: Number(r.mean), rlschedulerUtilization: mean('rlschedulerUtilization'), utilization: mean('utilization') },
      });
    }
    expect(compareWithPublished(cells)).toEqual({ compared: 60, mismatches: [] });
    expect(readFileSync(join(committed, 'tables.md'), 'utf8')).toContain('60 of 60 cells equal');
  });

  it("keeps RLScheduler's utilization figure under its own name and adds the true utilization, in [0, 1]", () => {
    const rows = parse(readFileSync(join(committed, 'tables.csv'), 'utf8'));
    const util = rows.filter((r) => r.metric === 'utilization' && r.heuristic !== 'rl');
    const rls = rows.filter((r) => r.metric === 'rlschedulerUtilization' && r.heuristic !== 'rl');
    expect(util).toHaveLength(42);
    expect(rls).toHaveLength(42);
    for (const r of util) {
      for (const [k, v] of Object.entries(r)) {
        if (k !== 'mean' && !k.startsWith('start_')) continue;
        expect(Number(v)).toBeGreaterThan(0);
        expect(Number(v)).toBeLessThanOrEqual(1);
      }
    }
    const md = readFileSync(join(committed, 'tables.md'), 'utf8');
    expect(md).toContain("### Resource utilization, RLScheduler's formula (its published column), with backfilling");
    expect(md).toContain('### Utilization in [0, 1], without backfilling');
  });

  it('writes Markdown tables (rows traces, columns heuristics) and a long CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rls-'));
    const cells = runRlschedulerProtocol({
      traces: ['lublin-2'],
      heuristics: ['fcfs', 'sjf', 'wfp3-compat'],
      starts: [1981, 2756],
      sequenceLength: 128,
    });
    const [md, csv] = writeTables(dir, cells);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('### Average bounded slowdown, without backfilling');
    expect(text).toContain("### Resource utilization, RLScheduler's formula (its published column), with backfilling");
    expect(text).toContain('### Utilization in [0, 1], with backfilling');
    expect(text).toMatch(/\| trace \| FCFS \| SJF \|/);
    expect(text).toMatch(/\| Lublin-2 \| \d+\.\d\d \| \d+\.\d\d \|/);
    expect(text).toContain('WFP3-compat');
    const rows = parse(readFileSync(csv, 'utf8'));
    expect(rows).toHaveLength(3 * 2 * 3);
    const c = cells.find((x) => x.heuristic === 'sjf' && x.backfill)!;
    expect(Number(rows.find((r) => r.heuristic === 'sjf' && r.backfill === 'true' && r.metric === 'bsld')!.mean)).toBe(c.mean.bsld);
  });
});
