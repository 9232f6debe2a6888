/**
 * The `workload` option of ClusterScheduling-v0: `{type: 'bimodal'}` (default; option `shortChance`),
 * `{type: 'uniform', minLen, maxLen, minSize, maxSize}` or `{type: 'csv', path}`; in code, also any object
 * with a `sequences(rng)` method (a WorkloadSource), whose sequences are checked against the env's limits.
 */
import { OptionError } from '../../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../../core/options.js';
import { BimodalWorkload } from './bimodal.js';
import { CsvWorkload } from './csv.js';
import { CheckedWorkload } from './custom.js';
import type { WorkloadParams, WorkloadSource } from './source.js';
import { UniformWorkload } from './uniform.js';

export type { JobSequence, WorkloadParams, WorkloadSource } from './source.js';
export { BimodalWorkload, CheckedWorkload, CsvWorkload, UniformWorkload };

const OWNER = 'ClusterScheduling-v0 workload';
const TYPES = ['bimodal', 'uniform', 'csv'] as const;
export const WORKLOAD_ACCEPTED =
  "{type: 'bimodal'[, shortChance]} | {type: 'uniform'[, minLen, maxLen, minSize, maxSize]} | {type: 'csv', path} | (in code) an object with a sequences(rng) method";

/** Checks the shape of the option; the source is built once the env's parameters are known. */
export function parseWorkloadOption(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OptionProblem(`must be an object, got ${JSON.stringify(v)}`);
  if (isCustomSource(v)) return v;
  const type = (v as Record<string, unknown>).type;
  if (!TYPES.includes(type as (typeof TYPES)[number])) throw new OptionProblem(`has type ${JSON.stringify(type)}`);
  return v as Record<string, unknown>;
}

function isCustomSource(v: object): v is Pick<WorkloadSource, 'sequences'> {
  return typeof (v as { sequences?: unknown }).sequences === 'function';
}

export function makeWorkload(spec: Record<string, unknown>, p: WorkloadParams): WorkloadSource {
  if (isCustomSource(spec)) return new CheckedWorkload(spec, p);
  const { type, ...rest } = spec;
  switch (type) {
    case 'bimodal': {
      const o = parseOptions(OWNER, rest, { shortChance: opt.number(0.8, { min: 0, max: 1 }) });
      return new BimodalWorkload(p, o.shortChance);
    }
    case 'uniform': {
      const o = parseOptions(OWNER, rest, {
        minLen: opt.int(1, { min: 1, max: p.maxJobLen }),
        maxLen: opt.int(p.maxJobLen, { min: 1, max: p.maxJobLen }),
        minSize: opt.int(1, { min: 1, max: p.maxJobSize }),
        maxSize: opt.int(p.maxJobSize, { min: 1, max: p.maxJobSize }),
      });
      if (o.minLen > o.maxLen)
        throw new OptionError('minLen', `(${o.minLen}) is greater than maxLen (${o.maxLen})`, 'minLen <= maxLen', OWNER);
      if (o.minSize > o.maxSize)
        throw new OptionError('minSize', `(${o.minSize}) is greater than maxSize (${o.maxSize})`, 'minSize <= maxSize', OWNER);
      return new UniformWorkload(p, o);
    }
    default: {
      const o = parseOptions(OWNER, rest, { path: opt.string('') });
      if (!o.path) throw new OptionError('path', 'is missing', 'the path of a CSV job list (arrival,length,demand_0,…)', OWNER);
      return new CsvWorkload(o.path, p);
    }
  }
}
