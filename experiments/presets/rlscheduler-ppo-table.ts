/**
 * The table of experiments/presets/rlscheduler-ppo.yaml on RLScheduler's published protocol (10 sequences
 * of 1024 jobs at the table's start indices; `rlscheduler-protocol.ts`), which the runner's own evaluation
 * (50 held-out 256-job sequences) does not play:
 *   node dist/experiments/presets/rlscheduler-ppo-table.js [results/rlscheduler-ppo]
 * For every trace the experiment trained on, without and with backfilling: FCFS, SJF and F1, RLScheduler's
 * shipped bsld model (sampled as its table script samples it), the published RL cell, and each finished
 * run of a learned agent played greedily from its checkpoint (one cell per training seed), with the median
 * over the seeds, per agent label.
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
import { experimentOf } from '../records/experiment-of.js';
import { resultsLayout, runFiles } from '../records/layout.js';
import { readExperimentRecords } from '../records/read.js';
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
  /** Each learned agent's per-seed cells (in seed order) and their median, by agent label. */
  learned: { agent: string; seeds: { seed: number; run: string; bsld: number; values: number[] }[]; median: number }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(dir: string): Promise<void> {
  const learnedNames = new Set(
    listAgents()
      .filter((a) => a.kind === 'learned')
      .map((a) => a.name),
  );
  const runs = readExperimentRecords(dir, experimentOf(dir)).filter((r) => r.evaluation && learnedNames.has(r.run.config.agent.name));
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
    const ofTrace = runs.filter((x) => traceOf(x) === trace).sort((a, b) => a.run.index - b.run.index);
    const agents = [...new Set(ofTrace.map((r) => r.run.agent))];
    const played = new Map<string, { seed: number; run: string; cells: ProtocolCell[] }[]>();
    for (const agent of agents) {
      const own: { seed: number; run: string; cells: ProtocolCell[] }[] = [];
      for (const r of ofTrace.filter((x) => x.run.agent === agent).sort((a, b) => a.run.seed - b.run.seed)) {
        const checkpoint = join(resultsLayout(dir).run(r.run.id), runFiles.checkpoint);
        own.push({ seed: r.run.seed, run: r.run.id, cells: await policyColumn(checkpoint, { traces: [trace] }) });
      }
      played.set(agent, own);
    }
    for (const backfill of [false, true]) {
      const at = (c: ProtocolCell) => c.trace === trace && c.backfill === backfill;
      const bsld = Object.fromEntries(cells.filter(at).map((c) => [c.heuristic, c.mean.bsld]));
      const learned = agents.map((agent) => {
        const seeds = played.get(agent)!.map(({ seed, run, cells: own }) => {
          const cell = own.find(at)!;
          return { seed, run, bsld: cell.mean.bsld, values: cell.values.bsld };
        });
        return { agent, seeds, median: median(seeds.map((p) => p.bsld)) };
      });
      const published = PUBLISHED_RL.bsld[String(backfill) as 'false' | 'true'][trace] ?? null;
      rows.push({ trace, backfill, bsld, published, learned });
    }
  }
  const baseHeader = ['trace', 'backfilling', ...HEURISTICS.map((h) => LABELS[h]), LABELS.rl, 'published RL'];
  const baseLine = (r: Row) => [
    r.trace,
    r.backfill ? 'yes' : 'no',
    ...HEURISTICS.map((h) => r.bsld[h].toFixed(2)),
    r.bsld.rl?.toFixed(2) ?? '–',
    r.published?.toFixed(2) ?? '–',
  ];
  const bestHeuristic = (r: Row) => Math.min(...HEURISTICS.map((h) => r.bsld[h]));
  const learnedHeader = ['trace', 'backfilling', 'agent', 'training seeds', 'per seed', 'median', 'published RL', 'best heuristic'];
  const learnedLines = rows.flatMap((r) =>
    r.learned.map((l) => [
      r.trace,
      r.backfill ? 'yes' : 'no',
      l.agent,
      l.seeds.map((p) => p.seed).join(', '),
      l.seeds.map((p) => p.bsld.toFixed(2)).join(', '),
      l.median.toFixed(2),
      r.published?.toFixed(2) ?? '–',
      bestHeuristic(r).toFixed(2),
    ]),
  );
  const mdTable = (header: string[], lines: string[][], left: number) => [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < left ? '---' : '---:')).join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ];
  const md = [
    '# schedlab PPO, trained from scratch, on RLScheduler’s table protocol',
    '',
    'Average bounded slowdown (lower is better) over the 10 sequences of 1024 jobs at RLScheduler’s start indices',
    '(the `schedlab reproduce rlscheduler-table` protocol). RLScheduler (shipped): its bsld model for the trace, sampled',
    'with TensorFlow’s seeded multinomial as its table script does. Regenerate with',
    '`node dist/experiments/presets/rlscheduler-ppo-table.js ' + dir + '`.',
    '',
    '## Heuristics and RLScheduler',
    '',
    ...mdTable(baseHeader, rows.map(baseLine), 2),
    '',
    '## schedlab PPO',
    '',
    'Each training seed’s evaluated model (the one its validation selected), played greedily; the median is over the',
    'training seeds.',
    '',
    ...mdTable(learnedHeader, learnedLines, 5),
    '',
    ...rows.flatMap((r) =>
      r.learned.map((l) => {
        const verdict = [
          r.published === null
            ? null
            : `${l.median <= r.published ? 'at or below' : 'above'} the published RL cell ${r.published.toFixed(2)}`,
          `${l.median < bestHeuristic(r) ? 'below' : 'not below'} the best heuristic (${bestHeuristic(r).toFixed(2)})`,
        ].filter(Boolean);
        return `- ${r.trace}, ${r.backfill ? 'with' : 'without'} backfilling, ${l.agent}: median ${l.median.toFixed(2)}, ${verdict.join(', ')}.`;
      }),
    ),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'protocol-table.md'), md);
  writeFileSync(
    join(dir, 'protocol-table.csv'),
    stringify([
      ['trace', 'backfilling', 'column', 'seed', 'bsld'],
      ...rows.flatMap((r) => [
        ...Object.entries(r.bsld).map(([h, v]) => [r.trace, r.backfill, LABELS[h] ?? h, '', v]),
        ...(r.published === null ? [] : [[r.trace, r.backfill, 'published RL', '', r.published]]),
        ...r.learned.flatMap((l) => [
          ...l.seeds.map((p) => [r.trace, r.backfill, l.agent, p.seed, p.bsld]),
          [r.trace, r.backfill, `${l.agent} (median)`, '', l.median],
        ]),
      ]),
    ]),
  );
  writeFileSync(join(dir, 'protocol-table.json'), JSON.stringify(rows, null, 1) + '\n');
  process.stdout.write(md);
}

const dir = process.argv[2] ?? 'results/rlscheduler-ppo';
main(dir).catch((e: unknown) => {
  process.stderr.write(`rlscheduler-ppo-table: ${e instanceof SchedlabError ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
