import { A2C } from '../../agents/a2c/a2c.js';
import { initBackend } from '../../agents/core/backend.js';
import { DQN } from '../../agents/dqn/dqn.js';
import { REINFORCE } from '../../agents/reinforce/reinforce.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

type Timed = { timings: { env: number; inference: number; update: number }; learn: A2C['learn']; dispose(): void };

/**
 * Training throughput of the other learned agents on CartPole-v1, whole learn() loop from a fresh
 * agent each run (as the peer was timed): DQN with Stable-Baselines3's defaults (20k steps: 100 random
 * steps, then a gradient step every 4), A2C with rl-zoo's 8 envs, REINFORCE with DeepRM's training
 * scheme. Extras split the time per environment step between the env, inference and updates.
 */
export function offPolicyAgentCases(): BenchCase[] {
  const cartPole = make('CartPole-v1');
  const timedCase = (
    name: string,
    steps: number,
    numEnvs: number,
    build: (seed: number) => Timed,
    reference?: BenchCase['reference'],
  ): BenchCase => {
    let totals = { env: 0, inference: 0, update: 0, steps: 0 };
    let seed = 0;
    return {
      suite: 'agents',
      name,
      unit: 'steps',
      warmup: 1,
      repeats: 3,
      reference,
      setup: async () => {
        await initBackend('wasm', null);
      },
      run: async () => {
        const agent = build(seed++);
        const vec = makeVec('CartPole-v1', numEnvs, { autoresetMode: 'same-step' });
        const r = await agent.learn(vec as never, { totalSteps: steps });
        await vec.close();
        totals.env += agent.timings.env;
        totals.inference += agent.timings.inference;
        totals.update += agent.timings.update;
        totals.steps += r.steps;
        agent.dispose();
        return r.steps;
      },
      extras: () => {
        const perStep = (s: number) => (s / totals.steps) * 1e6;
        const out = {
          'env µs/step': perStep(totals.env),
          'inference µs/step': perStep(totals.inference),
          'update µs/step': perStep(totals.update),
        };
        totals = { env: 0, inference: 0, update: 0, steps: 0 };
        return out;
      },
    };
  };
  return [
    timedCase(
      'DQN CartPole-v1 training, SB3 defaults, 20k steps (wasm)',
      20_000,
      1,
      (seed) => new DQN(cartPole.observationSpace, cartPole.actionSpace, {}, { seed }),
      {
        value: 4_150,
        label: 'Stable-Baselines3 DQN (3.9–4.4k)',
      },
    ),
    timedCase(
      'A2C CartPole-v1 training, SB3 defaults with 8 envs, 20k steps (wasm)',
      20_000,
      8,
      (seed) => new A2C(cartPole.observationSpace, cartPole.actionSpace, { numEnvs: 8 }, { seed }),
    ),
    timedCase(
      'REINFORCE CartPole-v1 training, DeepRM scheme, 20k steps (wasm)',
      20_000,
      1,
      (seed) => new REINFORCE(cartPole.observationSpace, cartPole.actionSpace, {}, { seed }),
    ),
  ];
}
