/**
 * Training callbacks (Stable-Baselines3's EvalCallback, CheckpointCallback and
 * StopTrainingOnRewardThreshold), called by learned agents after every rollout/update iteration.
 * Callbacks run in the order given and share `ctx.metrics`, so an early stop placed after an
 * evaluation can read the evaluation's figures.
 */
import type { Env } from '../../envs/core/env.js';
import type { Callback, CallbackContext } from './agent.js';
import { evaluate, type EvaluationResult } from './evaluation.js';

/**
 * Every `everySteps` environment steps, evaluates the agent on its own env; records `eval/mean_reward` (SB3's
 * name). With `bestModelDir` it also keeps the best model so far (SB3's best_model_save_path): the agent is
 * saved there whenever its mean evaluation return beats every earlier one, and once more at the end of
 * training if the final model, evaluated then, beats them too. `best` says which evaluation won.
 */
export class EvalCallback implements Callback {
  readonly results: { steps: number; result: EvaluationResult }[] = [];
  best: { steps: number; meanReturn: number } | undefined;
  private nextAt: number;

  constructor(
    private readonly env: Env<any, any>,
    private readonly opts: {
      everySteps: number;
      episodes?: number;
      seed?: number;
      deterministic?: boolean;
      bestModelDir?: string;
      onResult?: (steps: number, r: EvaluationResult) => void;
    },
  ) {
    this.nextAt = opts.everySteps;
  }

  /**
   * Continues from a run resumed at step `steps`: `history` is what this callback evaluated up to then
   * (later entries are dropped), the best is recomputed from it (the first of the highest, as it was
   * kept), and the next evaluation is the one the uninterrupted run made next. The best model's files
   * are the caller's to keep in `bestModelDir`.
   */
  restore(history: readonly { steps: number; result: EvaluationResult }[], steps: number): void {
    this.results.length = 0;
    this.best = undefined;
    for (const entry of history) {
      if (entry.steps > steps) continue;
      this.results.push(entry);
      const meanReturn = entry.result.metrics.return.mean;
      if (this.opts.bestModelDir && (this.best === undefined || meanReturn > this.best.meanReturn))
        this.best = { steps: entry.steps, meanReturn };
    }
    this.nextAt = (Math.floor(steps / this.opts.everySteps) + 1) * this.opts.everySteps;
  }

  async onRolloutEnd(ctx: CallbackContext): Promise<void> {
    if (ctx.steps < this.nextAt) return;
    while (this.nextAt <= ctx.steps) this.nextAt += this.opts.everySteps;
    await this.evaluateNow(ctx);
  }

  async onTrainingEnd(ctx: CallbackContext): Promise<void> {
    const last = this.results[this.results.length - 1];
    if (this.opts.bestModelDir && last?.steps !== ctx.steps) await this.evaluateNow(ctx);
  }

  private async evaluateNow(ctx: CallbackContext): Promise<void> {
    const result = evaluate(this.env, ctx.agent, {
      episodes: this.opts.episodes ?? 5,
      seed: this.opts.seed ?? 0,
      deterministic: this.opts.deterministic ?? true,
    });
    this.results.push({ steps: ctx.steps, result });
    const meanReturn = result.metrics.return.mean;
    ctx.metrics['eval/mean_reward'] = meanReturn;
    ctx.metrics['eval/mean_ep_length'] = result.metrics.length.mean;
    if (this.opts.bestModelDir && (this.best === undefined || meanReturn > this.best.meanReturn)) {
      this.best = { steps: ctx.steps, meanReturn };
      await ctx.agent.save(this.opts.bestModelDir);
    }
    if (this.best) ctx.metrics['eval/best_mean_reward'] = this.best.meanReturn;
    this.opts.onResult?.(ctx.steps, result);
  }
}

/** Every `everySteps` environment steps (and at the end), saves the agent into `dir`; `lastSaved` is the step of the last good save. */
export class CheckpointCallback implements Callback {
  lastSaved: number | undefined;
  private nextAt: number;

  constructor(
    readonly dir: string,
    private readonly everySteps: number,
  ) {
    this.nextAt = everySteps;
  }

  async onRolloutEnd(ctx: CallbackContext): Promise<void> {
    if (ctx.steps < this.nextAt) return;
    while (this.nextAt <= ctx.steps) this.nextAt += this.everySteps;
    await ctx.agent.save(this.dir);
    this.lastSaved = ctx.steps;
  }

  async onTrainingEnd(ctx: CallbackContext): Promise<void> {
    if (this.lastSaved === ctx.steps) return;
    await ctx.agent.save(this.dir);
    this.lastSaved = ctx.steps;
  }
}

/**
 * Stops training once `metric` (default `rollout/ep_rew_mean`, the mean return of the last 100
 * training episodes; use `eval/mean_reward` after an EvalCallback) reaches `threshold`.
 */
export class StopOnRewardThreshold implements Callback {
  reachedAt: number | undefined;

  constructor(
    readonly threshold: number,
    readonly metric = 'rollout/ep_rew_mean',
  ) {}

  onRolloutEnd(ctx: CallbackContext): boolean {
    const v = ctx.metrics[this.metric];
    if (v !== undefined && v >= this.threshold) {
      this.reachedAt = ctx.steps;
      return false;
    }
    return true;
  }
}
