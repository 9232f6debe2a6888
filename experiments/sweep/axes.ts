/**
 * The values of one sweep axis: a list as written, a mathjs expression (`0.1:0.2:0.9` is a range with
 * its end included, `10 .^ (-5:-2)` a log-space), or `count` seeded random samples (repeats dropped).
 */
import { evaluate, format, isBigNumber, isFraction, isMatrix } from 'mathjs';
import { InputFileError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { SweepAxis } from '../spec/types.js';

export function axisValues(axis: SweepAxis, file: string, path: string): unknown[] {
  switch (axis.kind) {
    case 'grid':
      return axis.values;
    case 'expr':
      return expressionValues(axis.expr, file, path);
    case 'random':
      return randomValues(axis);
  }
}

function expressionValues(expr: string, file: string, path: string): number[] {
  let result: unknown;
  try {
    result = evaluate(expr);
  } catch (e) {
    throw new InputFileError(
      file,
      undefined,
      `${path}.expr`,
      `malformed mathjs expression '${expr}': ${(e as Error).message}; examples: "0.1:0.2:0.9", "10 .^ (-4:-1)", "range(1, 5)"`,
    );
  }
  const values: unknown[] = (
    isMatrix(result) ? (result.toArray() as unknown[]) : Array.isArray(result) ? (result as unknown[]) : [result]
  ).flat(Infinity);
  const numbers = values.map((v) => (isBigNumber(v) || isFraction(v) ? Number(v) : v));
  if (numbers.length === 0)
    throw new InputFileError(file, undefined, `${path}.expr`, `expression '${expr}' gives no values; an axis needs at least one`);
  const bad = numbers.find((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad !== undefined)
    throw new InputFileError(
      file,
      undefined,
      `${path}.expr`,
      `expression '${expr}' gives ${format(bad)}; an axis expression must give finite real numbers`,
    );
  // 12 significant digits: 0.1:0.1:0.3 gives 0.3, not 0.30000000000000004, so run ids and labels stay clean.
  return (numbers as number[]).map((v) => Number(v.toPrecision(12)));
}

function randomValues(axis: Extract<SweepAxis, { kind: 'random' }>): unknown[] {
  const rng = new Rng(axis.seed);
  const draw = (): unknown => {
    switch (axis.distribution) {
      case 'uniform':
        return rng.uniform(axis.low, axis.high);
      case 'loguniform':
        return Math.exp(rng.uniform(Math.log(axis.low!), Math.log(axis.high!)));
      case 'int':
        return rng.integers(Math.ceil(axis.low!), Math.floor(axis.high!) + 1);
      case 'choice':
        return rng.choice(axis.values!);
    }
  };
  // Drawing a value twice would run the same config twice: keep the first of each.
  const values = Array.from({ length: axis.count }, draw);
  return values.filter((v, i) => values.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
}
