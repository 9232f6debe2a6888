import { OptionError, ResetNeededError } from '../../../core/errors.js';
import { Wrapper, type ResetArgs, type ResetResult, type StepResult } from '../env.js';

/** Truncates an episode after `maxEpisodeSteps` steps (truncated = true, terminated untouched). */
export class TimeLimit<Obs, Act> extends Wrapper<Obs, Act> {
  private elapsedSteps = 0;

  constructor(
    env: import('../env.js').Env<Obs, Act>,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new OptionError('maxEpisodeSteps', `is ${maxEpisodeSteps}`, 'a positive integer', 'TimeLimit');
    }
  }

  override step(action: Act): StepResult<Obs> {
    if (this.elapsedSteps >= this.maxEpisodeSteps) {
      throw new ResetNeededError(
        `${this.spec?.id ?? 'env'}: the episode was truncated at ${this.maxEpisodeSteps} steps; call reset() before step()`,
      );
    }
    const result = this.env.step(action);
    this.elapsedSteps++;
    if (this.elapsedSteps >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    this.elapsedSteps = 0;
    return this.env.reset(args);
  }
}
