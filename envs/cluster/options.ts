/**
 * The options of ClusterScheduling-v0 (DeepRM's parameters.py in camelCase), their presets and the checks
 * across options (a job must fit the machine, the backlog must tile the image, …).
 */
import { OptionError } from '../../core/errors.js';
import { opt, parseOptions } from '../../core/options.js';
import { presetValues } from './presets.js';
import { makeWorkload, parseWorkloadOption, WORKLOAD_ACCEPTED, type WorkloadSource } from './workload/index.js';

export const ENV_ID = 'ClusterScheduling-v0';

export const clusterOptions = {
  preset: opt.string('deeprm-default'),
  numRes: opt.int(2, { min: 1 }),
  resSlot: opt.int(10, { min: 1 }),
  timeHorizon: opt.int(20, { min: 2 }),
  maxJobLen: opt.int(15, { min: 1 }),
  maxJobSize: opt.int(10, { min: 1 }),
  numSlots: opt.int(5, { min: 1 }),
  backlogSize: opt.int(60, { min: 0 }),
  newJobRate: opt.number(0.7, { min: 0, max: 1 }),
  simuLen: opt.int(10, { min: 1 }),
  numSequences: opt.int(1, { min: 1 }),
  episodeMaxLength: opt.int(200, { min: 1 }),
  end: opt.oneOf('no_new_job', ['no_new_job', 'all_done'] as const),
  observation: opt.oneOf('image', ['image', 'compact'] as const),
  workload: opt.custom<Record<string, unknown>>({ type: 'bimodal' }, WORKLOAD_ACCEPTED, parseWorkloadOption),
};

export interface ClusterParams {
  preset: string;
  numRes: number;
  resSlot: number;
  timeHorizon: number;
  maxJobLen: number;
  maxJobSize: number;
  numSlots: number;
  backlogSize: number;
  newJobRate: number;
  simuLen: number;
  numSequences: number;
  episodeMaxLength: number;
  end: 'no_new_job' | 'all_done';
  observation: 'image' | 'compact';
  workload: WorkloadSource;
}

/** Parses options over the chosen preset and checks them together. */
export function parseClusterOptions(raw: Record<string, unknown> = {}): ClusterParams {
  const presetName = clusterOptions.preset.default;
  const chosen = raw?.preset === undefined ? presetName : raw.preset;
  if (typeof chosen !== 'string') throw new OptionError('preset', `must be a string, got ${JSON.stringify(chosen)}`, 'a preset name', ENV_ID);
  const o = parseOptions(ENV_ID, { ...presetValues(chosen), ...raw }, clusterOptions);
  const fail = (option: string, problem: string, accepted: string): never => {
    throw new OptionError(option, problem, accepted, ENV_ID);
  };
  if (o.maxJobLen >= o.timeHorizon) {
    // Placement scans offsets 0 … timeHorizon − len − 1, as the reference: a job as long as the horizon never fits.
    fail('maxJobLen', `(${o.maxJobLen}) is not shorter than timeHorizon (${o.timeHorizon})`, `an integer in 1 … timeHorizon − 1 = ${o.timeHorizon - 1}`);
  }
  if (o.maxJobSize > o.resSlot) {
    fail('maxJobSize', `(${o.maxJobSize}) is larger than the machine (resSlot ${o.resSlot}): such a job could never run`, `an integer in 1 … resSlot = ${o.resSlot}`);
  }
  if (o.backlogSize % o.timeHorizon !== 0) {
    fail('backlogSize', `(${o.backlogSize}) is not a multiple of timeHorizon (${o.timeHorizon}), so the backlog cannot be drawn as columns of the image`, `a multiple of ${o.timeHorizon}`);
  }
  const workload = makeWorkload(o.workload, o);
  return { ...o, workload };
}
