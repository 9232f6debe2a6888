/**
 * The per-interval figures of experiments/presets/wan-te.yaml, which the experiment file's figure kinds
 * (`line`: a metric against a swept key; `scatter`: one metric against another) cannot express:
 *   node dist/experiments/presets/wan-te-figures.js [results/wan-te]
 * For every finished run of the results directory it rebuilds the env and the agent from the run record
 * (a learned agent from its checkpoint), replays the run's evaluation episode (same seed, same
 * determinism) and records MLU and MLU/OPT per test interval, after checking that the replay's mean
 * MLU/OPT equals the run's evaluation.json. It writes, under <results>/figures/:
 * - `wan-te-ratio-cdf.{vl.json,svg,png}`: the CDF of MLU/OPT per policy over the test intervals (all seeds
 *   pooled), one panel per task;
 * - `wan-te-mlu-over-time.{vl.json,svg,png}`: MLU per test interval (mean over seeds) per policy, with OPT;
 * - `wan-te-intervals.csv`: the data of both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { initBackend } from '../../agents/core/backend.js';
import { listAgents, makeAgent } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import type { ResetResult } from '../../envs/core/env.js';
import { make } from '../../envs/index.js';
import { renderSvg, svgToPng } from '../figures/render.js';
import { resultsLayout, runFiles } from '../records/layout.js';
import { readRecords } from '../records/read.js';

interface Row {
  task: string;
  agent: string;
  seed: number;
  index: number;
  mlu: number;
  opt: number;
  ratio: number;
}

const CONFIG = { font: 'DejaVu Sans, sans-serif', view: { stroke: null } };

async function main(dir: string): Promise<void> {
  const layout = resultsLayout(dir);
  const records = readRecords(dir).filter((r) => r.evaluation);
  if (records.length === 0) throw new SchedlabError(`${dir}: no finished runs; run  schedlab run experiments/presets/wan-te.yaml  first`);
  const rows: Row[] = [];
  for (const { run, evaluation } of records) {
    const { env: envConfig, agent: agentConfig } = run.config;
    const env = make(envConfig.id, envConfig.options);
    const learned = listAgents().some((a) => a.name === agentConfig.name && a.kind === 'learned');
    if (learned) await initBackend('auto', null);
    const agent = makeAgent(agentConfig.name, env, agentConfig.options, { seed: run.seed, envId: envConfig.id });
    if (learned) await agent.load(join(layout.run(run.id), runFiles.checkpoint));
    const first: ResetResult<unknown> = env.reset({ seed: run.evalSeed });
    let { observation, info } = first;
    agent.onEpisodeStart?.();
    const ratios: number[] = [];
    for (;;) {
      const step = env.step(agent.act(observation, { mask: info.actionMask, deterministic: run.config.evaluation.deterministic, info }));
      observation = step.observation;
      info = step.info;
      rows.push({
        task: run.task,
        agent: run.agent,
        seed: run.seed,
        index: info.index as number,
        mlu: info.mlu as number,
        opt: info.opt as number,
        ratio: info.ratio as number,
      });
      ratios.push(info.ratio as number);
      if (step.terminated || step.truncated) break;
    }
    env.close();
    agent.dispose?.();
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const recorded = evaluation!.metrics.ratio_mean?.mean;
    if (recorded === undefined || Math.abs(mean - recorded) > 1e-9 * recorded) {
      throw new SchedlabError(
        `${run.task} / ${run.agent} seed ${run.seed}: the replay's mean MLU/OPT ${mean} differs from the run's evaluation.json (${recorded})`,
      );
    }
  }
  mkdirSync(layout.figures, { recursive: true });
  const csv =
    [
      'task,agent,seed,index,mlu,opt,ratio',
      ...rows.map((r) => [JSON.stringify(r.task), JSON.stringify(r.agent), r.seed, r.index, r.mlu, r.opt, r.ratio].join(',')),
    ].join('\n') + '\n';
  writeFileSync(join(layout.figures, 'wan-te-intervals.csv'), csv);

  const tasks = [...new Set(rows.map((r) => r.task))];
  const agents = [...new Set(rows.map((r) => r.agent))];
  // CDF: per task and agent, the sorted ratios with their cumulative fraction.
  const cdf: Record<string, unknown>[] = [];
  for (const task of tasks) {
    for (const agent of agents) {
      const xs = rows
        .filter((r) => r.task === task && r.agent === agent)
        .map((r) => r.ratio)
        .sort((a, b) => a - b);
      xs.forEach((x, i) => cdf.push({ task, agent, ratio: x, fraction: (i + 1) / xs.length }));
    }
  }
  const cdfSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'CDF of MLU/OPT over the test intervals (all seeds pooled)',
    data: { values: cdf },
    facet: { column: { field: 'task', type: 'nominal', title: null, sort: tasks } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'ratio', type: 'quantitative', title: 'MLU / OPT', scale: { zero: false } },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of intervals' },
        color: { field: 'agent', type: 'nominal', sort: agents, title: 'policy' },
      },
    },
    resolve: { scale: { x: 'independent' } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
  // MLU over time: mean over seeds per task, agent and interval; OPT as its own line.
  const series: Record<string, unknown>[] = [];
  for (const task of tasks) {
    const indices = [...new Set(rows.filter((r) => r.task === task).map((r) => r.index))].sort((a, b) => a - b);
    for (const index of indices) {
      const at = rows.filter((r) => r.task === task && r.index === index);
      series.push({ task, agent: 'OPT', index, mlu: at[0].opt });
      for (const agent of agents) {
        const v = at.filter((r) => r.agent === agent);
        if (v.length) series.push({ task, agent, index, mlu: v.reduce((s, r) => s + r.mlu, 0) / v.length });
      }
    }
  }
  const timeSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'MLU per test interval (mean over seeds); OPT (dashed) is the LP optimum',
    data: { values: series },
    facet: { column: { field: 'task', type: 'nominal', title: null, sort: tasks } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'index', type: 'quantitative', title: 'matrix index (test split)', scale: { zero: false }, axis: { tickMinStep: 1 } },
        y: { field: 'mlu', type: 'quantitative', title: 'MLU', scale: { zero: false } },
        color: { field: 'agent', type: 'nominal', sort: ['OPT', ...agents], title: 'policy' },
        // OPT dashed: the oracle's line lies on it (OPT_K = OPT on these data).
        strokeDash: { condition: { test: "datum.agent === 'OPT'", value: [6, 3] }, value: [1, 0] },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
  for (const [name, spec] of [
    ['wan-te-ratio-cdf', cdfSpec],
    ['wan-te-mlu-over-time', timeSpec],
  ] as const) {
    writeFileSync(join(layout.figures, `${name}.vl.json`), JSON.stringify(spec, null, 2) + '\n');
    const svg = await renderSvg(spec);
    writeFileSync(join(layout.figures, `${name}.svg`), svg);
    writeFileSync(join(layout.figures, `${name}.png`), svgToPng(svg));
    console.log(join(layout.figures, `${name}.png`));
  }
}

main(process.argv[2] ?? 'results/wan-te').catch((e: Error) => {
  console.error(e instanceof SchedlabError ? `schedlab: ${e.message}` : e);
  process.exit(e instanceof SchedlabError ? 2 : 1);
});
