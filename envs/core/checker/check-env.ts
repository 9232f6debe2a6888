/**
 * The env checker: every check of Gymnasium's `check_env` (gymnasium.utils.env_checker, 1.x) plus
 * schedlab's action-mask convention, each reported by name with a message that says what is wrong.
 *
 * As Gymnasium, the checks run on the env as given and read the generator of `env.unwrapped`; a wrapped
 * env gets a warning, since wrappers can hide or cause problems (check `make(id).unwrapped`).
 * The checks reset and step the env and finally close it (twice), so check a fresh env.
 */
import { SchedlabError } from '../../../core/errors.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import type { Space } from '../spaces/space.js';
import { firstDifference } from './equivalence.js';
import {
  checkActionMask,
  checkResetResult,
  checkSpace,
  checkStepResult,
  describeValue,
  envLabel,
  errorText,
  isPlainObject,
  type StepAspect,
} from './validate.js';

export interface EnvCheck {
  name: string;
  ok: boolean;
  /** What is wrong when the check failed; what was verified when it passed. */
  message: string;
}

export interface EnvCheckReport {
  env: string;
  passed: boolean;
  checks: EnvCheck[];
  /** Gymnasium's warnings: not failures, but probably worth a look. */
  warnings: string[];
}

export interface CheckEnvOptions {
  /** Skip the checks of `metadata.renderModes` and `render()` (Gymnasium's skip_render_check). */
  skipRenderCheck?: boolean;
  /** Skip closing the env twice at the end (Gymnasium's skip_close_check). */
  skipCloseCheck?: boolean;
}

/** Every check that fails makes `checkEnvOrThrow` throw this, listing the failed checks. */
export class EnvCheckError extends SchedlabError {
  constructor(readonly report: EnvCheckReport) {
    const failed = report.checks.filter((c) => !c.ok);
    super(
      `${report.env} fails ${failed.length} env check${failed.length === 1 ? '' : 's'}:\n${failed.map((c) => `  - ${c.name}: ${c.message}`).join('\n')}`,
    );
  }
}

// Gymnasium's seeds in check_reset_seed_determinism / check_step_determinism.
const SEED = 123;
const OTHER_SEED = 456;
/** Steps compared by the step determinism check (fewer when the episode ends first). */
const DETERMINISM_STEPS = 10;

/** Runs every check and returns the report; never throws for a broken env. */
export function checkEnv(env: Env<any, any>, options: CheckEnvOptions = {}): EnvCheckReport {
  const checks: EnvCheck[] = [];
  const warnings: string[] = [];
  const name = envLabel(env);
  // A check's body returns its problems, or a string saying what passed when that differs from `passes`.
  const run = (checkName: string, passes: string, body: () => string[] | string): void => {
    let outcome: string[] | string;
    try {
      outcome = body();
    } catch (e) {
      outcome = [e instanceof CheckFailure ? e.message : `threw ${errorText(e)}`];
    }
    if (typeof outcome === 'string') checks.push({ name: checkName, ok: true, message: outcome });
    else checks.push({ name: checkName, ok: outcome.length === 0, message: outcome.length ? outcome.join('; ') : passes });
  };

  run('env type', 'the env is an Env with reset, step and close', () => {
    if (!(env instanceof Env)) return [`the env must extend Env (envs/core/env.ts), got ${describeValue(env)}`];
    const missing = (['reset', 'step', 'close'] as const).filter((m) => typeof env[m] !== 'function');
    return missing.length ? [`the env has no ${missing.join(', ')} method`] : [];
  });
  // Nothing else can be checked on something that is not an env, or without valid spaces.
  if (!checks[0].ok) return { env: name, passed: false, checks, warnings };
  if (env.unwrapped !== env) {
    warnings.push(
      `the env ${env} is wrapped (the unwrapped env is ${env.unwrapped}); wrappers can hide or cause problems, so prefer checking env.unwrapped`,
    );
  }
  if (typeof (env as { seed?: unknown }).seed === 'function') {
    warnings.push('the env has a seed() method; seeding is done with reset({seed}) only (Gymnasium dropped Env.seed)');
  }
  const deterministic = env.spec?.nondeterministic !== true;

  // ============ Spaces ============
  for (const kind of ['action', 'observation'] as const) {
    run(`${kind} space`, `the ${kind} space is a valid Space and contains its own samples`, () => {
      const findings = checkSpace(kind === 'action' ? env.actionSpace : env.observationSpace, kind);
      warnings.push(...findings.warnings);
      return findings.problems;
    });
  }
  if (checks.some((c) => !c.ok)) return { env: name, passed: false, checks, warnings };

  // ============ reset ============
  run('reset return', 'reset() returns {observation, info} with the observation in the observation space', () => {
    return checkResetResult(env.reset(), env.observationSpace);
  });

  let seededState: string | undefined;
  run(
    'reset seed determinism',
    `reset({seed: ${SEED}}) twice gives equal observations, and so does the unseeded reset() after each`,
    () => {
      const obs1 = resetChecked(env, { seed: SEED }, `reset({seed: ${SEED}})`);
      seededState = rngState(env);
      const obs2 = resetChecked(env, {}, `reset() after reset({seed: ${SEED}})`);
      const obs3 = resetChecked(env, { seed: SEED }, `reset({seed: ${SEED}})`);
      const obs4 = resetChecked(env, {}, `reset() after reset({seed: ${SEED}})`);
      if (!deterministic) return 'skipped the comparisons: the spec is marked nondeterministic';
      const problems: string[] = [];
      const d13 = firstDifference(obs1, obs3, false, 'observation');
      if (d13)
        problems.push(
          `reset({seed: ${SEED}}) twice gave different observations (${d13}); draw all randomness from this.npRandom, which super.reset({seed}) re-creates`,
        );
      else if (firstDifference(obs1, obs3, true))
        warnings.push(`reset({seed: ${SEED}}) twice gave observations that are close but not equal`);
      const d24 = firstDifference(obs2, obs4, false, 'observation');
      if (d24)
        problems.push(
          `the unseeded reset() after reset({seed: ${SEED}}) gave different observations the two times (${d24}); an unseeded reset must continue the seeded generator`,
        );
      else if (firstDifference(obs2, obs4, true))
        warnings.push(`the unseeded reset() after reset({seed: ${SEED}}) gave observations that are close but not equal`);
      return problems;
    },
  );

  run(
    'reset seeds the generator',
    `reset({seed}) re-creates env.unwrapped.npRandom: the same state after seed ${SEED} twice, another after seed ${OTHER_SEED}`,
    () => {
      env.reset({ seed: SEED });
      const seed = env.unwrapped.npRandomSeed;
      if (seed !== SEED) {
        return [
          `after reset({seed: ${SEED}}) the env's generator ${seed === undefined ? 'does not exist' : `has seed ${seed}`}; reset() must call super.reset(args) so that a seed re-creates this.npRandom`,
        ];
      }
      const problems: string[] = [];
      const first = seededState ?? rngState(env);
      env.reset({ seed: SEED });
      const again = rngState(env);
      if (again !== first)
        problems.push(
          `the env's generator state differs after reset({seed: ${SEED}}) twice (${first} vs ${again}); reset must not replace this.npRandom or draw a varying amount from it`,
        );
      env.reset({ seed: OTHER_SEED });
      if (rngState(env) === again)
        problems.push(
          `the env's generator has the same state after reset({seed: ${OTHER_SEED}}) as after reset({seed: ${SEED}}): the seed passed to reset() is ignored; pass args on with super.reset(args)`,
        );
      return problems;
    },
  );

  run('reset options', 'reset({options: {}}) is accepted', () => {
    resetChecked(env, { options: {} }, 'reset({options: {}})');
    return [];
  });

  // ============ step ============
  const stepAspects: [StepAspect, string, string][] = [
    ['return', 'step return', 'step() returns {observation, reward, terminated, truncated, info} with an info object'],
    ['flags', 'step flags', 'terminated and truncated are booleans'],
    ['reward', 'step reward', 'the reward is a finite number'],
    ['observation', 'step observation', 'the observation is within the observation space'],
  ];
  let stepFindings: { aspect: StepAspect; message: string }[];
  try {
    const reset = env.reset();
    stepFindings = checkStepResult(env.step(sampleAction(env.actionSpace, reset?.info)), env.observationSpace);
  } catch (e) {
    stepFindings = stepAspects.map(([aspect]) => ({ aspect, message: `reset() then step(a sampled action) threw ${errorText(e)}` }));
  }
  for (const [aspect, checkName, passes] of stepAspects) {
    run(checkName, passes, () => stepFindings.filter((f) => f.aspect === aspect).map((f) => f.message));
  }

  let firstSteps: [StepResult<unknown>, StepResult<unknown>] | undefined;
  run(
    'step determinism',
    `after reset({seed: ${SEED}}) the same ${DETERMINISM_STEPS} actions give the same observations, rewards, flags, infos and generator states`,
    () => {
      // Gymnasium steps once; a short action sequence also catches state that leaks from one step to the next.
      env.actionSpace.seed(SEED);
      let info = env.reset({ seed: SEED }).info;
      const actions: unknown[] = [];
      const first: { result: StepResult<unknown>; rng: string }[] = [];
      while (actions.length < DETERMINISM_STEPS) {
        const action = sampleAction(env.actionSpace, info);
        const result = env.step(action);
        actions.push(action);
        first.push({ result, rng: rngState(env) });
        if (result.terminated || result.truncated) break;
        info = result.info;
      }
      env.reset({ seed: SEED });
      const second = actions.map((action) => ({ result: env.step(action), rng: rngState(env) }));
      firstSteps = [first[0].result, second[0].result];
      if (!deterministic) return 'skipped the comparisons: the spec is marked nondeterministic';
      for (let i = 0; i < actions.length; i++) {
        const [a, b] = [first[i].result, second[i].result];
        const at = `step ${i + 1} (action ${describeValue(actions[i])}) after reset({seed: ${SEED}})`;
        const problems: string[] = [];
        if (first[i].rng !== second[i].rng)
          problems.push(`the env's generator state differs at ${at} done twice; step() must draw only from this.npRandom`);
        const obs = firstDifference(a.observation, b.observation, false, 'observation');
        if (obs) problems.push(`${at} gave different observations (${obs})`);
        else if (firstDifference(a.observation, b.observation, true)) warnings.push(`${at} gave observations that are close but not equal`);
        if (a.reward !== b.reward && !(Number.isNaN(a.reward) && Number.isNaN(b.reward)))
          problems.push(`${at} gave different rewards (${a.reward} vs ${b.reward})`);
        if (a.terminated !== b.terminated) problems.push(`${at} gave different terminated flags (${a.terminated} vs ${b.terminated})`);
        const infoDiff = firstDifference(a.info, b.info, false, 'info');
        if (infoDiff) problems.push(`${at} gave different infos (${infoDiff})`);
        if (problems.length) return problems; // the first step that differs; later ones follow from it
      }
      return [];
    },
  );

  run('not truncated after one step', 'truncated is false after the first step', () => {
    if (!firstSteps) return ['could not step the env (see step determinism)'];
    return firstSteps.some((s) => s.truncated !== false)
      ? [
          `truncated is ${describeValue(firstSteps[0].truncated)} after one step; truncation is for limits from outside the task (a TimeLimit), so something has gone very wrong`,
        ]
      : [];
  });

  // ============ action masks ============
  run(
    'action mask',
    'info.actionMask (a 0/1 Uint8Array, one entry per action, at least one 1) agrees with actionMasks() on reset and step',
    () => checkMaskConvention(env),
  );

  // ============ render ============
  if (!options.skipRenderCheck) {
    run('render', 'metadata.renderModes is valid', () => checkRender(env, warnings));
  }

  // ============ close ============
  if (!options.skipCloseCheck) {
    run('close twice', 'close() can be called twice', () => {
      env.close();
      try {
        env.close();
      } catch (e) {
        return [`calling close() on the closed env threw ${errorText(e)}; close() must be safe to call twice`];
      }
      return [];
    });
  }

  return { env: name, passed: checks.every((c) => c.ok), checks, warnings };
}

/** Runs every check and throws an `EnvCheckError` naming each failed one; returns the report when all pass. */
export function checkEnvOrThrow(env: Env<any, any>, options: CheckEnvOptions = {}): EnvCheckReport {
  const report = checkEnv(env, options);
  if (!report.passed) throw new EnvCheckError(report);
  return report;
}

function rngState(env: Env<any, any>): string {
  return JSON.stringify(env.unwrapped.npRandom.state());
}

/** Resets and returns the observation; what it contains is the 'reset return' check's business. */
function resetChecked(env: Env<any, any>, args: ResetArgs, call: string): unknown {
  const result = env.reset(args) as ResetResult<unknown> | undefined;
  if (!isPlainObject(result) || !('observation' in result))
    throw new CheckFailure(`${call} must return {observation, info}; it returned ${describeValue(result)}`);
  return result.observation;
}

/** A failed expectation inside a check, reported as the check's message (without an error class). */
class CheckFailure extends Error {}

/**
 * An action the env accepts: sampled among the valid ones where the info has a well-formed Discrete
 * mask (a malformed mask is the 'action mask' check's business), else from the whole space.
 */
function sampleAction(actionSpace: Space, info: Info | undefined): unknown {
  const mask = info?.actionMask;
  const json = actionSpace.toJSON();
  const usable =
    mask instanceof Uint8Array && json.type === 'Discrete' && mask.length === json.n && mask.every((m) => m <= 1) && mask.includes(1);
  return usable ? actionSpace.sample(mask) : actionSpace.sample();
}

function checkMaskConvention(env: Env<any, any>): string[] | string {
  const reset = env.reset({ seed: SEED });
  const hasMethod = typeof env.actionMasks === 'function';
  const infoHasMask = isPlainObject(reset.info) && reset.info.actionMask !== undefined;
  if (!hasMethod && !infoHasMask) return 'the env has no action mask (neither info.actionMask nor actionMasks())';
  if (!infoHasMask) return ['the env has an actionMasks() method but the info returned by reset() has no actionMask'];
  if (!hasMethod) return ['the info returned by reset() has an actionMask but the env has no actionMasks() method'];
  const problems = checkActionMask(reset.info.actionMask, env.actionSpace, 'after reset()', true);
  if (problems.length) return problems;
  const agree = (mask: Uint8Array, where: string): string[] => {
    const fromMethod = env.actionMasks!();
    const d = firstDifference(mask, fromMethod, true, 'mask');
    return d ? [`actionMasks() ${where} disagrees with info.actionMask (${d} as info.actionMask vs actionMasks())`] : [];
  };
  problems.push(...agree(reset.info.actionMask!, 'after reset()'));
  const step = env.step(sampleAction(env.actionSpace, reset.info));
  const ended = step.terminated || step.truncated;
  if (!isPlainObject(step.info) || step.info.actionMask === undefined) {
    problems.push('the info returned by step() has no actionMask; masked envs give it on reset and on every step');
    return problems;
  }
  const stepProblems = checkActionMask(step.info.actionMask, env.actionSpace, 'after step()', !ended);
  problems.push(...stepProblems);
  if (!stepProblems.length && !ended) problems.push(...agree(step.info.actionMask, 'after step()'));
  return problems;
}

function checkRender(env: Env<any, any>, warnings: string[]): string[] | string {
  const modes = env.metadata?.renderModes as unknown;
  if (!Array.isArray(modes) || !modes.every((m) => typeof m === 'string')) {
    return [`metadata.renderModes must be a list of strings, got ${describeValue(modes)}`];
  }
  const fps = env.metadata.renderFps;
  if (modes.length > 0 && fps === undefined) warnings.push('no metadata.renderFps is declared although the env has render modes');
  if (fps !== undefined && (typeof fps !== 'number' || !(fps > 0)))
    return [`metadata.renderFps must be a positive number, got ${describeValue(fps)}`];
  if (env.renderMode !== undefined && !modes.includes(env.renderMode)) {
    return [`renderMode '${env.renderMode}' is not among metadata.renderModes [${modes.join(', ')}]`];
  }
  if (modes.includes('ansi')) {
    env.reset({ seed: SEED });
    const text = env.render();
    if (typeof text !== 'string')
      return [`render() after reset() must return a string for the 'ansi' render mode, got ${describeValue(text)}`];
    return `metadata is valid and render() returns text for 'ansi'`;
  }
  return `metadata.renderModes is valid ([${modes.join(', ')}])`;
}
