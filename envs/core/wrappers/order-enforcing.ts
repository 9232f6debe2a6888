import { ResetNeededError } from '../../../core/errors.js';
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';

/**
 * Refuses `step` before the first `reset` and after an episode ended (terminated or truncated) until
 * the next `reset`; Gymnasium's OrderEnforcing plus its "step after done" rule.
 */
export class OrderEnforcing<Obs, Act> extends Wrapper<Obs, Act> {
  private hasReset = false;
  private ended = false;

  constructor(env: Env<Obs, Act>) {
    super(env);
  }

  override step(action: Act): StepResult<Obs> {
    if (!this.hasReset) throw new ResetNeededError(`${this.spec?.id ?? 'env'}: call reset() before step()`);
    if (this.ended) {
      throw new ResetNeededError(`${this.spec?.id ?? 'env'}: the episode has ended (terminated or truncated); call reset() before step()`);
    }
    const result = this.env.step(action);
    this.ended = result.terminated || result.truncated;
    return result;
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    this.hasReset = true;
    this.ended = false;
    return this.env.reset(args);
  }

  override render(): string | undefined {
    if (!this.hasReset) throw new ResetNeededError(`${this.spec?.id ?? 'env'}: call reset() before render()`);
    return this.env.render();
  }

  get hasResetOnce(): boolean {
    return this.hasReset;
  }
}
