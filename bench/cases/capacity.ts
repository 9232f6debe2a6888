import { makeAgent } from '../../agents/index.js';
import type { ResetResult } from '../../envs/core/env.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * CapacityPlanning-v0 through make() (passive checker, order enforcing; no TimeLimit, episodes end by
 * themselves), sampled actions: on HPC2N busy cores per day (continuous and masked discrete actions) and on
 * the synthetic AR(1) process (a fresh path generated at every reset); and the `autopilot` baseline acting
 * through the state view (its decayed-histogram percentile sorts the last 281 demands at every step).
 */
export function capacityCases(): BenchCase[] {
  const steps = 300_000;
  const envCase = (label: string, options: Record<string, unknown>): BenchCase => ({
    suite: 'envs',
    name: `CapacityPlanning-v0 ${label}, make + sampled actions`,
    unit: 'steps',
    warmup: 1,
    repeats: 5,
    run: () => {
      const env = make('CapacityPlanning-v0', options);
      env.reset({ seed: 0 });
      env.actionSpace.seed(0);
      const masked = options.action === 'discrete';
      for (let i = 0; i < steps; i++) {
        const r = env.step(env.actionSpace.sample(masked ? env.actionMasks!() : undefined));
        if (r.terminated || r.truncated) env.reset();
      }
      return steps;
    },
  });
  const agentSteps = 20_000;
  return [
    envCase('hpc2n-daily, continuous', {}),
    envCase('hpc2n-daily, discrete (masked)', { action: 'discrete' }),
    envCase('ar1', { demand: 'ar1' }),
    {
      suite: 'envs',
      name: 'CapacityPlanning-v0 hpc2n-daily, autopilot baseline acting on info.capacity',
      unit: 'steps',
      warmup: 1,
      repeats: 3,
      run: () => {
        const env = make('CapacityPlanning-v0', {});
        const agent = makeAgent('autopilot', env, {}, { seed: 0 });
        const first: ResetResult<unknown> = env.reset({ seed: 0 });
        let { observation, info } = first;
        for (let i = 0; i < agentSteps; i++) {
          const r = env.step(agent.act(observation, { info }));
          const next: ResetResult<unknown> = r.terminated || r.truncated ? env.reset() : r;
          ({ observation, info } = next);
        }
        return agentSteps;
      },
    },
  ];
}
