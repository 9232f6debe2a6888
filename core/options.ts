/**
 * Option parsing for envs and agents: every option has a default, a check and a description of what is
 * accepted, so a malformed option is reported by name (its path, for nested options), with its type and
 * allowed values. A parser reports a bad value by throwing an `OptionProblem`; `parseOptions` turns it into
 * the `OptionError` the user sees.
 */
import { OptionError } from './errors.js';

/**
 * What is wrong with one option value: the problem in words and, for a value inside a nested option
 * (an array of services, an object of resources), the path to it below the option (['services', '2']).
 */
export class OptionProblem {
  constructor(
    readonly problem: string,
    readonly path: readonly string[] = [],
    /** What is accepted at that path, when it differs from the option's own description. */
    readonly accepted?: string,
  ) {}

  /** The same problem one level further down (`key` prepended to the path). */
  within(key: string | number): OptionProblem {
    return new OptionProblem(this.problem, [String(key), ...this.path], this.accepted);
  }
}

export interface OptionSpec<T> {
  default: T;
  accepted: string;
  /** Returns the parsed value, or throws an OptionProblem describing what is wrong. */
  parse: (value: unknown) => T;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  // NaN and ±Infinity (YAML's .nan, JSON's 1e999) by name: JSON.stringify would print them as null.
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v) ?? String(v);
}

export const opt = {
  number(def: number, { min = -Infinity, max = Infinity, minExclusive = false } = {}): OptionSpec<number> {
    const accepted = `a number ${minExclusive ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}`;
    return {
      default: def,
      accepted,
      parse: (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionProblem(`must be a finite number, got ${describe(v)}`);
        if (minExclusive ? v <= min : v < min) throw new OptionProblem(`is ${v}, out of range`);
        if (v > max) throw new OptionProblem(`is ${v}, out of range`);
        return v;
      },
    };
  },
  int(def: number, { min = -Infinity, max = Infinity } = {}): OptionSpec<number> {
    return {
      default: def,
      accepted: `an integer >= ${min}${max < Infinity ? ` and <= ${max}` : ''}`,
      parse: (v) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new OptionProblem(`must be an integer, got ${describe(v)}`);
        if (v < min || v > max) throw new OptionProblem(`is ${v}, out of range`);
        return v;
      },
    };
  },
  bool(def: boolean): OptionSpec<boolean> {
    return {
      default: def,
      accepted: 'true or false',
      parse: (v) => {
        if (typeof v !== 'boolean') throw new OptionProblem(`must be a boolean, got ${describe(v)}`);
        return v;
      },
    };
  },
  oneOf<const T extends string>(def: T, values: readonly T[]): OptionSpec<T> {
    return {
      default: def,
      accepted: values.map((v) => `'${v}'`).join(' | '),
      parse: (v) => {
        if (typeof v !== 'string' || !values.includes(v as T)) throw new OptionProblem(`is ${describe(v)}`);
        return v as T;
      },
    };
  },
  string(def: string): OptionSpec<string> {
    return {
      default: def,
      accepted: 'a string',
      parse: (v) => {
        if (typeof v !== 'string') throw new OptionProblem(`must be a string, got ${describe(v)}`);
        return v;
      },
    };
  },
  intArray(def: number[] | null, { min = -Infinity } = {}): OptionSpec<number[] | null> {
    return {
      default: def,
      accepted: `null or an array of integers >= ${min}`,
      parse: (v) => {
        if (v === null) return null;
        if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x >= min)) throw new OptionProblem(`is ${describe(v)}`);
        return v as number[];
      },
    };
  },
  /** Any value with a custom parser; `parse` throws an OptionProblem naming the problem. */
  custom<T>(def: T, accepted: string, parse: (v: unknown) => T): OptionSpec<T> {
    return { default: def, accepted, parse };
  },
};

export type OptionValues<S extends Record<string, OptionSpec<unknown>>> = { [K in keyof S]: S[K]['default'] };

/**
 * Validates `raw` against `schema`: unknown keys are rejected (listing the known ones), missing keys
 * take their defaults. `owner` names the env or agent in messages.
 */
export function parseOptions<S extends Record<string, OptionSpec<any>>>(
  owner: string,
  raw: Record<string, unknown> | undefined,
  schema: S,
): OptionValues<S> {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw new OptionError('options', `must be an object, got ${describe(raw)}`, 'a JSON object of option names to values', owner);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw ?? {})) {
    if (!(key in schema)) {
      throw new OptionError(
        key,
        'is not an option',
        Object.keys(schema).length ? `one of ${Object.keys(schema).join(', ')}` : 'none (this takes no options)',
        owner,
      );
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const value = raw?.[key];
    if (value === undefined) {
      out[key] = spec.default;
      continue;
    }
    try {
      out[key] = spec.parse(value);
    } catch (e) {
      if (!(e instanceof OptionProblem)) throw e;
      throw new OptionError([key, ...e.path].join('.'), e.problem, e.accepted ?? spec.accepted, owner);
    }
  }
  return out as OptionValues<S>;
}
