/**
 * The evaluator shared by every env and agent: plays `episodes` episodes and collects, per episode,
 * `return` (sum of rewards), `length` (steps) and the env's own metrics from `info.metrics` at the end.
 * The first reset is seeded; later resets continue the env's generator, as Stable-Baselines3's
 * `evaluate_policy` does, so N episodes are the first N of one seeded stream.
 */
import type { Env } from '../envs/core/env.js';
import type { Agent } from '../agents/core/agent.js';

export interface EvaluateOptions {
  episodes: number;
  seed: number;
  deterministic?: boolean;
}

export interface MetricSummary {
  mean: number;
  /** Population standard deviation (ddof = 0) over episodes. */
  std: number;
  values: number[];
}

export interface EvaluationResult {
  episodes: number;
  seed: number;
  metrics: Record<string, MetricSummary>;
}

export function evaluate(env: Env<any, any>, agent: Agent, { episodes, seed, deterministic = true }: EvaluateOptions): EvaluationResult {
  const perEpisode: Record<string, number[]> = { return: [], length: [] };
  for (let episode = 0; episode < episodes; episode++) {
    let { observation, info } = env.reset(episode === 0 ? { seed } : {});
    agent.onEpisodeStart?.();
    let episodeReturn = 0;
    let length = 0;
    for (;;) {
      const action = agent.act(observation, { mask: info.actionMask, deterministic, info });
      const step = env.step(action);
      episodeReturn += step.reward;
      length++;
      observation = step.observation;
      info = step.info;
      if (step.terminated || step.truncated) break;
    }
    perEpisode.return.push(episodeReturn);
    perEpisode.length.push(length);
    for (const [name, value] of Object.entries(info.metrics ?? {})) {
      (perEpisode[name] ??= []).push(value);
    }
  }
  const metrics: Record<string, MetricSummary> = {};
  for (const [name, values] of Object.entries(perEpisode)) metrics[name] = summarize(values);
  return { episodes, seed, metrics };
}

export function summarize(values: number[]): MetricSummary {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  const variance = n ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / n : NaN;
  return { mean, std: Math.sqrt(variance), values };
}
