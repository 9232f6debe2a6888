import { describe, expect, it } from 'vitest';
import { parseShard, selectShard } from '../../experiments/run/shard.js';
import { parseExperiment } from '../../experiments/spec/load.js';
import { expandRuns } from '../../experiments/sweep/expand.js';

const doc = (extra: Record<string, unknown> = {}, agentExtra: Record<string, unknown> = {}) => ({
  name: 'sweep-test',
  seeds: { start: 0, count: 3 },
  evaluation: { episodes: 2, seedOffset: 1000 },
  tasks: [
    {
      label: 'cp',
      env: { id: 'CartPole-v1', options: { sutton_barto_reward: false } },
      agents: [{ name: 'random', options: { useMask: true }, ...agentExtra }],
    },
  ],
  ...extra,
});
const expand = (d: unknown) => expandRuns(parseExperiment(JSON.stringify(d), 'exp.json').spec, 'exp.json');

describe('sweep expansion', () => {
  it('crosses grid axes and seeds in order, seeding evaluation disjointly', () => {
    const runs = expand(doc({ sweep: { 'evaluation.episodes': [1, 2], 'env.options.sutton_barto_reward': [false, true] } }));
    expect(runs).toHaveLength(2 * 2 * 3);
    expect(runs.map((r) => r.index)).toEqual([...Array(12).keys()]);
    expect(runs.slice(0, 4).map((r) => [r.sweep['evaluation.episodes'], r.sweep['env.options.sutton_barto_reward'], r.seed])).toEqual([
      [1, false, 0],
      [1, false, 1],
      [1, false, 2],
      [1, true, 0],
    ]);
    expect(runs[3].config.env.options).toEqual({ sutton_barto_reward: true });
    expect(runs[3].config.evaluation.episodes).toBe(1);
    const train = new Set(runs.map((r) => r.seed));
    expect(runs.every((r) => r.evalSeed === r.seed + 1000 && !train.has(r.evalSeed))).toBe(true);
  });

  it('gives every run a distinct id that depends only on its config and seeds', () => {
    const a = expand(doc({ sweep: { 'evaluation.episodes': [1, 2] } }));
    const b = expand(doc({ sweep: { 'evaluation.episodes': [1, 2] } }));
    expect(new Set(a.map((r) => r.id)).size).toBe(a.length);
    expect(a.map((r) => r.id)).toEqual(b.map((r) => r.id));
    // Relabelling a task does not change what a run computes, so neither its id.
    const relabelled = expand({ ...doc({ sweep: { 'evaluation.episodes': [1, 2] } }), tasks: [{ ...doc().tasks[0], label: 'other' }] });
    expect(relabelled.map((r) => r.id)).toEqual(a.map((r) => r.id));
  });

  it('evaluates mathjs ranges (end included) and log-spaces to clean numbers', () => {
    const range = expand(doc({ seeds: [0], sweep: { '+env.options.x': { expr: '0.1:0.1:0.3' } } }));
    expect(range.map((r) => r.sweep['env.options.x'])).toEqual([0.1, 0.2, 0.3]);
    const log = expand(doc({ seeds: [0], sweep: { '+agent.options.lr': { expr: '10 .^ (-4:-2)' } } }));
    expect(log.map((r) => r.config.agent.options.lr)).toEqual([1e-4, 1e-3, 1e-2]);
  });

  it('draws random axes reproducibly from their seed', () => {
    const axis = { sample: 'loguniform', low: 1e-5, high: 1e-2, count: 4, seed: 7 };
    const a = expand(doc({ seeds: [0], sweep: { '+agent.options.lr': axis } })).map((r) => r.sweep['agent.options.lr'] as number);
    const b = expand(doc({ seeds: [0], sweep: { '+agent.options.lr': axis } })).map((r) => r.sweep['agent.options.lr'] as number);
    const c = expand(doc({ seeds: [0], sweep: { '+agent.options.lr': { ...axis, seed: 8 } } })).map(
      (r) => r.sweep['agent.options.lr'] as number,
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 1e-5 && v < 1e-2)).toBe(true);
    const ints = expand(doc({ seeds: [0], sweep: { 'evaluation.episodes': { sample: 'int', low: 1, high: 3, count: 30, seed: 1 } } })).map(
      (r) => r.sweep['evaluation.episodes'],
    );
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
  });

  it('lets an agent-level axis override the same key at the top', () => {
    const runs = expand(doc({ seeds: [0], sweep: { 'evaluation.episodes': [1, 2, 3] } }, { sweep: { 'evaluation.episodes': [5] } }));
    expect(runs.map((r) => r.config.evaluation.episodes)).toEqual([5]);
  });

  it('splits runs into disjoint shards covering all of them', () => {
    const runs = expand(doc({ sweep: { 'evaluation.episodes': [1, 2, 3] } }));
    const shards = [0, 1, 2, 3].map((i) => selectShard(runs, parseShard(`${i}/4`)).map((r) => r.id));
    expect(shards.flat().sort()).toEqual(runs.map((r) => r.id).sort());
    expect(() => parseShard('4/4')).toThrow(/0 <= i < n/);
    expect(() => parseShard('a/b')).toThrow(/--shard/);
  });
});
