import { describe, expect, it } from 'vitest';
import { SchedlabError } from '../../core/errors.js';
import type { RunRecord } from '../../experiments/records/read.js';
import { loadExperiment, parseExperiment } from '../../experiments/spec/load.js';
import { ALL_TASKS, buildTable } from '../../experiments/tables/aggregate.js';
import { tableCsv } from '../../experiments/tables/format-csv.js';
import { latexEscape, tableLatex } from '../../experiments/tables/format-latex.js';
import { tableMarkdown } from '../../experiments/tables/format-markdown.js';
import { checkTableMetricsAtLoad } from '../../experiments/tables/metric-probe.js';
import { tempDir, writeExperiment } from './helpers.js';

const spec = parseExperiment(
  JSON.stringify({
    name: 'tables-test',
    seeds: [0, 1],
    tasks: [
      { label: 'task_A', env: 'CartPole-v1', agents: ['fast', 'slow'] },
      { label: 'task B', env: 'CartPole-v1', agents: ['fast', 'slow'] },
    ],
    tables: [
      {
        name: 'main',
        aggregate: true,
        metrics: [
          { metric: 'cost', better: 'lower' },
          { metric: 'score', label: 'Score %', better: 'higher' },
        ],
      },
    ],
  }),
  'tables.json',
).spec;

let index = 0;
function record(task: string, agent: string, seed: number, metrics: Record<string, number> | null): RunRecord {
  const run = { id: `${index}`, index: index++, seed, evalSeed: seed + 1000, task, agent, sweep: {}, config: {} as never };
  if (!metrics) return { run, error: { message: 'boom' }, curve: [] };
  const summary = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { mean: v, std: 0, values: [v] }]));
  return { run, evaluation: { episodes: 1, seed: seed + 1000, metrics: summary }, curve: [] };
}

const records = [
  record('task_A', 'fast', 0, { cost: 0, score: 10 }),
  record('task_A', 'fast', 1, { cost: 0, score: 20 }),
  record('task_A', 'slow', 0, { cost: 5, score: 30 }),
  record('task_A', 'slow', 1, null),
  record('task B', 'fast', 0, { cost: 100, score: 1 }),
  record('task B', 'fast', 1, { cost: 100, score: 3 }),
  record('task B', 'slow', 0, { cost: 120, score: 2 }),
  record('task B', 'slow', 1, { cost: 140, score: 4 }),
];

describe('tables', () => {
  const model = buildTable(spec, spec.tables[0], records);

  it('has one row per cell in sweep order, then one aggregate row per agent', () => {
    expect(model.rows.map((r) => [r.task, r.agent, r.failed, r.stats.cost?.n])).toEqual([
      ['task_A', 'fast', 0, 2],
      ['task_A', 'slow', 1, 1],
      ['task B', 'fast', 0, 2],
      ['task B', 'slow', 0, 2],
      [ALL_TASKS, 'fast', 0, 4],
      [ALL_TASKS, 'slow', 1, 3],
    ]);
  });

  it('pools tasks: 4 runs give an IQM, but no bootstrap interval (too few runs)', () => {
    // fast: costs {0, 0} and {100, 100}: IQM of {0, 0, 100, 100} is 50; n = 4 < 10, so no interval.
    expect(model.rows[4].stats.cost).toMatchObject({ n: 4, iqm: 50, values: [0, 0, 100, 100] });
    expect(model.rows[4].stats.cost!.ciLow).toBeNaN();
    // 2 runs: the IQM would equal the mean, so it is not given.
    expect(model.rows[0].stats.score!.iqm).toBeNaN();
  });

  it('pools tasks with a stratified bootstrap: constant strata give a zero-width interval', () => {
    const many = ['task_A', 'task B'].flatMap((task, k) =>
      [0, 1, 2, 3, 4].map((seed) => record(task, 'fast', seed, { cost: 100 * k, score: 1 })),
    );
    const ten = parseExperiment(
      JSON.stringify({
        name: 'ten',
        seeds: [0, 1, 2, 3, 4],
        tasks: [
          { label: 'task_A', env: 'CartPole-v1', agents: ['fast'] },
          { label: 'task B', env: 'CartPole-v1', agents: ['fast'] },
        ],
        tables: [{ name: 'main', aggregate: true, metrics: ['cost'] }],
      }),
      'ten.json',
    ).spec;
    const pooled = buildTable(ten, ten.tables[0], many).rows[2];
    // Every stratified resample is five 0s and five 100s: IQM 50, interval [50, 50].
    expect(pooled.stats.cost).toMatchObject({ n: 10, iqm: 50, ciLow: 50, ciHigh: 50 });
  });

  it('marks the best mean per task, lower or higher as each metric says', () => {
    expect([...model.best.cost].sort()).toEqual([0, 2, 4]);
    expect([...model.best.score].sort()).toEqual([1, 3, 5]);
  });

  it('formats CSV, Markdown and booktabs LaTeX', () => {
    const csv = tableCsv(model).split('\n');
    expect(csv[0]).toBe(
      'task,agent,failed_runs,cost_n,cost_mean,cost_std,cost_iqm,cost_ci_low,cost_ci_high,score_n,score_mean,score_std,score_iqm,score_ci_low,score_ci_high',
    );
    // One run: no IQM and no interval (they would repeat the score).
    expect(csv[2]).toBe('task_A,slow,1,1,5,,,,,1,30,,,,');
    expect(csv[5]).toMatch(/^all tasks,fast,0,4,50,57\.7\d+,50,,,4,/);
    const md = tableMarkdown(model).split('\n');
    // The aggregate rows have 4 runs, so the IQM column is there (without an interval: n < 10).
    expect(md[0]).toBe('| Task | Agent | cost ↓ | cost IQM | Score % ↑ | Score % IQM |');
    expect(md[2]).toBe('| task_A | fast | **0 ± 0** | – | 15.00 ± 7.07 | – |');
    expect(md[3]).toContain('| task_A | slow (1 failed) | 5.00 ± – |');
    expect(md[6]).toBe('| all tasks | fast | **50.00 ± 57.74** | 50.00 | 8.50 ± 8.58 | 6.50 |');
    const tex = tableLatex(model);
    expect(tex).toContain('\\begin{tabular}{llrrrr}');
    expect(tex).toContain('task\\_A & fast & \\textbf{0 $\\pm$ 0} & -- & 15.00 $\\pm$ 7.07 & -- \\\\');
    expect(tex).toContain('Score \\% $\\uparrow$');
    expect(tex.match(/\\midrule/g)).toHaveLength(3);
    expect(latexEscape('a_b & c%~^\\')).toBe('a\\_b \\& c\\%\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
  });
});

describe('tables with a baseline: paired differences over the same evaluation episodes', () => {
  const paired = parseExperiment(
    JSON.stringify({
      name: 'paired-test',
      seeds: [0, 1],
      tasks: [{ label: 'q', env: 'CartPole-v1', agents: ['base', 'better'] }],
      tables: [{ name: 'main', baseline: 'base', metrics: [{ metric: 'cost', better: 'lower' }] }],
    }),
    'paired.json',
  ).spec;
  const episodes = (task: string, agent: string, seed: number, values: number[]): RunRecord => {
    const run = { id: `${index}`, index: index++, seed, evalSeed: seed + 1000, task, agent, sweep: {}, config: {} as never };
    return {
      run,
      evaluation: {
        episodes: values.length,
        seed: seed + 1000,
        metrics: { cost: { mean: values.reduce((a, b) => a + b) / values.length, std: 0, values } },
      },
      curve: [],
    };
  };
  // Episodes differ wildly in cost, but 'better' is cheaper by 1, 2, 1, 2, 1, 2 on each of them.
  const runs = [
    episodes('q', 'base', 0, [10, 100, 1000]),
    episodes('q', 'base', 1, [20, 200, 2000]),
    episodes('q', 'better', 1, [19, 198, 1999]),
    episodes('q', 'better', 0, [8, 99, 998]),
  ];
  const model = buildTable(paired, paired.tables[0], runs);

  it('matches runs by seed and pools the per-episode differences', () => {
    expect(model.rows.map((r) => r.agent)).toEqual(['base', 'better']);
    expect(model.rows[0].paired?.cost).toBeNull();
    const d = model.rows[1].paired!.cost!;
    expect(d.n).toBe(6);
    expect(d.mean).toBeCloseTo(-1.5, 12);
    // The differences are 1 and 2 three times each: sd = sqrt(0.3), se = sd / sqrt(6).
    expect(d.se).toBeCloseTo(Math.sqrt(0.3) / Math.sqrt(6), 12);
    // Unpaired, the cells' spread (std over seeds) dwarfs the difference.
    expect(model.rows[1].stats.cost!.std).toBeGreaterThan(100);
  });

  it('gives the seed-level difference: one mean difference per training seed and a Student-t interval over the seeds', () => {
    const d = model.rows[1].paired!.cost!;
    // Seed 0: (−2 −1 −2)/3; seed 1: (−1 −2 −1)/3.
    expect(d.perSeed).toEqual([-5 / 3, -4 / 3]);
    expect(d.seedMean).toBeCloseTo(-1.5, 12);
    // t(0.975, 1) = 12.7062047361747 (scipy.stats.t.ppf); sd of the two per-seed means = sqrt(2)/6.
    const half = 12.706204736174698 * (Math.sqrt(2) / 6 / Math.sqrt(2));
    expect(d.seedCiLow).toBeCloseTo(-1.5 - half, 8);
    expect(d.seedCiHigh).toBeCloseTo(-1.5 + half, 8);
  });

  it('adds per-seed and per-episode columns to CSV, Markdown and LaTeX, and explains them and n in the note', () => {
    const csv = tableCsv(model).split('\n');
    expect(csv[0]).toBe(
      'task,agent,failed_runs,baseline,cost_n,cost_mean,cost_std,cost_iqm,cost_ci_low,cost_ci_high,cost_minus_baseline_n,cost_minus_baseline_mean,cost_minus_baseline_se,' +
        'cost_minus_baseline_seeds,cost_minus_baseline_seed_mean,cost_minus_baseline_seed_ci_low,cost_minus_baseline_seed_ci_high,cost_minus_baseline_per_seed',
    );
    expect(csv[1]).toMatch(/^q,base,0,base,2,555,[\d.]+,,,,0,,,0,,,,$/);
    expect(csv[2]).toMatch(
      /^q,better,0,base,2,553\.5,[\d.]+,,,,6,-1\.5,0\.2236\d+,2,-1\.5,-3\.617\d+,0\.617\d+,-1\.6666666666666667 -1\.3333333333333333$/,
    );
    const md = tableMarkdown(model);
    // 2 runs per cell: neither an IQM nor a bootstrap interval column.
    expect(md.split('\n')[0]).toBe(
      '| Task | Agent | cost ↓ | cost − base (paired, per seed [95 % t-CI]) | cost − base (paired, per episode) |',
    );
    expect(md.split('\n')[3]).toBe(
      '| q | better | **553.5 ± 261.9** | -1.50 [-3.62, 0.618] (2 seeds: -1.67, -1.33) | -1.50 ± 0.224 (n 6) |',
    );
    expect(md).toContain('(n = 2 runs)');
    expect(md).toContain('No IQM: with n < 4 runs per cell the 25 % trimmed mean trims nothing and equals the mean.');
    expect(md).toContain("No bootstrap interval: over fewer than 10 runs per cell a percentile bootstrap only spans the runs' range.");
    expect(md).toContain(
      '− base (paired, per seed): for each training seed, the mean difference from base over the same evaluation episodes',
    );
    expect(md).not.toContain('IQM [');
    const tex = tableLatex(model);
    expect(tex).toContain('\\begin{tabular}{llrrr}');
    expect(tex).toContain('-1.50 [-3.62, 0.618] (2 seeds: -1.67, -1.33) & -1.50 $\\pm$ 0.224 (n 6) \\\\');
  });

  it('rejects a baseline that names no agent of the table', () => {
    const doc = {
      name: 'p',
      seeds: [0],
      tasks: [{ label: 'q', env: 'CartPole-v1', agents: ['base'] }],
      tables: [{ name: 'main', baseline: 'SJF', metrics: ['cost'] }],
    };
    expect(() => parseExperiment(JSON.stringify(doc), 'p.json')).toThrow(
      /tables\[0\]\.baseline.*'SJF', which names no agent of the table's tasks; agent labels: base/,
    );
  });
});

describe('a table metric the runs do not report is an error, not a table of dashes', () => {
  it('at table time: names the metric, the finished runs and the metrics they have', () => {
    const doc = JSON.parse(
      JSON.stringify({
        name: 'typo',
        seeds: [0, 1],
        tasks: [{ label: 'task_A', env: 'CartPole-v1', agents: ['fast', 'slow'] }],
        tables: [{ name: 'main', metrics: ['cost', 'scroe'] }],
      }),
    );
    const typo = parseExperiment(JSON.stringify(doc), 'typo.json').spec;
    const runs = records.filter((r) => r.run.task === 'task_A');
    expect(() => buildTable(typo, typo.tables[0], runs)).toThrow(SchedlabError);
    expect(() => buildTable(typo, typo.tables[0], runs)).toThrow(
      "table 'main': metric 'scroe' is reported by none of its 3 finished runs; did you mean 'score'? Metrics reported: cost, score",
    );
  });

  it('at load time: a misspelt ClusterScheduling-v0 metric is refused with the key path and the env metrics', () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      tasks: [{ label: 'cluster', env: { id: 'ClusterScheduling-v0', options: { simuLen: 10 } }, agents: ['sjf'] }],
      tables: [{ name: 'main', metrics: [{ metric: 'slowdwn', better: 'lower' }] }],
    });
    expect(() => loadExperiment(file)).toThrow(
      /\(field tables\[0\]\.metrics\[0\]\.metric\): metric 'slowdwn' is not reported by any task of table 'main' \(ClusterScheduling-v0\); did you mean 'slowdown'\? Metrics reported: return, length, .*slowdown/,
    );
    // The correct spelling loads.
    const ok = writeExperiment(
      dir,
      {
        tasks: [{ label: 'cluster', env: { id: 'ClusterScheduling-v0', options: { simuLen: 10 } }, agents: ['sjf'] }],
        tables: [{ name: 'main', metrics: ['slowdown', 'return'] }],
      },
      'ok.yaml',
    );
    expect(loadExperiment(ok).spec.tables[0].metrics.map((m) => m.metric)).toEqual(['slowdown', 'return']);
  });

  it('at load time: an env that cannot be probed leaves the check to table time', () => {
    const spec = parseExperiment(
      JSON.stringify({
        name: 'p',
        seeds: [0],
        tasks: [{ label: 'q', env: 'CartPole-v1', agents: ['random'] }],
        tables: [{ name: 'main', metrics: ['anything'] }],
      }),
      'p.json',
    ).spec;
    expect(() => checkTableMetricsAtLoad(spec, 'p.json', () => null)).not.toThrow();
    expect(() => checkTableMetricsAtLoad(spec, 'p.json')).toThrow(/metric 'anything' is not reported .*Metrics reported: return, length/);
  });
});
