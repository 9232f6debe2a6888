/**
 * Gymnasium's SyncVectorEnv: the sub-envs live in this thread and are stepped one after the other.
 * See types.ts for the batch layout and the autoreset modes.
 */
import { OptionError, ResetNeededError, SchedlabError } from '../../../core/errors.js';
import type { Env, Info } from '../env.js';
import { flatdim, flattenInto } from '../spaces/flatten.js';
import type { Space } from '../spaces/space.js';
import {
  AUTORESET_MODES,
  type AutoresetMode,
  type VectorEnv,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from './types.js';

export interface VectorEnvOptions {
  autoresetMode?: AutoresetMode;
}

export class SyncVectorEnv<Act = unknown> implements VectorEnv<Act> {
  readonly envs: Env<unknown, Act>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly observationSize: number;
  readonly autoresetMode: AutoresetMode;
  readonly metadata: { autoresetMode: AutoresetMode };
  /** The last observation of every sub-env (kept for partial resets). */
  private readonly observations: Float32Array;
  /** 1 where the sub-env's episode ended on the last step and it was not reset since. */
  private readonly ended: Uint8Array;
  private closed = false;

  constructor(envFns: (() => Env<unknown, Act>)[], options: VectorEnvOptions = {}) {
    if (!Array.isArray(envFns) || envFns.length === 0 || envFns.some((f) => typeof f !== 'function')) {
      throw new OptionError(
        'envFns',
        'is not a non-empty array of functions',
        'an array of functions that each build one env',
        'SyncVectorEnv',
      );
    }
    this.autoresetMode = checkAutoresetMode(options.autoresetMode, 'SyncVectorEnv');
    this.metadata = { autoresetMode: this.autoresetMode };
    this.envs = envFns.map((f) => f());
    this.numEnvs = this.envs.length;
    this.singleObservationSpace = this.envs[0].observationSpace;
    this.singleActionSpace = this.envs[0].actionSpace;
    this.envs.forEach((env, i) => {
      if (!env.observationSpace.equals(this.singleObservationSpace) || !env.actionSpace.equals(this.singleActionSpace)) {
        throw new OptionError(
          'envFns',
          `builds sub-env ${i} with spaces ${env.observationSpace} / ${env.actionSpace}`,
          `the spaces of sub-env 0: ${this.singleObservationSpace} / ${this.singleActionSpace}`,
          'SyncVectorEnv',
        );
      }
    });
    this.observationSize = flatdim(this.singleObservationSpace);
    this.observations = new Float32Array(this.numEnvs * this.observationSize);
    this.ended = new Uint8Array(this.numEnvs);
  }

  reset(args: VectorResetArgs = {}): VectorResetResult {
    this.assertOpen();
    const { seed } = args;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
      throw new OptionError('seed', `is ${seed}`, 'a non-negative integer', 'SyncVectorEnv.reset');
    }
    const { resetMask, options } = splitResetMask(args.options, this.numEnvs, 'SyncVectorEnv.reset');
    const infos = new Array<Info>(this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) {
      if (resetMask && !resetMask[i]) {
        infos[i] = {};
        continue;
      }
      const r = this.envs[i].reset({ seed: seed === undefined ? undefined : seed + i, options });
      flattenInto(this.singleObservationSpace, r.observation, this.observations, i * this.observationSize);
      infos[i] = r.info;
      this.ended[i] = 0;
    }
    return { observations: this.observations.slice(), infos, ...masksOf(infos, this.envs) };
  }

  step(actions: ArrayLike<Act> | Act[]): VectorStepResult {
    this.assertOpen();
    checkActions(actions, this.numEnvs, 'SyncVectorEnv.step');
    const space = this.singleObservationSpace;
    const size = this.observationSize;
    const rewards = new Float64Array(this.numEnvs);
    const terminations = new Uint8Array(this.numEnvs);
    const truncations = new Uint8Array(this.numEnvs);
    const infos = new Array<Info>(this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i];
      if (this.ended[i]) {
        if (this.autoresetMode === 'disabled') {
          throw new ResetNeededError(
            `sub-env ${i}: its episode has ended and autoresetMode is 'disabled'; call reset({options: {resetMask}}) with resetMask[${i}] = 1 before stepping it`,
          );
        }
        // next-step: this step resets the sub-env and ignores its action.
        const r = env.reset();
        flattenInto(space, r.observation, this.observations, i * size);
        infos[i] = r.info;
        this.ended[i] = 0;
        continue;
      }
      const r = env.step(actions[i]);
      rewards[i] = r.reward;
      terminations[i] = r.terminated ? 1 : 0;
      truncations[i] = r.truncated ? 1 : 0;
      const done = r.terminated || r.truncated;
      if (done && this.autoresetMode === 'same-step') {
        const finalObservation = new Float32Array(size);
        flattenInto(space, r.observation, finalObservation, 0);
        const reset = env.reset();
        flattenInto(space, reset.observation, this.observations, i * size);
        infos[i] = { ...reset.info, finalObservation, finalInfo: r.info };
      } else {
        flattenInto(space, r.observation, this.observations, i * size);
        infos[i] = r.info;
        this.ended[i] = done ? 1 : 0;
      }
    }
    return { observations: this.observations.slice(), rewards, terminations, truncations, infos, ...masksOf(infos, this.envs) };
  }

  /** Closes every sub-env; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) env.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new SchedlabError('SyncVectorEnv: the vector env is closed');
  }
}

export function checkAutoresetMode(mode: unknown, owner: string): AutoresetMode {
  if (mode === undefined) return 'next-step';
  if (!AUTORESET_MODES.includes(mode as AutoresetMode)) {
    throw new OptionError('autoresetMode', `is ${JSON.stringify(mode)}`, AUTORESET_MODES.map((m) => `'${m}'`).join(', '), owner);
  }
  return mode as AutoresetMode;
}

export function checkActions(actions: unknown, numEnvs: number, owner: string): void {
  const n = (actions as ArrayLike<unknown> | null)?.length;
  if (actions === null || typeof actions !== 'object' || typeof n !== 'number' || n !== numEnvs) {
    throw new OptionError('actions', `has ${n ?? 'no'} entries`, `an array of ${numEnvs} actions, one per sub-env`, owner);
  }
}

/** Separates the vector-level `resetMask` from the options passed to the sub-envs. */
export function splitResetMask(
  options: Record<string, unknown> | undefined,
  numEnvs: number,
  owner: string,
): { resetMask: Uint8Array | undefined; options: Record<string, unknown> | undefined } {
  if (options === undefined || !('resetMask' in options)) return { resetMask: undefined, options };
  const { resetMask: raw, ...rest } = options;
  const mask = raw as ArrayLike<unknown>;
  if (!mask || typeof mask !== 'object' || mask.length !== numEnvs) {
    throw new OptionError(
      'options.resetMask',
      `has ${mask?.length ?? 'no'} entries`,
      `${numEnvs} values (0/1 or booleans), one per sub-env`,
      owner,
    );
  }
  const resetMask = new Uint8Array(numEnvs);
  for (let i = 0; i < numEnvs; i++) {
    const m = mask[i];
    if (m !== 0 && m !== 1 && m !== true && m !== false) {
      throw new OptionError('options.resetMask', `has ${JSON.stringify(m)} at index ${i}`, '0/1 or booleans', owner);
    }
    resetMask[i] = m ? 1 : 0;
  }
  return { resetMask, options: Object.keys(rest).length ? rest : undefined };
}

/** numEnvs × n action masks from each info.actionMask, when every sub-env reports one. */
export function masksOf(infos: Info[], envs?: Env<unknown, unknown>[]): { actionMasks?: Uint8Array } {
  const first = infos[0]?.actionMask ?? envs?.[0].actionMasks?.();
  if (!first) return {};
  const n = first.length;
  const out = new Uint8Array(infos.length * n);
  for (let i = 0; i < infos.length; i++) {
    const m = infos[i].actionMask ?? envs?.[i].actionMasks?.();
    if (!m || m.length !== n) return {};
    out.set(m, i * n);
  }
  return { actionMasks: out };
}
