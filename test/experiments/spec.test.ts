import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../core/errors.js';
import { parseExperiment } from '../../experiments/spec/load.js';
import { expandRuns } from '../../experiments/sweep/expand.js';

const base = {
  name: 'spec-test',
  seeds: [0, 1],
  evaluation: { episodes: 2, seedOffset: 100 },
  tasks: [{ label: 'cp', env: { id: 'CartPole-v1', options: {} }, agents: ['random'] }],
};

function load(doc: unknown) {
  return parseExperiment(JSON.stringify(doc), 'exp.json');
}

function errorOf(fn: () => unknown): InputFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    return e as InputFileError;
  }
  throw new Error('expected an InputFileError');
}

describe('experiment file validation', () => {
  it('accepts a minimal file, filling defaults', () => {
    const { spec, hash } = load(base);
    expect(spec.tables).toEqual([{ name: 'main', metrics: [{ metric: 'return', label: 'return', better: 'higher' }], aggregate: false }]);
    expect(spec.tasks[0].agents[0]).toMatchObject({ name: 'random', label: 'random', totalSteps: 0 });
    expect(spec.evaluation.deterministic).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the parsed content, not the formatting', () => {
    const yaml =
      'name: spec-test\nseeds: [0, 1]   # comment\nevaluation: {episodes: 2, seedOffset: 100}\ntasks:\n  - label: cp\n    env: {id: CartPole-v1, options: {}}\n    agents: [random]\n';
    expect(parseExperiment(yaml, 'exp.yaml').hash).toBe(load(base).hash);
  });

  it.each([
    [
      { ...base, tasks: [{ ...base.tasks[0], agents: [{ name: 'ppo', totalStep: 10 }] }] },
      'tasks[0].agents[0].totalStep',
      'not a known key',
    ],
    [
      { ...base, tasks: [{ ...base.tasks[0], agents: [{ name: 'ppo', deterministic: 'no' }] }] },
      'tasks[0].agents[0].deterministic',
      'true or false',
    ],
    [{ ...base, seeds: [0, -1] }, 'seeds[1]', 'integer >= 0'],
    [{ ...base, seeds: [0, 0] }, 'seeds', 'twice'],
    [{ ...base, evaluation: { seedOffset: 1 } }, 'evaluation.seedOffset', 'disjoint'],
    [{ ...base, tasks: [] }, 'tasks', 'empty list'],
    [{ ...base, sweep: {} }, 'sweep', 'empty sweep'],
    [{ ...base, sweep: { 'evaluation.episodes': [] } }, 'sweep["evaluation.episodes"]', 'at least one value'],
    [{ ...base, sweep: { 'env options': [1] } }, 'sweep["env options"]', 'not a key path'],
    [
      { ...base, sweep: { 'evaluation.episodes': { sample: 'uniform', low: 2, high: 1, count: 2, seed: 0 } } },
      'sweep["evaluation.episodes"].high',
      'greater than low',
    ],
    [
      { ...base, tables: [{ name: 'main', metrics: [{ metric: 'return', better: 'up' }] }] },
      'tables[0].metrics[0].better',
      "'higher' | 'lower'",
    ],
    [{ ...base, tables: [{ name: 'main', tasks: ['nope'], metrics: ['return'] }] }, 'tables[0].tasks[0]', 'task labels: cp'],
    [{ ...base, name: 'has space' }, 'name', 'letters, digits'],
  ])('rejects %j at %s', (doc, path, problem) => {
    const err = errorOf(() => load(doc));
    expect(err.field).toBe(path);
    expect(err.message).toContain(problem);
    expect(err.message).toContain('exp.json');
  });

  it("an agent's deterministic overrides evaluation.deterministic for its runs only", () => {
    const agents = ['random', { name: 'sjf', deterministic: false }];
    const { spec } = load({ ...base, tasks: [{ label: 'cl', env: { id: 'ClusterScheduling-v0', options: {} }, agents }] });
    const runs = expandRuns(spec, 'exp.json');
    expect(runs.map((r) => [r.agent, r.config.evaluation.deterministic])).toEqual([
      ['random', true],
      ['random', true],
      ['sjf', false],
      ['sjf', false],
    ]);
  });

  it('reports malformed YAML with its line', () => {
    const err = errorOf(() => parseExperiment('name: x\nseeds: [0, 1\n', 'bad.yaml'));
    expect(err.line).toBeGreaterThan(0);
    expect(err.message).toContain('not valid YAML');
  });

  it('rejects a sweep key missing from the run config, listing the keys there', () => {
    const { spec } = load({ ...base, sweep: { 'env.options.gravity': [9.8, 3.7] } });
    const err = errorOf(() => expandRuns(spec, 'exp.json'));
    expect(err.field).toBe('sweep["env.options.gravity"]');
    expect(err.message).toContain('does not exist');
    expect(err.message).toContain('evaluation.episodes');
    expect(err.message).toContain('+env.options.gravity');
  });

  it('rejects a malformed mathjs expression, naming the axis', () => {
    const { spec } = load({ ...base, sweep: { 'evaluation.episodes': { expr: '1:(3' } } });
    const err = errorOf(() => expandRuns(spec, 'exp.json'));
    expect(err.field).toBe('sweep["evaluation.episodes"].expr');
    expect(err.message).toContain('malformed mathjs expression');
  });

  it('rejects an expression giving no values or non-numbers', () => {
    const empty = load({ ...base, sweep: { 'evaluation.episodes': { expr: '3:2' } } }).spec;
    expect(errorOf(() => expandRuns(empty, 'exp.json')).message).toContain('gives no values');
    const text = load({ ...base, sweep: { 'evaluation.episodes': { expr: '"abc"' } } }).spec;
    expect(errorOf(() => expandRuns(text, 'exp.json')).message).toContain('finite real numbers');
  });
});
