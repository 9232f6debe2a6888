import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPAT_HEURISTICS, RLSCHEDULER_HEURISTICS, runRlschedulerProtocol } from '../../../experiments/reproduce/rlscheduler-protocol.js';
import { writeTables } from '../../../experiments/reproduce/rlscheduler-tables.js';

/** The tables' CSV: plain fields, no quoting. */
function parse(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n').map((l) => l.split(','));
  return lines.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i]])));
}

const committed = join(import.meta.dirname, '..', '..', '..', 'results', 'rlscheduler-table');

describe('schedlab reproduce rlscheduler-table', () => {
  it('regenerates the committed Lublin-2 rows exactly (the protocol: ten 1024-job sequences, both backfilling modes)', () => {
    const heuristics = [...RLSCHEDULER_HEURISTICS, ...COMPAT_HEURISTICS];
    const cells = runRlschedulerProtocol({ traces: ['lublin-2'], heuristics });
    expect(cells).toHaveLength(heuristics.length * 2);
    const rows = parse(readFileSync(join(committed, 'tables.csv'), 'utf8')) as Record<string, string>[];
    for (const c of cells) {
      for (const metric of ['bsld', 'utilization'] as const) {
        const row = rows.find((r) => r.trace === 'lublin-2' && r.backfill === String(c.backfill) && r.heuristic === c.heuristic && r.metric === metric);
        expect(Number(row?.mean), `${c.heuristic} ${c.backfill} ${metric}`).toBe(c.mean[metric]);
        expect(c.values[metric]).toHaveLength(10);
      }
    }
  });

  it('writes Markdown tables (rows traces, columns heuristics) and a long CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rls-'));
    const cells = runRlschedulerProtocol({ traces: ['lublin-2'], heuristics: ['fcfs', 'sjf', 'wfp3-compat'], starts: [1981, 2756], sequenceLength: 128 });
    const [md, csv] = writeTables(dir, cells);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('### Average bounded slowdown, without backfilling');
    expect(text).toContain('### Resource utilization, with backfilling');
    expect(text).toMatch(/\| trace \| FCFS \| SJF \|/);
    expect(text).toMatch(/\| Lublin-2 \| \d+\.\d\d \| \d+\.\d\d \|/);
    expect(text).toContain('WFP3-compat');
    const rows = parse(readFileSync(csv, 'utf8')) as Record<string, string>[];
    expect(rows).toHaveLength(3 * 2 * 2);
    const c = cells.find((x) => x.heuristic === 'sjf' && x.backfill)!;
    expect(Number(rows.find((r) => r.heuristic === 'sjf' && r.backfill === 'true' && r.metric === 'bsld')!.mean)).toBe(c.mean.bsld);
  });
});
