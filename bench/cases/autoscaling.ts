import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * Autoscaling-v0 and MicroserviceAutoscaling-v0 (its default three-service chain) through make(), on
 * the bundled Azure LLM trace, sampled actions (the random agent's load on the env): the analytic model
 * (M/M/c; for the chain, per-service fluid M/M/c and the 512-bin convolution of the end-to-end latency)
 * and the request-level DES (about 5.5 requests/s, so some 80 requests per 15 s step, through every
 * service of the chain).
 */
export function autoscalingCases(): BenchCase[] {
  const steps = 20_000;
  const envCase = (latencyModel: 'mmc' | 'des', id = 'Autoscaling-v0'): BenchCase => ({
    suite: 'envs',
    name: `${id} ${latencyModel === 'mmc' ? 'analytic M/M/c' : 'request-level DES'}, Azure LLM trace, sampled actions`,
    unit: 'steps',
    warmup: 1,
    repeats: 5,
    run: () => {
      const env = make(id, { load: { type: 'trace', path: 'azure-llm-conv' }, latencyModel });
      env.reset({ seed: 0 });
      env.actionSpace.seed(0);
      for (let i = 0; i < steps; i++) {
        const r = env.step(env.actionSpace.sample());
        if (r.terminated || r.truncated) env.reset();
      }
      return steps;
    },
  });
  return [envCase('mmc'), envCase('des'), envCase('mmc', 'MicroserviceAutoscaling-v0'), envCase('des', 'MicroserviceAutoscaling-v0')];
}
