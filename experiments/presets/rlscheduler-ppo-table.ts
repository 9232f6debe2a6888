/**
 * The table of experiments/presets/rlscheduler-ppo.yaml on RLScheduler's published protocol (10 sequences
 * of 1024 jobs at the table's start indices; `rlscheduler-protocol.ts`), which the runner's own evaluation
 * (50 held-out 256-job sequences) does not play:
 *   node dist/experiments/presets/rlscheduler-ppo-table.js [results/rlscheduler-ppo]
 * For every trace the experiment trained on, without and with backfilling: FCFS, SJF and F1, RLScheduler's
 * shipped bsld model (sampled as its table script samples it), the published RL cell, and each finished
 * PPO run's checkpoint played greedily (one column per training seed) with the median over the seeds.
 * The policies are the runs' evaluated models (the best on the validation episodes when the preset selects
 * one). It writes `protocol-table.md`, `protocol-table.csv` and `protocol-table.json` in the results
 * folder; the JSON holds every per-sequence value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { initBackend } from '../../agents/core/backend.js';
import { listAgents } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { resultsLayout, runFiles } from '../records/layout.js';
import { readRecords } from '../records/read.js';
import { runRlschedulerProtocol, type ProtocolCell } from '../reproduce/rlscheduler-protocol.js';
import { policyColumn, PUBLISHED_RL, runRlColumn } from '../reproduce/rlscheduler-rl.js';

const HEURISTICS = ['fcfs', 'sjf', 'f1'] as const;
const LABELS: Record<string, string> = { fcfs: 'FCFS', sjf: 'SJF', f1: 'F1', rl: 'RLScheduler (shipped)' };

interface Row {
  trace: string;
  backfill: boolean;
  /** Mean bounded slowdown over the ten sequences, by column. */
  bsld: Record<string, number>;
  published: number | null;
  /** PPO's per-seed cells, in seed order. */
  ppo: { seed: number; run: string; bsld: number; values: number[] }[];
  ppoMedian: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(dir: string): Promise<void> {
  const learned = new Set(
    listAgents()
      .filter((a) => a.kind === 'learned')
      .map((a) => a.name),
  );
  const runs = readRecords(dir).filter((r) => r.evaluation && learned.has(r.run.config.agent.name));
  if (runs.length === 0)
    throw new SchedlabError(`${dir}: no finished PPO runs; run  schedlab run experiments/presets/rlscheduler-ppo.yaml  first`);
  await initBackend('auto', null);
  const traceOf = (r: (typeof runs)[number]) => String(r.run.config.env.options.trace);
  const traces = [...new Set(runs.map(traceOf))];
  const cells: ProtocolCell[] = [
    ...runRlschedulerProtocol({ traces, heuristics: [...HEURISTICS] }),
    ...runRlColumn({ traces, metrics: ['bsld'] }),
  ];
  const rows: Row[] = [];
  for (const trace of traces) {
    const ppoCells: { seed: number; run: string; cells: ProtocolCell[] }[] = [];
    for (const r of runs.filter((x) => traceOf(x) === trace).sort((a, b) => a.run.seed - b.run.seed)) {
      const checkpoint = join(resultsLayout(dir).run(r.run.id), runFiles.checkpoint);
      ppoCells.push({ seed: r.run.seed, run: r.run.id, cells: await policyColumn(checkpoint, { traces: [trace] }) });
    }
    for (const backfill of [false, true]) {
      const at = (c: ProtocolCell) => c.trace === trace && c.backfill === backfill;
      const bsld = Object.fromEntries(cells.filter(at).map((c) => [c.heuristic, c.mean.bsld]));
      const ppo = ppoCells.map(({ seed, run, cells: own }) => {
        const cell = own.find(at)!;
        return { seed, run, bsld: cell.mean.bsld, values: cell.values.bsld };
      });
      const published = PUBLISHED_RL.bsld[String(backfill) as 'false' | 'true'][trace] ?? null;
      rows.push({ trace, backfill, bsld, published, ppo, ppoMedian: median(ppo.map((p) => p.bsld)) });
    }
  }
  const seeds = rows[0].ppo.map((p) => p.seed);
  const header = [
    'trace',
    'backfilling',
    ...HEURISTICS.map((h) => LABELS[h]),
    LABELS.rl,
    'published RL',
    ...seeds.map((s) => `PPO seed ${s}`),
    'PPO median',
  ];
  const line = (r: Row) => [
    r.trace,
    r.backfill ? 'yes' : 'no',
    ...HEURISTICS.map((h) => r.bsld[h].toFixed(2)),
    r.bsld.rl?.toFixed(2) ?? '–',
    r.published?.toFixed(2) ?? '–',
    ...r.ppo.map((p) => p.bsld.toFixed(2)),
    r.ppoMedian.toFixed(2),
  ];
  const md = [
    '# schedlab PPO, trained from scratch, on RLScheduler’s table protocol',
    '',
    'Average bounded slowdown (lower is better) over the 10 sequences of 1024 jobs at RLScheduler’s start indices',
    '(the `schedlab reproduce rlscheduler-table` protocol). PPO: each training seed’s evaluated model, played greedily;',
    'the median is over the training seeds. RLScheduler (shipped): its bsld model for the trace, sampled with TensorFlow’s',
    'seeded multinomial as its table script does. Regenerate with',
    '`node dist/experiments/presets/rlscheduler-ppo-table.js ' + dir + '`.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${line(r).join(' | ')} |`),
    '',
    ...rows.map((r) => {
      const best = Math.min(...HEURISTICS.map((h) => r.bsld[h]));
      const verdict = [
        r.published === null
          ? null
          : `${r.ppoMedian <= r.published ? 'at or below' : 'above'} the published RL cell ${r.published.toFixed(2)}`,
        `${r.ppoMedian < best ? 'below' : 'not below'} the best heuristic (${best.toFixed(2)})`,
      ].filter(Boolean);
      return `- ${r.trace}, ${r.backfill ? 'with' : 'without'} backfilling: PPO median ${r.ppoMedian.toFixed(2)}, ${verdict.join(', ')}.`;
    }),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'protocol-table.md'), md);
  writeFileSync(join(dir, 'protocol-table.csv'), stringify([header, ...rows.map(line)]));
  writeFileSync(join(dir, 'protocol-table.json'), JSON.stringify(rows, null, 1) + '\n');
  process.stdout.write(md);
}

const dir = process.argv[2] ?? 'results/rlscheduler-ppo';
main(dir).catch((e: unknown) => {
  process.stderr.write(`rlscheduler-ppo-table: ${e instanceof SchedlabError ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
