/**
 * The evaluator shared by every env and agent (Stable-Baselines3's `evaluate_policy`, in
 * `common/evaluation.py` there): plays `episodes` episodes and collects, per episode, `return` (sum of
 * rewards), `length` (steps) and the env's own metrics from `info.metrics` at the end. The first reset is
 * seeded; later resets continue the env's generator, as SB3 does, so N episodes are the first N of one
 * seeded stream. Sampled actions (deterministic: false) come from a generator derived from the evaluation
 * seed (`derivedSeed(seed, 'evaluation-actions')`), never from the agent's training sampler: an evaluation
 * leaves the agent as it found it and replays exactly from a checkpoint.
 */
import { derivedSeed, Rng } from '../../core/rng.js';
import type { Env, Info, ResetResult } from '../../envs/core/env.js';
import type { ActOptions, Agent, CategoricalSampler } from './agent.js';

export interface EvaluateOptions {
  episodes: number;
  seed: number;
  deterministic?: boolean;
  /** Draws sampled categorical actions instead of the derived generator (e.g. TensorFlow's seeded multinomial); its stream runs on across the episodes. */
  sampler?: CategoricalSampler;
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

export function evaluate(env: Env<any, any>, agent: Agent, options: EvaluateOptions): EvaluationResult {
  const play = playEpisodes(env, options, () => agent.onEpisodeStart?.());
  let next = play.next();
  while (!next.done) next = play.next(agent.act(next.value.observation, next.value.options));
  return next.value;
}

/** A policy whose action comes asynchronously (an ONNX runtime session, a remote service). */
export type AsyncPolicy = (observation: unknown, options: ActOptions) => Promise<unknown>;

/** `evaluate` for an asynchronous policy: the same episodes, seeds and metrics. */
export async function evaluateAsync(env: Env<any, any>, policy: AsyncPolicy, options: EvaluateOptions): Promise<EvaluationResult> {
  const play = playEpisodes(env, { ...options, sampler: undefined });
  let next = play.next();
  while (!next.done) next = play.next(await policy(next.value.observation, next.value.options));
  return next.value;
}

/** One decision of an evaluation: what the policy sees and how it is asked to act. */
interface Decision {
  observation: unknown;
  options: ActOptions;
}

/**
 * The evaluation's episodes as a coroutine, so the synchronous and the asynchronous evaluator play the
 * same loop: it yields each decision, is resumed with the action, and returns the metrics at the end.
 */
function* playEpisodes(
  env: Env<any, any>,
  { episodes, seed, deterministic = true, sampler }: EvaluateOptions,
  onEpisodeStart?: () => void,
): Generator<Decision, EvaluationResult, unknown> {
  const record = new EpisodeRecord();
  const rng = deterministic ? undefined : new Rng(derivedSeed(seed, 'evaluation-actions'));
  for (let episode = 0; episode < episodes; episode++) {
    const first: ResetResult<unknown> = env.reset(episode === 0 ? { seed } : {});
    let { observation, info } = first;
    onEpisodeStart?.();
    for (;;) {
      const action: unknown = yield { observation, options: { mask: info.actionMask, deterministic, info, rng, sampler } };
      const step = env.step(action);
      record.step(step.reward);
      observation = step.observation;
      info = step.info;
      if (step.terminated || step.truncated) break;
    }
    record.endEpisode(info);
  }
  return { episodes, seed, metrics: record.summaries() };
}

/** Per-episode return, length and the env's `info.metrics` at each episode's end. */
class EpisodeRecord {
  private readonly perEpisode: Record<string, number[]> = { return: [], length: [] };
  private episodeReturn = 0;
  private length = 0;

  step(reward: number): void {
    this.episodeReturn += reward;
    this.length++;
  }

  endEpisode(info: Info): void {
    this.perEpisode.return.push(this.episodeReturn);
    this.perEpisode.length.push(this.length);
    for (const [name, value] of Object.entries(info.metrics ?? {})) (this.perEpisode[name] ??= []).push(value);
    this.episodeReturn = 0;
    this.length = 0;
  }

  summaries(): Record<string, MetricSummary> {
    return Object.fromEntries(Object.entries(this.perEpisode).map(([name, values]) => [name, summarize(values)]));
  }
}

export function summarize(values: number[]): MetricSummary {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  const variance = n ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / n : NaN;
  return { mean, std: Math.sqrt(variance), values };
}
