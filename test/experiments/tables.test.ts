import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../experiments/records/read.js';
import { parseExperiment } from '../../experiments/spec/load.js';
import { ALL_TASKS, buildTable } from '../../experiments/tables/aggregate.js';
import { tableCsv } from '../../experiments/tables/format-csv.js';
import { latexEscape, tableLatex } from '../../experiments/tables/format-latex.js';
import { tableMarkdown } from '../../experiments/tables/format-markdown.js';

const spec = parseExperiment(
  JSON.stringify({
    name: 'tables-test',
    seeds: [0, 1],
    tasks: [
      { label: 'task_A', env: 'CartPole-v1', agents: ['fast', 'slow'] },
      { label: 'task B', env: 'CartPole-v1', agents: ['fast', 'slow'] },
    ],
    tables: [{ name: 'main', aggregate: true, metrics: [{ metric: 'cost', better: 'lower' }, { metric: 'score', label: 'Score %', better: 'higher' }] }],
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

  it('pools tasks with a stratified bootstrap: constant strata give a zero-width interval', () => {
    // fast: costs {0, 0} and {100, 100}; every stratified resample is {0, 0, 100, 100}, IQM 50.
    expect(model.rows[4].stats.cost).toMatchObject({ n: 4, iqm: 50, ciLow: 50, ciHigh: 50 });
  });

  it('marks the best mean per task, lower or higher as each metric says', () => {
    expect([...model.best.cost].sort()).toEqual([0, 2, 4]);
    expect([...model.best.score].sort()).toEqual([1, 3, 5]);
  });

  it('formats CSV, Markdown and booktabs LaTeX', () => {
    const csv = tableCsv(model).split('\n');
    expect(csv[0]).toBe('task,agent,failed_runs,cost_n,cost_mean,cost_std,cost_iqm,cost_ci_low,cost_ci_high,score_n,score_mean,score_std,score_iqm,score_ci_low,score_ci_high');
    expect(csv[2]).toBe('task_A,slow,1,1,5,,5,5,5,1,30,,30,30,30');
    const md = tableMarkdown(model).split('\n');
    expect(md[0]).toBe('| Task | Agent | cost ↓ | cost IQM [95 % CI] | Score % ↑ | Score % IQM [95 % CI] |');
    expect(md[2]).toBe('| task_A | fast | **0 ± 0** | 0 [0, 0] | 15.00 ± 7.07 | 15.00 [10.00, 20.00] |');
    expect(md[3]).toContain('| task_A | slow (1 failed) | 5.00 ± – |');
    const tex = tableLatex(model);
    expect(tex).toContain('\\begin{tabular}{llrrrr}');
    expect(tex).toContain('task\\_A & fast & \\textbf{0 $\\pm$ 0} & 0 [0, 0] & 15.00 $\\pm$ 7.07 & 15.00 [10.00, 20.00] \\\\');
    expect(tex).toContain('Score \\% $\\uparrow$');
    expect(tex.match(/\\midrule/g)).toHaveLength(3);
    expect(latexEscape('a_b & c%~^\\')).toBe('a\\_b \\& c\\%\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
  });
});
