/**
 * The committed FGD-table reproduction (results/fgd-table, from experiments/presets/fgd-table.yaml) still
 * replays: for each of the six policies, its `default` run at env seed 42 evaluated again through the
 * shared evaluator gives every recorded metric exactly. Guards the env, the heuristics and their draws
 * (the tie order, Random's node and GPU draws) against any change that would move the published table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../agents/core/evaluation.js';
import { makeAgent } from '../../../agents/index.js';
import { make } from '../../../envs/index.js';

const root = join(import.meta.dirname, '..', '..', '..', 'results', 'fgd-table', 'runs');

interface RunRecord {
  evalSeed: number;
  task: string;
  agent: string;
  config: { env: { id: string; options: Record<string, unknown> }; agent: { name: string; options: Record<string, unknown> } };
}

const runs = readdirSync(root)
  .map((id) => ({ id, run: JSON.parse(readFileSync(join(root, id, 'run.json'), 'utf8')) as RunRecord }))
  .filter(({ run }) => run.task === 'default' && run.evalSeed === 42 && run.config.agent.name !== 'ppo')
  .sort((a, b) => a.run.agent.localeCompare(b.run.agent));

describe('results/fgd-table replays', () => {
  it('holds the six policies at seed 42 on default', () => {
    expect(runs.map(({ run }) => run.config.agent.name).sort()).toEqual([
      'best-fit',
      'dot-prod',
      'fgd',
      'gpu-clustering',
      'gpu-packing',
      'random',
    ]);
  });

  it.each(runs.map(({ id, run }) => [run.agent, id, run] as const))('%s (run %s): every metric as recorded', (_label, id, run) => {
    const recorded = JSON.parse(readFileSync(join(root, id, 'evaluation.json'), 'utf8')) as {
      metrics: Record<string, { values: number[] }>;
    };
    const env = make(run.config.env.id, run.config.env.options);
    const agent = makeAgent(run.config.agent.name, env, run.config.agent.options, { seed: 0 });
    const result = evaluate(env, agent, { episodes: 1, seed: run.evalSeed, deterministic: true });
    const got = Object.fromEntries(Object.entries(result.metrics).map(([k, v]) => [k, v.values]));
    const want = Object.fromEntries(Object.entries(recorded.metrics).map(([k, v]) => [k, v.values]));
    expect(got).toEqual(want);
  });
});
