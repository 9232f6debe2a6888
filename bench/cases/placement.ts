import { makeAgent } from '../../agents/index.js';
import type { Info } from '../../envs/core/env.js';
import type { Discrete } from '../../envs/core/spaces/discrete.js';
import { make } from '../../envs/index.js';
import type { PlacementAction } from '../../envs/placement/state-view.js';
import type { BenchCase } from '../harness.js';

/**
 * GpuClusterPlacement-v0 through make() on the openb cluster (1,213 nodes), one full episode per run of the
 * `default` workload inflated to 130 % of the GPU capacity (about 8,200 decisions, seed 42): placement
 * decisions per second with the FGD policy (fragmentation caches cold at the start of each run, as in a
 * fresh episode) and with random valid actions (the env alone). The reference is the FGD artifact's Go
 * simulator: about 10 minutes per such run on 2 vCPUs (its experiments/README.md), i.e. about 8,200 / 600 s.
 */
export function placementCases(): BenchCase[] {
  const reference = { value: 14, label: 'FGD artifact Go simulator, ~10 min per 130 % default run on 2 vCPUs (its README)' };
  const episode = (policy: 'fgd' | 'random-valid') => (): number => {
    const env = make<Float32Array, PlacementAction>('GpuClusterPlacement-v0', { workload: 'default', tune: 1.3 });
    const agent = policy === 'fgd' ? makeAgent('fgd', env, {}, { seed: 0 }) : null;
    let { observation, info }: { observation: Float32Array; info: Info } = env.reset({ seed: 42 });
    env.actionSpace.seed(0);
    let decisions = 0;
    for (;;) {
      const action = agent
        ? (agent.act(observation, { info, mask: info.actionMask }) as PlacementAction)
        : (env.actionSpace as Discrete).sample(info.actionMask);
      const r = env.step(action);
      decisions++;
      if (r.terminated || r.truncated) return decisions;
      observation = r.observation;
      info = r.info;
    }
  };
  return [
    {
      suite: 'envs',
      name: 'GpuClusterPlacement-v0 openb default at 130 %, FGD policy, one episode',
      unit: 'decisions',
      warmup: 0,
      repeats: 3,
      reference,
      run: episode('fgd'),
    },
    {
      suite: 'envs',
      name: 'GpuClusterPlacement-v0 openb default at 130 %, random valid actions, one episode',
      unit: 'decisions',
      warmup: 0,
      repeats: 3,
      reference,
      run: episode('random-valid'),
    },
  ];
}
