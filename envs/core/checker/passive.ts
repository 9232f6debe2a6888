/**
 * Gymnasium's PassiveEnvChecker, the innermost wrapper of `make`: checks the spaces when built and the
 * first reset and the first step against the API (the same checks as `checkEnv`, in validate.ts),
 * reporting problems as process warnings ('EnvCheckerWarning') without changing anything. Unlike
 * `checkEnv` it never draws from the spaces or the env, so wrapping changes no result.
 */
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { checkActionMask, checkResetResult, checkSpace, checkStepResult, envLabel, isPlainObject } from './validate.js';

export class PassiveEnvChecker<Obs, Act> extends Wrapper<Obs, Act> {
  private checkedReset = false;
  private checkedStep = false;
  private spacesValid: boolean;

  constructor(env: Env<Obs, Act>) {
    super(env);
    const problems = [
      ...checkSpace(env.actionSpace, 'action', { sample: false }).problems,
      ...checkSpace(env.observationSpace, 'observation', { sample: false }).problems,
    ];
    this.spacesValid = problems.length === 0;
    for (const p of problems) warn(env, p);
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    if (!this.checkedReset && this.spacesValid) {
      this.checkedReset = true;
      const problems = checkResetResult(result, this.observationSpace);
      if (!problems.length && result.info.actionMask !== undefined) {
        problems.push(...checkActionMask(result.info.actionMask, this.actionSpace, 'after reset()', true));
      }
      for (const p of problems) warn(this, p);
    }
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    if (!this.checkedStep && this.spacesValid) {
      this.checkedStep = true;
      const problems = checkStepResult(result, this.observationSpace).map((f) => f.message);
      if (!problems.length && isPlainObject(result.info) && result.info.actionMask !== undefined) {
        problems.push(
          ...checkActionMask(result.info.actionMask, this.actionSpace, 'after step()', !(result.terminated || result.truncated)),
        );
      }
      for (const p of problems) warn(this, p);
    }
    return result;
  }
}

function warn(env: Env<any, any>, message: string): void {
  process.emitWarning(`${envLabel(env)}: ${message}`, 'EnvCheckerWarning');
}
