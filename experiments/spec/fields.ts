/**
 * Typed readers for the fields of an experiment file: each names the key path of a bad value
 * (`tasks[1].agents[0].totalSteps`) and what is accepted, through `InputFileError`.
 */
import { InputFileError } from '../../core/errors.js';

export type Plain = Record<string, unknown>;

export class Fields {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new InputFileError(this.file, undefined, path || '(top level)', problem);
  }

  describe(v: unknown): string {
    if (v === undefined) return 'nothing';
    if (typeof v === 'string') return `'${v}'`;
    // NaN and ±Infinity (YAML's .nan, JSON's 1e999) by name: JSON.stringify would print them as null.
    if (typeof v === 'number') return String(v);
    return JSON.stringify(v) ?? `a ${typeof v}`;
  }

  /** An object whose keys are all among `known`. */
  object(path: string, v: unknown, known?: readonly string[]): Plain {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `must be a mapping, got ${this.describe(v)}`);
    if (known) {
      for (const key of Object.keys(v)) {
        if (!known.includes(key)) this.fail(join(path, key), `is not a known key; accepted here: ${known.join(', ')}`);
      }
    }
    return v as Plain;
  }

  optionalObject(path: string, v: unknown): Plain {
    return v === undefined ? {} : this.object(path, v);
  }

  string(path: string, v: unknown, pattern?: RegExp, patternText?: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${this.describe(v)}`);
    if (pattern && !pattern.test(v)) this.fail(path, `is ${this.describe(v)}; accepted: ${patternText}`);
    return v;
  }

  int(path: string, v: unknown, min: number, def?: number): number {
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(path, `must be an integer >= ${min}, got ${this.describe(v)}`);
    return v;
  }

  number(path: string, v: unknown, def?: number): number {
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a finite number, got ${this.describe(v)}`);
    return v;
  }

  bool(path: string, v: unknown, def: boolean): boolean {
    if (v === undefined) return def;
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${this.describe(v)}`);
    return v;
  }

  oneOf<T extends string>(path: string, v: unknown, values: readonly T[], def?: T): T {
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'string' || !values.includes(v as T))
      this.fail(path, `is ${this.describe(v)}; accepted: ${values.map((x) => `'${x}'`).join(' | ')}`);
    return v as T;
  }

  array(path: string, v: unknown, { nonEmpty = true } = {}): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be a list, got ${this.describe(v)}`);
    if (nonEmpty && v.length === 0) this.fail(path, 'is an empty list; give at least one entry');
    return v;
  }

  stringList(path: string, v: unknown): string[] | undefined {
    if (v === undefined) return undefined;
    return this.array(path, v).map((x, i) => this.string(`${path}[${i}]`, x));
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
