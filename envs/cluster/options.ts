/**
 * The options of ClusterScheduling-v0 (DeepRM's parameters.py in camelCase), their presets and the checks
 * across options (a job must fit the machine, the backlog must tile the image, …).
 */
import { OptionError } from '../../core/errors.js';
import { opt, parseOptions, type OptionSpec } from '../../core/options.js';
import { imageWidth } from './image.js';
import { presetValues } from './presets.js';
import { CsvWorkload, makeWorkload, parseWorkloadOption, WORKLOAD_ACCEPTED, type WorkloadSource } from './workload/index.js';

export const ENV_ID = 'ClusterScheduling-v0';

/**
 * Upper limits that keep an env's memory and time bounded (DeepRM's values are far below them): the
 * machine, the image and the up-front sequences are allocated from these options, so `simuLen: 1e8` or
 * `resSlot: 1e7` would exhaust memory or hang instead of failing.
 */
export const CLUSTER_LIMITS = {
  numRes: 32,
  resSlot: 100_000,
  timeHorizon: 10_000,
  numSlots: 10_000,
  backlogSize: 1_000_000,
  simuLen: 1_000_000,
  numSequences: 100_000,
  episodeMaxLength: 1_000_000_000,
  /** numSequences · simuLen: arrival steps drawn up front at a seeded reset. */
  arrivalSteps: 10_000_000,
  /** (timeHorizon − 1) · resSlot · numRes: the machine's per-job arrays and free-unit window. */
  machineCells: 20_000_000,
  /** timeHorizon × image width: floats per image observation. */
  imageCells: 4_000_000,
} as const;

/** An integer option with an upper limit; its message names the limit and why it exists. */
function limited(def: number, min: number, max: number, why: string): OptionSpec<number> {
  const spec = opt.int(def, { min, max });
  return { ...spec, accepted: `${spec.accepted} (limit: ${why})` };
}

export const clusterOptions = {
  preset: opt.string('deeprm-default'),
  numRes: limited(2, 1, CLUSTER_LIMITS.numRes, 'the image grows with the number of resources'),
  resSlot: limited(10, 1, CLUSTER_LIMITS.resSlot, 'the machine and the image hold a cell per unit'),
  timeHorizon: limited(20, 2, CLUSTER_LIMITS.timeHorizon, 'the machine and the image hold a row per step'),
  maxJobLen: opt.int(15, { min: 1 }),
  maxJobSize: opt.int(10, { min: 1 }),
  numSlots: limited(5, 1, CLUSTER_LIMITS.numSlots, 'the action space and the image grow with it'),
  backlogSize: limited(60, 0, CLUSTER_LIMITS.backlogSize, 'the backlog is allocated up front'),
  newJobRate: opt.number(0.7, { min: 0, max: 1 }),
  simuLen: limited(10, 1, CLUSTER_LIMITS.simuLen, 'sequences are drawn up front and kept in memory'),
  numSequences: limited(1, 1, CLUSTER_LIMITS.numSequences, 'sequences are drawn up front and kept in memory'),
  episodeMaxLength: limited(200, 1, CLUSTER_LIMITS.episodeMaxLength, 'times are 32-bit integers'),
  end: opt.oneOf('no_new_job', ['no_new_job', 'all_done'] as const),
  /**
   * 'skip' (every deeprm-* preset): DeepRM's timing, the reference's environment.py exactly; 'play'
   * (schedlab 0.1): step-0 arrivals enter at reset and a step is charged before time advances.
   */
  firstEntry: opt.oneOf('play', ['skip', 'play'] as const),
  observation: opt.oneOf('image', ['image', 'compact'] as const),
  /**
   * Masks "do nothing" when the sequence has no arrival left, no job is on the machine and a job waits:
   * then the step leaves the state as it is, one step later, so it only delays every waiting job.
   */
  maskIdleWhenDrained: opt.bool(false),
  /**
   * Masks "do nothing" whenever no job is on the machine and a job waits (the heuristics' own rule: they
   * never leave an empty machine idle); implies maskIdleWhenDrained.
   */
  maskIdleOnEmptyMachine: opt.bool(false),
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
  firstEntry: 'skip' | 'play';
  observation: 'image' | 'compact';
  maskIdleWhenDrained: boolean;
  maskIdleOnEmptyMachine: boolean;
  workload: WorkloadSource;
}

/** Parses options over the chosen preset and checks them together. */
export function parseClusterOptions(raw: Record<string, unknown> = {}): ClusterParams {
  const presetName = clusterOptions.preset.default;
  const chosen = raw?.preset === undefined ? presetName : raw.preset;
  if (typeof chosen !== 'string')
    throw new OptionError('preset', `must be a string, got ${JSON.stringify(chosen)}`, 'a preset name', ENV_ID);
  const o = parseOptions(ENV_ID, { ...presetValues(chosen), ...raw }, clusterOptions);
  const fail = (option: string, problem: string, accepted: string): never => {
    throw new OptionError(option, problem, accepted, ENV_ID);
  };
  if (o.maxJobLen >= o.timeHorizon) {
    // Placement scans offsets 0 … timeHorizon − len − 1, as the reference: a job as long as the horizon never fits.
    fail(
      'maxJobLen',
      `(${o.maxJobLen}) is not shorter than timeHorizon (${o.timeHorizon})`,
      `an integer in 1 … timeHorizon − 1 = ${o.timeHorizon - 1}`,
    );
  }
  if (o.maxJobSize > o.resSlot) {
    fail(
      'maxJobSize',
      `(${o.maxJobSize}) is larger than the machine (resSlot ${o.resSlot}): such a job could never run`,
      `an integer in 1 … resSlot = ${o.resSlot}`,
    );
  }
  if (o.backlogSize % o.timeHorizon !== 0) {
    fail(
      'backlogSize',
      `(${o.backlogSize}) is not a multiple of timeHorizon (${o.timeHorizon}), so the backlog cannot be drawn as columns of the image`,
      `a multiple of ${o.timeHorizon}`,
    );
  }
  const arrivalSteps = o.numSequences * o.simuLen;
  if (arrivalSteps > CLUSTER_LIMITS.arrivalSteps) {
    fail(
      'simuLen',
      `(${o.simuLen}) × numSequences (${o.numSequences}) = ${arrivalSteps} arrival steps, above the limit of ${CLUSTER_LIMITS.arrivalSteps} drawn up front`,
      `simuLen · numSequences <= ${CLUSTER_LIMITS.arrivalSteps}`,
    );
  }
  const machineCells = (o.timeHorizon - 1) * o.resSlot * o.numRes;
  if (machineCells > CLUSTER_LIMITS.machineCells) {
    fail(
      'resSlot',
      `(${o.resSlot}) × numRes (${o.numRes}) × (timeHorizon − 1) (${o.timeHorizon - 1}) = ${machineCells} machine cells, above the limit of ${CLUSTER_LIMITS.machineCells}`,
      `(timeHorizon − 1) · resSlot · numRes <= ${CLUSTER_LIMITS.machineCells}`,
    );
  }
  if (o.observation === 'image') {
    const cells = o.timeHorizon * imageWidth(o);
    if (cells > CLUSTER_LIMITS.imageCells) {
      fail(
        'observation',
        `'image' would have ${o.timeHorizon} × ${imageWidth(o)} = ${cells} cells, above the limit of ${CLUSTER_LIMITS.imageCells}`,
        `'compact', or smaller timeHorizon, resSlot, maxJobSize, numSlots, numRes or backlogSize`,
      );
    }
  }
  const workload = makeWorkload(o.workload, o);
  if (o.firstEntry === 'skip' && workload instanceof CsvWorkload) {
    const atZero = workload.sequences()[0].arrival.filter((a) => a === 0).length;
    if (atZero > 0) {
      fail(
        'firstEntry',
        `is 'skip'${raw.firstEntry === undefined ? ` (set by preset '${chosen}')` : ''}, which never plays step 0 (as DeepRM), but the job list ${workload.path} has ${atZero} job(s) arriving at step 0`,
        "firstEntry: 'play' to play them, or arrivals from step 1",
      );
    }
  }
  return { ...o, workload };
}
