import type { Info } from '../../envs/core/env.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * BatchScheduling-v0 through make(), 256-job episodes from seeded random starts on Lublin-1, random
 * valid actions (Discrete.sample with info.actionMask), resets included: RLScheduler's HPC env measure.
 */
export function batchCases(): BenchCase[] {
  const steps = 200_000;
  const references = { false: 7_000, true: 12_000 };
  return ([false, true] as const).map((backfill) => ({
    suite: 'envs',
    name: `BatchScheduling-v0 Lublin-1, 256-job episodes, random valid actions, ${backfill ? 'with' : 'no'} backfilling`,
    unit: 'steps',
    warmup: 1,
    repeats: 5,
    reference: {
      value: references[String(backfill) as 'false' | 'true'],
      label: `RLScheduler HPCSimPickJobs (Python)${backfill ? ', backfilling' : ''}`,
    },
    run: () => {
      const env = make('BatchScheduling-v0', { trace: 'lublin-1', sequenceLength: 256, backfill });
      let info: Info = env.reset({ seed: 0 }).info;
      env.actionSpace.seed(0);
      for (let i = 0; i < steps; i++) {
        const r = env.step(env.actionSpace.sample(info.actionMask));
        info = r.terminated || r.truncated ? env.reset().info : r.info;
      }
      return steps;
    },
  }));
}
