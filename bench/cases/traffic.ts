import { Rng } from '../../core/rng.js';
import { make } from '../../envs/core/registry.js';
import '../../envs/traffic/index.js';
import { optDestinationAggregated, pathLp } from '../../envs/traffic/lp.js';
import { computePaths } from '../../envs/traffic/paths.js';
import type { WanTrafficEngineeringEnv } from '../../envs/traffic/wan-te.js';
import type { BenchCase } from '../harness.js';

/**
 * WanTrafficEngineering-v0: env steps per second on B4 with the LP cache warm (the raw env, as the env's
 * own cost; actions drawn beforehand, 16 of them in turn, so the count is the env's and not the sampler's),
 * in both action modes ('splits' pays a softmax over 528 logits per step, 'paths' none), and the time of one LP solve per matrix (OPT, the destination-aggregated LP; OPT_K, the path
 * LP over k = 4 paths with the reference's tie-break second LP) on B4, Abilene (five-minute matrices) and
 * UsCarrier (gravity matrices: it ships none).
 */
export function trafficCases(): BenchCase[] {
  const id = 'WanTrafficEngineering-v0';
  const steps = 200_000;
  const stepCase = (actionMode: 'splits' | 'paths'): BenchCase => {
    let env: WanTrafficEngineeringEnv | undefined;
    const actions: (Float64Array | number[])[] = [];
    let cpuSeconds = 0;
    let counted = 0;
    return {
      suite: 'envs',
      name: `${id} B4, ${actionMode}, LP cache warm (raw env)`,
      unit: 'steps',
      warmup: 1,
      repeats: 5,
      setup: () => {
        env = make(id, { topology: 'b4', split: 'all', actionMode }).unwrapped as WanTrafficEngineeringEnv;
        const rng = new Rng(0);
        // 'splits': 132 pairs × 4 logits, a softmax (528 exp) per step; 'paths': one path index per pair.
        for (let i = 0; i < 16; i++)
          actions.push(
            actionMode === 'splits'
              ? Float64Array.from({ length: 132 * 4 }, () => rng.normal())
              : Array.from({ length: 132 }, () => rng.integers(0, 4)),
          );
        // Warm the cache: every matrix's OPT and OPT_K.
        env.reset({ seed: 0 });
        for (;;) if (env.step(actions[0]).terminated) break;
      },
      run: () => {
        const c0 = process.cpuUsage();
        env!.reset({ seed: 0 });
        for (let i = 0; i < steps; i++) {
          if (env!.step(actions[i & 15]).terminated) env!.reset();
        }
        const c = process.cpuUsage(c0);
        cpuSeconds += (c.user + c.system) / 1e6;
        counted += steps;
        return steps;
      },
      // On a shared machine the wall-clock rate understates the env: steps per CPU-second of this process.
      extras: () => ({ stepsPerCpuSecond: Math.round(counted / cpuSeconds) }),
    };
  };
  const lpCase = (topology: 'b4' | 'abilene' | 'uscarrier', which: 'opt' | 'optK'): BenchCase => {
    let solve: (() => void) | undefined;
    const matrices = topology === 'uscarrier' ? 1 : 4;
    return {
      suite: 'lp',
      name: `${topology} ${which === 'opt' ? 'OPT (destination-aggregated LP)' : 'OPT_K + tie-break split (path LP, k = 4)'} per matrix`,
      unit: 'solves',
      warmup: topology === 'uscarrier' ? 0 : 1,
      repeats: topology === 'uscarrier' ? 2 : 5,
      setup: () => {
        const e = make(id, { topology, split: 'all', history: 1, k: 4 }).unwrapped as WanTrafficEngineeringEnv;
        const topo = e.topology;
        const series = e.problem.series.matrices.slice(0, matrices);
        const paths = computePaths(topo, 4);
        solve = () => {
          for (const m of series) {
            if (which === 'opt') optDestinationAggregated(topo, m);
            else pathLp(topo, paths, m, true);
          }
        };
      },
      run: () => {
        solve!();
        return matrices;
      },
    };
  };
  return [
    stepCase('splits'),
    stepCase('paths'),
    lpCase('b4', 'opt'),
    lpCase('b4', 'optK'),
    lpCase('abilene', 'opt'),
    lpCase('abilene', 'optK'),
    lpCase('uscarrier', 'opt'),
    lpCase('uscarrier', 'optK'),
  ];
}
