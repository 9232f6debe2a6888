/**
 * The checks on spaces, reset/step results and action masks that both the env checker (`checkEnv`) and
 * the passive checker wrapper run. Each returns the problems it found as sentences that say what is wrong
 * (empty when none), so one reports them as failed checks and the other as warnings.
 */
import { Space, type SpaceJSON } from '../spaces/space.js';

export type SpaceKind = 'observation' | 'action';

export interface Findings {
  problems: string[];
  warnings: string[];
}

/** A short printable form of any value: typed arrays with their class and first entries. */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const a = x as unknown as ArrayLike<number>;
    const head = Array.from({ length: Math.min(a.length, 6) }, (_, i) => a[i]).join(', ');
    return `${x.constructor.name}(${a.length}) [${head}${a.length > 6 ? ', …' : ''}]`;
  }
  if (Array.isArray(x)) return `Array(${x.length}) [${x.slice(0, 6).map(describeValue).join(', ')}${x.length > 6 ? ', …' : ''}]`;
  if (typeof x === 'function') return 'a function';
  const name = x.constructor?.name;
  try {
    const json = JSON.stringify(x);
    const text = json.length > 80 ? json.slice(0, 77) + '...' : json;
    return name && name !== 'Object' ? `${name} ${text}` : text;
  } catch {
    return name ?? 'an object';
  }
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/**
 * Gymnasium's `check_space` and `check_space_limit`: the space is a Space, its parameters are sane,
 * and (unless `sample` is false, as in the passive checker, which must not draw) its own samples are
 * inside it.
 */
export function checkSpace(space: unknown, kind: SpaceKind, { sample = true } = {}): Findings {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!(space instanceof Space)) {
    problems.push(
      `the ${kind} space is ${describeValue(space)}, not a Space; build it in the constructor from envs/core/spaces (Box, Discrete, ...)`,
    );
    return { problems, warnings };
  }
  let json: SpaceJSON;
  try {
    json = space.toJSON();
  } catch (e) {
    problems.push(`the ${kind} space's toJSON() threw ${errorText(e)}`);
    return { problems, warnings };
  }
  checkSpaceJSON(json, kind, `the ${kind} space`, problems, warnings);
  if (sample && problems.length === 0) {
    try {
      const value: unknown = space.sample();
      if (!space.contains(value)) {
        problems.push(`the ${kind} space ${space} does not contain its own sample ${describeValue(value)}`);
      }
    } catch (e) {
      problems.push(`the ${kind} space ${space}'s sample() threw ${errorText(e)}`);
    }
  }
  return { problems, warnings };
}

function checkSpaceJSON(json: SpaceJSON, kind: SpaceKind, label: string, problems: string[], warnings: string[]): void {
  switch (json.type) {
    case 'Box': {
      const size = json.shape.reduce((a, b) => a * b, 1);
      if (json.low.length !== size)
        problems.push(`${label} Box has ${json.low.length} low bounds for shape (${json.shape}) of ${size} entries`);
      if (json.high.length !== size)
        problems.push(`${label} Box has ${json.high.length} high bounds for shape (${json.shape}) of ${size} entries`);
      const lowInf = json.low.some((v) => v === -Number.MAX_VALUE);
      const highInf = json.high.some((v) => v === Number.MAX_VALUE);
      if (lowInf) warnings.push(`a Box ${kind} space minimum value is -Infinity; this is probably too low`);
      if (highInf) warnings.push(`a Box ${kind} space maximum value is Infinity; this is probably too high`);
      for (let i = 0; i < Math.min(json.low.length, json.high.length); i++) {
        if (json.low[i] > json.high[i]) problems.push(`${label} Box has low ${json.low[i]} > high ${json.high[i]} at index ${i}`);
        else if (json.low[i] === json.high[i]) warnings.push(`a Box ${kind} space has equal low and high (${json.low[i]}) at index ${i}`);
      }
      if (kind === 'action' && json.shape.length === 1) {
        const normalized = json.low.every(
          (lo, i) => (lo === 0 || Math.abs(lo) === Math.abs(json.high[i])) && lo >= -1 && json.high[i] <= 1,
        );
        if (!normalized)
          warnings.push('for Box action spaces a symmetric, normalized range ([-1, 1] or [0, 1]) is recommended (RescaleAction does it)');
      }
      return;
    }
    case 'Discrete':
      if (!Number.isInteger(json.n) || json.n <= 0) problems.push(`${label} Discrete has n = ${json.n}; it must be a positive integer`);
      return;
    case 'MultiDiscrete':
      if (json.nvec.length === 0 || !json.nvec.every((n) => Number.isInteger(n) && n > 0)) {
        problems.push(`${label} MultiDiscrete has nvec [${json.nvec.join(', ')}]; every entry must be a positive integer`);
      }
      return;
    case 'MultiBinary': {
      const dims = Array.isArray(json.n) ? json.n : [json.n];
      if (!dims.every((n) => Number.isInteger(n) && n > 0))
        problems.push(`${label} MultiBinary has n = ${JSON.stringify(json.n)}; it must be positive`);
      return;
    }
    case 'Tuple':
      if (json.spaces.length === 0) problems.push(`${label} is an empty Tuple, which is not allowed`);
      json.spaces.forEach((s, i) => checkSpaceJSON(s, kind, `${label}[${i}]`, problems, warnings));
      return;
    case 'Dict': {
      const keys = Object.keys(json.spaces);
      if (keys.length === 0) problems.push(`${label} is an empty Dict, which is not allowed`);
      for (const k of keys) checkSpaceJSON(json.spaces[k], kind, `${label}.${k}`, problems, warnings);
      return;
    }
    default:
      problems.push(`${label} has an unknown type ${describeValue((json as { type?: unknown }).type)} in its JSON form`);
  }
}

const BOX_ARRAY: Record<string, string> = { float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array', uint8: 'Uint8Array' };

/**
 * Why `x` is not in `space` (the first offending entry for arrays), or null when it is. A Box value must
 * also be a typed array of the Box's dtype, as Gymnasium's `Box.contains` refuses what it cannot cast
 * safely (a float64 array in a float32 box) and its passive checker warns about lists.
 */
export function notContainedReason(space: Space, x: unknown): string | null {
  if (space.toJSON().type === 'Box') {
    const expected = BOX_ARRAY[space.dtype ?? ''];
    const actual = ArrayBuffer.isView(x) ? x.constructor.name : Array.isArray(x) ? 'Array' : null;
    if (expected && actual && actual !== expected) return `${describeValue(x)} is a ${actual}; values of ${space} are ${expected}s`;
  }
  let inside: boolean;
  try {
    inside = space.contains(x);
  } catch (e) {
    return `${space}.contains() threw ${errorText(e)} on ${describeValue(x)}`;
  }
  if (inside) return null;
  const json = space.toJSON();
  if (json.type === 'Box' && ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const a = x as unknown as ArrayLike<number>;
    const size = json.shape.reduce((p, q) => p * q, 1);
    if (a.length !== size) return `${describeValue(x)} has ${a.length} entries; ${space} has ${size}`;
    const cast = json.dtype === 'float32' ? Math.fround : (v: number) => v;
    for (let i = 0; i < a.length; i++) {
      if (Number.isNaN(a[i])) return `entry ${i} is NaN (${space})`;
      const lo = json.low[i] === -Number.MAX_VALUE ? -Infinity : json.low[i];
      const hi = json.high[i] === Number.MAX_VALUE ? Infinity : json.high[i];
      if (a[i] < cast(lo) || a[i] > cast(hi)) return `entry ${i} is ${a[i]}, outside [${lo}, ${hi}] (${space})`;
    }
    return `${describeValue(x)} has the wrong type for ${space} (expected a ${json.dtype} typed array)`;
  }
  return `${describeValue(x)} is not in ${space}`;
}

/** Gymnasium's reset return checks: `{observation, info}` with the observation in the space. */
export function checkResetResult(result: unknown, observationSpace: Space, call = 'reset()'): string[] {
  if (!isPlainObject(result) || !('observation' in result) || !('info' in result)) {
    return [`${call} must return {observation, info}; it returned ${describeValue(result)}`];
  }
  const problems: string[] = [];
  const why = notContainedReason(observationSpace, result.observation);
  if (why) problems.push(`the observation returned by ${call} is not within the observation space: ${why}`);
  if (!isPlainObject(result.info)) problems.push(`${call} must return an info object; its info is ${describeValue(result.info)}`);
  return problems;
}

export type StepAspect = 'return' | 'flags' | 'reward' | 'observation';

/** Gymnasium's `env_step_passive_checker`, each problem tagged with the aspect of the result it concerns. */
export function checkStepResult(result: unknown, observationSpace: Space, call = 'step()'): { aspect: StepAspect; message: string }[] {
  if (!isPlainObject(result))
    return [
      {
        aspect: 'return',
        message: `${call} must return {observation, reward, terminated, truncated, info}; it returned ${describeValue(result)}`,
      },
    ];
  const missing = ['observation', 'reward', 'terminated', 'truncated', 'info'].filter((k) => !(k in result));
  if (missing.length) {
    return [
      {
        aspect: 'return',
        message: `${call} must return {observation, reward, terminated, truncated, info}; ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
      },
    ];
  }
  const out: { aspect: StepAspect; message: string }[] = [];
  if (!isPlainObject(result.info))
    out.push({ aspect: 'return', message: `${call} must return an info object; its info is ${describeValue(result.info)}` });
  for (const flag of ['terminated', 'truncated'] as const) {
    if (typeof result[flag] !== 'boolean') {
      out.push({
        aspect: 'flags',
        message: `${flag} returned by ${call} must be a boolean, got ${typeof result[flag]} ${describeValue(result[flag])}`,
      });
    }
  }
  const reward = result.reward;
  if (typeof reward !== 'number')
    out.push({
      aspect: 'reward',
      message: `the reward returned by ${call} must be a number, got ${typeof reward} ${describeValue(reward)}`,
    });
  else if (Number.isNaN(reward)) out.push({ aspect: 'reward', message: `the reward returned by ${call} is NaN` });
  else if (!Number.isFinite(reward))
    out.push({ aspect: 'reward', message: `the reward returned by ${call} is ${reward}; it must be finite` });
  const why = notContainedReason(observationSpace, result.observation);
  if (why) out.push({ aspect: 'observation', message: `the observation returned by ${call} is not within the observation space: ${why}` });
  return out;
}

/** The length an action mask must have for the space (MaskablePPO's flattened convention), or null. */
export function maskLength(actionSpace: Space): number | null {
  const json = actionSpace.toJSON();
  if (json.type === 'Discrete') return json.n;
  if (json.type === 'MultiDiscrete') return json.nvec.reduce((a, b) => a + b, 0);
  if (json.type === 'MultiBinary') return 2 * (Array.isArray(json.n) ? json.n.reduce((a, b) => a * b, 1) : json.n);
  return null;
}

/**
 * The action-mask convention: `info.actionMask` is a Uint8Array with one 0/1 entry per action (1 =
 * valid) and, while the episode goes on (`requireValid`), at least one valid action.
 */
export function checkActionMask(mask: unknown, actionSpace: Space, where: string, requireValid: boolean): string[] {
  const expected = maskLength(actionSpace);
  if (expected === null)
    return [`info.actionMask ${where}: masks are defined for Discrete, MultiDiscrete and MultiBinary action spaces, not ${actionSpace}`];
  if (!(mask instanceof Uint8Array)) return [`info.actionMask ${where} must be a Uint8Array (1 = valid), got ${describeValue(mask)}`];
  if (mask.length !== expected)
    return [`info.actionMask ${where} has length ${mask.length}; the action space ${actionSpace} needs ${expected}`];
  let valid = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] > 1) return [`info.actionMask ${where} has ${mask[i]} at index ${i}; entries must be 0 or 1`];
    valid += mask[i];
  }
  if (requireValid && valid === 0)
    return [`info.actionMask ${where} allows no action although the episode goes on; at least one entry must be 1`];
  return [];
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e);
}

/** The env's registered id, else the first named class up the unwrapped env's prototype chain. */
export function envLabel(env: { spec?: { id: string }; unwrapped?: unknown } | undefined): string {
  if (env?.spec?.id) return env.spec.id;
  const parent = (o: object): { constructor?: { name?: string } } | null =>
    Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
  for (let proto = parent(env?.unwrapped ?? env ?? {}); proto; proto = parent(proto)) {
    if (proto.constructor?.name) return proto.constructor.name;
  }
  return 'an unnamed env';
}
