import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/** CartPole-v1 through make() (passive checker, order enforcing, TimeLimit), random actions: Gymnasium's own measure. */
export function classicCases(): BenchCase[] {
  const steps = 200_000;
  return [
    {
      suite: 'envs',
      name: 'CartPole-v1 make + sampled actions, single env',
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      reference: { value: 157_000, label: 'Gymnasium 1.0 (make + sample)' },
      run: () => {
        const env = make('CartPole-v1');
        env.reset({ seed: 0 });
        env.actionSpace.seed(0);
        for (let i = 0; i < steps; i++) {
          const r = env.step(env.actionSpace.sample());
          if (r.terminated || r.truncated) env.reset();
        }
        return steps;
      },
    },
  ];
}
