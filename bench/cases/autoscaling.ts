import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

/**
 * Autoscaling-v0 through make(), on the bundled Azure LLM trace, sampled actions (the random agent's
 * load on the env): the analytic M/M/c model and the request-level DES (about 5.5 requests/s, so some 80
 * requests per 15 s step).
 */
export function autoscalingCases(): BenchCase[] {
  const steps = 20_000;
  const envCase = (latencyModel: 'mmc' | 'des'): BenchCase => ({
    suite: 'envs',
    name: `Autoscaling-v0 ${latencyModel === 'mmc' ? 'analytic M/M/c' : 'request-level DES'}, Azure LLM trace, sampled actions`,
    unit: 'steps',
    warmup: 1,
    repeats: 5,
    run: () => {
      const env = make('Autoscaling-v0', { load: { type: 'trace', path: 'azure-llm-conv' }, latencyModel });
      env.reset({ seed: 0 });
      env.actionSpace.seed(0);
      for (let i = 0; i < steps; i++) {
        const r = env.step(env.actionSpace.sample());
        if (r.terminated || r.truncated) env.reset();
      }
      return steps;
    },
  });
  return [envCase('mmc'), envCase('des')];
}
