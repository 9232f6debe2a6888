import { initBackend } from '../../agents/core/backend.js';
import { makeAgent } from '../../agents/index.js';
import type { PpoOptions } from '../../agents/ppo/options.js';
import { PPO } from '../../agents/ppo/ppo.js';
import type { Info } from '../../envs/core/env.js';
import type { Discrete } from '../../envs/core/spaces/discrete.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
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
/** PPO's options in experiments/presets/fgd-table-ppo.yaml (the per-node scorer, masked; kept equal by hand). */
export const PLACEMENT_PPO_OPTIONS: Partial<PpoOptions> = {
  body: 'items',
  piLayers: [16],
  vfLayers: [8],
  activation: 'tanh',
  numEnvs: 2,
  numSteps: 512,
  numMinibatches: 4,
  updateEpochs: 4,
  learningRate: 0.005,
  gamma: 0.999,
  gaeLambda: 0.98,
  entCoef: 0,
  normalizeReward: true,
};

/**
 * PPO training on GpuClusterPlacement-v0 (`default` at 130 %) with the fgd-table preset's options, the whole
 * learn() loop: 2 iterations of 2 envs × 512 steps per run. Extras split the time per env step between the
 * env (with the sync vector env), action selection (CPU forward of the per-node scorer over 1,213 rows and
 * of the critic over the 29,112-feature observation, sampling) and the updates.
 */
function placementPpoCase(): BenchCase {
  const steps = 2048;
  let agent: PPO | undefined;
  let vec: ReturnType<typeof makeVec> | undefined;
  let totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
  const envOptions = { workload: 'default', tune: 1.3 };
  return {
    suite: 'agents',
    name: 'PPO GpuClusterPlacement-v0 training, per-node scorer (fgd-table preset, wasm)',
    unit: 'steps',
    warmup: 1,
    repeats: 3,
    setup: async () => {
      await initBackend('wasm', null);
      const env = make('GpuClusterPlacement-v0', envOptions);
      agent = new PPO(env.observationSpace, env.actionSpace, PLACEMENT_PPO_OPTIONS, { seed: 0 });
      vec = makeVec('GpuClusterPlacement-v0', PLACEMENT_PPO_OPTIONS.numEnvs!, { autoresetMode: 'same-step', options: envOptions });
    },
    run: async () => {
      const before = { ...agent!.timings };
      const cpu0 = process.cpuUsage();
      await agent!.learn(vec!, { totalSteps: steps });
      const cpu = process.cpuUsage(cpu0);
      totals.cpu += (cpu.user + cpu.system) / 1e6;
      totals.env += agent!.timings.env - before.env;
      totals.inference += agent!.timings.inference - before.inference;
      totals.update += agent!.timings.update - before.update;
      totals.steps += steps;
      return steps;
    },
    extras: () => {
      const perStep = (s: number) => (s / totals.steps) * 1e6;
      const out = {
        'env µs/step': perStep(totals.env),
        'inference µs/step': perStep(totals.inference),
        'update µs/step': perStep(totals.update),
        'steps per CPU-second': totals.steps / totals.cpu,
      };
      totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
      return out;
    },
    teardown: async () => {
      await vec?.close();
      agent?.dispose();
    },
  };
}

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
    placementPpoCase(),
  ];
}
