import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../agents/index.js';
import { checkAgentOptions, checkRuns } from '../../experiments/spec/check-names.js';
import { loadExperiment } from '../../experiments/spec/load.js';
import { expandRuns } from '../../experiments/sweep/expand.js';

const presets = readdirSync('experiments/presets')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('experiments/presets', f));

describe('the shipped experiment files', () => {
  it.each(['experiments/quickstart.yaml', ...presets])(
    '%s is valid: it parses, expands, names registered envs and agents, and every agent builds with its options',
    async (file) => {
      const { spec } = loadExperiment(file);
      const runs = expandRuns(spec, file);
      expect(runs.length).toBeGreaterThan(0);
      checkRuns(runs, file);
      await checkAgentOptions(runs, file);
    },
    60_000,
  );

  it('ppo-vs-heuristics evaluates cluster PPO with sampled actions and everything else by argmax, paired against SJF', () => {
    const file = 'experiments/presets/ppo-vs-heuristics.yaml';
    const { spec } = loadExperiment(file);
    const runs = expandRuns(spec, file);
    const sampled = [...new Set(runs.filter((r) => !r.config.evaluation.deterministic).map((r) => `${r.task} / ${r.agent}`))];
    expect(sampled).toEqual(['cluster (deeprm-train) / PPO']);
    expect(spec.tables.map((t) => t.baseline)).toEqual(['SJF', 'SJF']);
  });
});
