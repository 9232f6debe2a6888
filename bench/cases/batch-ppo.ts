import { initBackend } from '../../agents/core/backend.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * Batch PPO training throughput at RLScheduler's configuration (issue 13): BatchScheduling-v0 on
 * Lublin-1 with 128 visible job slots filled by the reference's rule (`window: 'rlscheduler'`), 256-job
 * sequences from seeded random starts; PPO with the per-job kernel network (a 32-16-8 ReLU scorer shared
 * by every slot, a 64-32-8 critic) and the batch preset's hyperparameters
 * (experiments/presets/ppo-vs-heuristics.yaml: 8 envs × 256 steps, 4 minibatches, 10 epochs, target KL
 * 0.02, γ 1, λ 0.97, normalised rewards and item features), on wasm. Whole learn() loop, one iteration
 * (2,048 steps) per run, continuing the same agent. Two cases: the default (bit-identical to the padded
 * computation) and option fusedForward (tfjs rollouts, fused layers).
 *
 * Reference: the PyTorch port in the peer figures (../shared/reference/peer-figures.md, 2026-12-03: "PPO
 * on Lublin-1 with a per-job scoring actor, schedlab's batch preset hyperparameters", RLScheduler's env
 * and network, CleanRL-style PPO, one thread), 756 steps/s; per env step env 430–560 µs, inference
 * 140–175 µs, update 590–690 µs. Its figure is a quiet-machine median: compare ratios measured in one
 * session. Extras split the time per step as the learned agents time it (env: the vector env with its
 * normalisation; inference: action selection and rollout bookkeeping; update: the gradient steps).
 */
export function batchPpoCases(): BenchCase[] {
  const envOptions = { trace: 'lublin-1', sequenceLength: 256, window: 'rlscheduler' };
  const preset = {
    body: 'items' as const,
    piLayers: [32, 16, 8],
    vfLayers: [64, 32, 8],
    activation: 'relu' as const,
    numEnvs: 8,
    numSteps: 256,
    learningRate: 0.001,
    updateEpochs: 10,
    targetKl: 0.02,
    gamma: 1,
    gaeLambda: 0.97,
    maxGradNorm: 1_000_000,
    clipVloss: false,
    normalizeReward: true,
    normalizeObservation: true,
  };
  const steps = 2048; // one iteration
  return [
    { label: 'default', options: preset },
    { label: 'fusedForward', options: { ...preset, fusedForward: true } },
  ].map(({ label, options }) => {
    let agent: PPO | undefined;
    let vec: ReturnType<typeof makeVec> | undefined;
    let totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
    return {
      suite: 'agents',
      name: `PPO BatchScheduling-v0 Lublin-1 training, RLScheduler's configuration, ${label} (wasm)`,
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      reference: { value: 756, label: 'PyTorch port (peer-figures 2026-12-03)' },
      setup: async () => {
        await initBackend('wasm', null);
        const env = make('BatchScheduling-v0', envOptions);
        agent = new PPO(env.observationSpace, env.actionSpace, options, { seed: 0, envId: 'BatchScheduling-v0' });
        vec = makeVec('BatchScheduling-v0', 8, { options: envOptions, autoresetMode: 'same-step' });
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
          // Steps per second of this process's CPU time (less sensitive than wall time to other processes).
          'steps per CPU-second': totals.steps / totals.cpu,
          'ratio to the PyTorch port, CPU time': totals.steps / totals.cpu / 756,
        };
        totals = { env: 0, inference: 0, update: 0, steps: 0, cpu: 0 };
        return out;
      },
      teardown: async () => {
        await vec?.close();
        agent?.dispose();
      },
    } satisfies BenchCase;
  });
}
