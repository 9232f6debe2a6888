/**
 * Gymnasium's PassiveEnvChecker: checks the first reset and the first step of an env against the API
 * and reports problems as process warnings, without changing anything.
 */
import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';

export class PassiveEnvChecker<Obs, Act> extends Wrapper<Obs, Act> {
  private checkedReset = false;
  private checkedStep = false;

  constructor(env: Env<Obs, Act>) {
    super(env);
    if (!env.observationSpace) warn(env, 'the env has no observationSpace; build it in the constructor');
    if (!env.actionSpace) warn(env, 'the env has no actionSpace; build it in the constructor');
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    if (!this.checkedReset) {
      this.checkedReset = true;
      if (!result || typeof result !== 'object') warn(this, 'reset() must return {observation, info}');
      else {
        if (!this.observationSpace.contains(result.observation)) warn(this, 'the observation returned by reset() is not within the observation space');
        if (!result.info || typeof result.info !== 'object') warn(this, 'reset() must return an info object');
      }
    }
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    if (!this.checkedStep) {
      this.checkedStep = true;
      if (!result || typeof result !== 'object') warn(this, 'step() must return {observation, reward, terminated, truncated, info}');
      else {
        if (typeof result.terminated !== 'boolean') warn(this, `terminated must be a boolean, got ${typeof result.terminated}`);
        if (typeof result.truncated !== 'boolean') warn(this, `truncated must be a boolean, got ${typeof result.truncated}`);
        if (typeof result.reward !== 'number' || !Number.isFinite(result.reward)) warn(this, `the reward must be a finite number, got ${result.reward}`);
        if (!this.observationSpace.contains(result.observation)) warn(this, 'the observation returned by step() is not within the observation space');
        if (!result.info || typeof result.info !== 'object') warn(this, 'step() must return an info object');
      }
    }
    return result;
  }
}

function warn(env: Env<any, any>, message: string): void {
  process.emitWarning(`${env.spec?.id ?? env.constructor.name}: ${message}`, 'EnvCheckerWarning');
}
