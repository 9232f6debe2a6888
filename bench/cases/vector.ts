/**
 * Vector-env throughput on CartPole-v1 (8 sub-envs, actions drawn beforehand from a seeded Rng), in
 * sub-env steps per second, and the overhead per sub-env step relative to one env stepped directly
 * with the same actions: `1e6 · (1/vector rate − 1/single rate)` µs.
 */
import { make, makeVec, Rng, type Env, type VectorEnv } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

const NUM_ENVS = 8;
const ACTION_ROWS = 4096;

export function vectorCases(): BenchCase[] {
  const rng = new Rng(0);
  const actions = Array.from({ length: ACTION_ROWS }, () => Array.from({ length: NUM_ENVS }, () => rng.integers(0, 2)));
  return [vectorCase('sync', 10_000, actions), vectorCase('parallel', 5_000, actions)];
}

function vectorCase(mode: 'sync' | 'parallel', steps: number, actions: number[][]): BenchCase {
  let vec: VectorEnv<number> | undefined;
  let single = 0;
  const rates: number[] = [];
  return {
    suite: 'envs',
    name: `CartPole-v1 ${mode === 'sync' ? 'SyncVectorEnv' : 'ParallelVectorEnv'} ×${NUM_ENVS} (next-step autoreset)`,
    unit: 'sub-env steps',
    warmup: 1,
    repeats: 5,
    setup: async () => {
      single = singleEnvRate(actions);
      vec = makeVec<number>('CartPole-v1', NUM_ENVS, { vectorizationMode: mode });
      await vec.reset({ seed: 0 });
    },
    run: async () => {
      const t0 = process.hrtime.bigint();
      for (let t = 0; t < steps; t++) await vec!.step(actions[t % ACTION_ROWS]);
      const units = steps * NUM_ENVS;
      rates.push(units / (Number(process.hrtime.bigint() - t0) / 1e9));
      return units;
    },
    teardown: async () => {
      await vec?.close();
    },
    extras: () => {
      const vectorRate = median(rates.slice(1)); // the first entry is the warm-up
      return {
        'single env steps/s': single,
        'overhead µs/sub-env step': 1e6 * (1 / vectorRate - 1 / single),
      };
    },
  };
}

/** One CartPole-v1 from make(), stepped with the same action stream; median of 10 runs after 5 warm-up runs (JIT). */
function singleEnvRate(actions: number[][]): number {
  const env: Env<Float32Array, number> = make('CartPole-v1');
  const steps = 200_000;
  const rates: number[] = [];
  for (let run = 0; run < 15; run++) {
    env.reset({ seed: 0 });
    const t0 = process.hrtime.bigint();
    for (let t = 0; t < steps; t++) {
      const r = env.step(actions[(t >> 3) % ACTION_ROWS][t & 7]);
      if (r.terminated || r.truncated) env.reset();
    }
    if (run >= 5) rates.push(steps / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rates);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
