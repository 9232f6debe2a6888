import { makeAgent } from '../../agents/index.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * ClusterScheduling-v0 at DeepRM's defaults through make() (passive checker, order enforcing), stepped by
 * the `random` baseline (uniform over all numSlots + 1 actions) reading the info as an agent does; resets
 * included. The reference is DeepRM's own environment.py (image representation, numpy), 48–52k steps/s.
 */
export function clusterCases(): BenchCase[] {
  const steps = 200_000;
  const loop = (observation: 'image' | 'compact') => () => {
    const env = make<Float32Array, number>('ClusterScheduling-v0', { observation });
    const agent = makeAgent('random', env, {}, { seed: 0 });
    let { observation: obs, info } = env.reset({ seed: 0 });
    for (let i = 0; i < steps; i++) {
      const r = env.step(agent.act(obs, { mask: info.actionMask, info }) as number);
      obs = r.observation;
      info = r.info;
      if (r.terminated || r.truncated) ({ observation: obs, info } = env.reset());
    }
    return steps;
  };
  return [
    {
      suite: 'envs',
      name: 'ClusterScheduling-v0 image observation, random policy, single env',
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      reference: { value: 50_000, label: 'DeepRM environment.py (image)' },
      run: loop('image'),
    },
    {
      suite: 'envs',
      name: 'ClusterScheduling-v0 compact observation, random policy, single env',
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      run: loop('compact'),
    },
  ];
}
