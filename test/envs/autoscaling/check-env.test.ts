import { describe, expect, it } from 'vitest';
import { AutoscalingEnv } from '../../../envs/autoscaling/index.js';
import { checkEnv } from '../../../envs/core/checker/index.js';

describe('Autoscaling-v0 passes the env checker', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['analytic, diurnal load, delta actions', {}],
    [
      'DES, Azure trace, target actions',
      { latencyModel: 'des', load: { type: 'trace', path: 'azure-llm-conv' }, action: 'target', episodeLength: 600 },
    ],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const report = checkEnv(new AutoscalingEnv(options));
      const failed = report.checks.filter((c) => !c.ok);
      expect(failed).toEqual([]);
      expect(report.passed).toBe(true);
    });
  }
});
