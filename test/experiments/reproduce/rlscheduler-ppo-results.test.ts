/**
 * The committed results of experiments/presets/rlscheduler-ppo.yaml replay: a PPO model played from its
 * committed checkpoint on RLScheduler's protocol gives the per-sequence values `protocol-table.json` holds,
 * and the README's medians are that file's, the five-seed medians with results/rlscheduler-ppo-seeds included.
 * So no number of results/rlscheduler-ppo is typed in by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../agents/core/backend.js';
import { policyColumn } from '../../../experiments/reproduce/rlscheduler-rl.js';

const results = join(import.meta.dirname, '..', '..', '..', 'results', 'rlscheduler-ppo');
const moreSeeds = join(import.meta.dirname, '..', '..', '..', 'results', 'rlscheduler-ppo-seeds');

interface Row {
  trace: string;
  backfill: boolean;
  learned: { agent: string; seeds: { seed: number; run: string; bsld: number; values: number[] }[]; median: number }[];
}

beforeAll(async () => {
  await initBackend('wasm', null);
});

describe('results/rlscheduler-ppo', () => {
  const rows = JSON.parse(readFileSync(join(results, 'protocol-table.json'), 'utf8')) as Row[];

  it('a committed PPO checkpoint replays its protocol cells (Lublin-1, both backfilling modes) exactly', async () => {
    for (const backfill of [false, true]) {
      const row = rows.find((r) => r.trace === 'lublin-1' && r.backfill === backfill)!;
      const seed = row.learned.find((l) => l.agent === 'PPO')!.seeds.find((s) => s.seed === 1)!;
      const [cell] = await policyColumn(join(results, 'runs', seed.run, 'checkpoint'), { traces: ['lublin-1'], backfill: [backfill] });
      expect(cell.values.bsld).toEqual(seed.values);
      expect(cell.mean.bsld).toBe(seed.bsld);
    }
  }, 300_000);

  it('the README states the medians of protocol-table.json', () => {
    const readme = readFileSync(join(results, 'README.md'), 'utf8');
    for (const row of rows) for (const l of row.learned) expect(readme).toContain(l.median.toFixed(2));
  });

  it('the READMEs state the five-seed medians: seeds 0–2 here and 3–4 in rlscheduler-ppo-seeds, per trace, agent and backfilling', () => {
    const moreRows = JSON.parse(readFileSync(join(moreSeeds, 'protocol-table.json'), 'utf8')) as Row[];
    const readmes = [readFileSync(join(results, 'README.md'), 'utf8'), readFileSync(join(moreSeeds, 'README.md'), 'utf8')];
    const checked: string[] = [];
    for (const more of moreRows) {
      for (const l of more.learned) {
        const row = rows.find((r) => r.trace === more.trace && r.backfill === more.backfill)!;
        const seeds = [...row.learned.find((x) => x.agent === l.agent)!.seeds, ...l.seeds];
        expect(seeds.map((s) => s.seed)).toEqual([0, 1, 2, 3, 4]);
        const sorted = seeds.map((s) => s.bsld).sort((a, b) => a - b);
        for (const readme of readmes) expect(readme).toContain(`five-seed median ${sorted[2].toFixed(2)}`);
        checked.push(`${more.trace}/${more.backfill}/${l.agent}`);
      }
    }
    expect(checked).toHaveLength(4);
  });
});
