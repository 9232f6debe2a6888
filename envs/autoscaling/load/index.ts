/** The `load` option of Autoscaling-v0 and MicroserviceAutoscaling-v0: `{"type": "constant" | "diurnal" | "trace", ...}`. */
import { OptionError } from '../../../core/errors.js';
import { ConstantLoad } from './constant.js';
import { DiurnalLoad } from './diurnal.js';
import type { LoadSource } from './load-source.js';
import { TraceLoad } from './trace.js';

export type { EpisodeLoad, LoadSource } from './load-source.js';
export { ConstantLoad, DiurnalLoad, TraceLoad };

const LOAD_TYPES: Record<string, (raw: Record<string, unknown>, owner: string) => LoadSource> = {
  constant: (raw, owner) => new ConstantLoad(raw, owner),
  diurnal: (raw, owner) => new DiurnalLoad(raw, owner),
  trace: (raw, owner) => new TraceLoad(raw, owner),
};

export const LOAD_ACCEPTED = `{"type": "constant", "rate"} | {"type": "diurnal", "peakRate", "peakToTrough", "period", "noise", "burstsPerHour", "burstMagnitude", "burstDuration", "randomStart"} | {"type": "trace", "path", "timeScale", "rateScale"}`;

/** `owner` names the env in error messages. */
export function makeLoadSource(raw: unknown, owner = 'Autoscaling-v0'): LoadSource {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OptionError('load', `must be an object, got ${JSON.stringify(raw)}`, LOAD_ACCEPTED, owner);
  }
  const type = (raw as Record<string, unknown>).type;
  const build = typeof type === 'string' ? LOAD_TYPES[type] : undefined;
  if (!build)
    throw new OptionError(
      'load.type',
      `is ${JSON.stringify(type)}`,
      Object.keys(LOAD_TYPES)
        .map((t) => `'${t}'`)
        .join(' | '),
      owner,
    );
  return build(raw as Record<string, unknown>, owner);
}
