/**
 * What the parallel vector env and its workers share: the control words each worker owns in the
 * control SharedArrayBuffer, the layout of the data SharedArrayBuffer, and how errors cross threads.
 *
 * A command goes as one message on the worker's MessagePort (actions or reset arguments), announced by
 * incrementing CMD and `Atomics.notify`; the worker, blocked in `Atomics.wait`, takes it with
 * `receiveMessageOnPort`, writes observations/rewards/flags straight into the data buffer, posts a
 * reply message only when there is something else to say (non-empty infos, masks, an error), and sets
 * DONE = CMD. No event-loop round trip on either side for the common step.
 */
import * as errors from '../../../core/errors.js';

/** Int32 slots per worker in the control buffer. */
export const CONTROL_SLOTS = 4;
/** Commands sent (incremented by the parent). */
export const CMD = 0;
/** Commands finished (set by the worker to CMD's value). */
export const DONE = 1;
/** 1 once the worker built its sub-envs and posted their spaces, or failed to. */
export const READY = 2;
/** 1 when the reply to the last command is a message on the port. */
export const HAS_REPLY = 3;

export type Command =
  | { op: 'attach'; data: SharedArrayBuffer }
  | { op: 'reset'; seed?: number; options?: Record<string, unknown> }
  | { op: 'step'; actions: unknown[] }
  | { op: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
}

/** The data buffer: observations (float32), rewards (float64), terminations and truncations (uint8). */
export function dataViews(data: SharedArrayBuffer, numEnvs: number, observationSize: number) {
  const obsBytes = numEnvs * observationSize * 4;
  const rewardsOffset = Math.ceil(obsBytes / 8) * 8;
  return {
    observations: new Float32Array(data, 0, numEnvs * observationSize),
    rewards: new Float64Array(data, rewardsOffset, numEnvs),
    terminations: new Uint8Array(data, rewardsOffset + numEnvs * 8, numEnvs),
    truncations: new Uint8Array(data, rewardsOffset + numEnvs * 9, numEnvs),
  };
}

export function dataBytes(numEnvs: number, observationSize: number): number {
  return Math.ceil((numEnvs * observationSize * 4) / 8) * 8 + numEnvs * 10;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) props[k] = v;
  }
  return { name: e.name, message: e.message, stack: e.stack, props };
}

const CLASSES: Record<string, new (...args: any[]) => Error> = {
  SchedlabError: errors.SchedlabError,
  OptionError: errors.OptionError,
  InvalidActionError: errors.InvalidActionError,
  ResetNeededError: errors.ResetNeededError,
  UnknownNameError: errors.UnknownNameError,
  InputFileError: errors.InputFileError,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/** Rebuilds an error thrown in a worker as an instance of the same class, with the same message. */
export function deserializeError(s: SerializedError, where: string): Error {
  const cls = CLASSES[s.name] ?? Error;
  const err = Object.create(cls.prototype as object) as Error;
  Object.defineProperty(err, 'message', { value: s.message, writable: true, configurable: true, enumerable: false });
  Object.assign(err, s.props);
  if (!Object.prototype.hasOwnProperty.call(err, 'name') && err.name !== s.name) err.name = s.name;
  const local = new Error().stack?.split('\n').slice(2).join('\n') ?? '';
  const remote = s.stack?.split('\n').slice(1).join('\n') ?? '';
  err.stack = `${s.name}: ${s.message}\n${remote}\n    --- in ${where}, surfaced at ---\n${local}`;
  return err;
}
