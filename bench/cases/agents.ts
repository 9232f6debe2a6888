import { initBackend } from '../../agents/core/backend.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * PPO training throughput on CartPole-v1 with CleanRL ppo.py's defaults (4 envs × 128 steps, 4
 * minibatches, 4 epochs, 64-64 tanh), whole learn() loop: env steps, action selection and updates.
 * Extras split the time per environment step between the env, action selection ("inference": CPU
 * forward, sampling, rollout bookkeeping) and the gradient updates.
 */
export function agentCases(): BenchCase[] {
  const steps = 25_600; // 50 iterations of 512 steps
  let agent: PPO | undefined;
  let vec: ReturnType<typeof makeVec> | undefined;
  let totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
  return [
    {
      suite: 'agents',
      name: 'PPO CartPole-v1 training, CleanRL defaults (wasm)',
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      reference: { value: 11_000, label: 'CleanRL ppo.py (10.4–11.3k)' },
      setup: async () => {
        await initBackend('wasm', null);
        const env = make('CartPole-v1');
        agent = new PPO(env.observationSpace, env.actionSpace, {}, { seed: 0 });
        vec = makeVec('CartPole-v1', 4, { autoresetMode: 'same-step' });
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
          // Steps per second of this process's CPU time: the figure an idle machine would show, less
          // sensitive than wall time to other processes on a shared machine.
          'steps per CPU-second': totals.steps / totals.cpu,
        };
        totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
        return out;
      },
      teardown: async () => {
        await vec?.close();
        agent?.dispose();
      },
    },
  ];
}
