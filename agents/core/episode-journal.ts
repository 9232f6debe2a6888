/**
 * The episodes in flight during a `learn()` call, kept so that a checkpoint taken in the middle of training
 * resumes it exactly: the seed the vector env was reset with at the call's start and every env action since.
 * Envs are deterministic given their reset seed and actions, so a resumed `learn()` resets with the same
 * seed and replays the actions (without learning, normalisation frozen) to stand exactly where the
 * checkpoint was taken: same observations, masks, episode returns and lengths, same env RNG states.
 * Actions are stored as float32 numbers, per step and env (`width` each): exact for Discrete and
 * MultiDiscrete indices and for Box actions, which come from float32 buffers.
 */
import { Box } from '../../envs/core/spaces/box.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { MultiDiscrete } from '../../envs/core/spaces/multi-discrete.js';
import type { Space } from '../../envs/core/spaces/space.js';

export interface JournalMeta {
  seed: number;
  numEnvs: number;
  width: number;
  steps: number;
}

/** Numbers per env action for `space` (1 for Discrete). */
export function actionWidth(space: Space): number {
  if (space instanceof Discrete) return 1;
  if (space instanceof MultiDiscrete) return space.nvec.length;
  if (space instanceof Box) return space.size;
  throw new Error(`episode journal: unsupported action space ${space.toString()}`);
}

export class EpisodeJournal {
  private data: Float32Array;
  steps = 0;

  constructor(
    readonly seed: number,
    readonly numEnvs: number,
    readonly width: number,
    initial?: Float32Array,
  ) {
    this.data = new Float32Array(Math.max(1024, initial?.length ?? 0));
    if (initial) {
      this.data.set(initial);
      this.steps = initial.length / (numEnvs * width);
    }
  }

  get meta(): JournalMeta {
    return { seed: this.seed, numEnvs: this.numEnvs, width: this.width, steps: this.steps };
  }

  /** The actions recorded so far, flat (step, env, component). */
  get actions(): Float32Array {
    return this.data.subarray(0, this.steps * this.numEnvs * this.width);
  }

  /** Records one vector step's env actions (the fast path's Int32Array of indices, or one action per env). */
  record(actions: ArrayLike<unknown> | unknown[]): void {
    const stride = this.numEnvs * this.width;
    if ((this.steps + 1) * stride > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.steps * stride;
    for (let e = 0; e < this.numEnvs; e++) {
      const a = (actions as ArrayLike<unknown>)[e];
      if (typeof a === 'number') this.data[at + e * this.width] = a;
      else this.data.set(a as ArrayLike<number>, at + e * this.width);
    }
    this.steps++;
  }

  /** The env actions of step `t`, as the agent sent them, rebuilt for `space`. */
  actionsAt(t: number, space: Space): unknown[] {
    const out: unknown[] = [];
    const stride = this.numEnvs * this.width;
    for (let e = 0; e < this.numEnvs; e++) {
      const row = this.data.subarray(t * stride + e * this.width, t * stride + (e + 1) * this.width);
      if (space instanceof Discrete) out.push(row[0]);
      else if (space instanceof MultiDiscrete) out.push(Int32Array.from(row));
      else out.push(Float32Array.from(row)); // a Gaussian policy's env action (DiagGaussian.toEnvAction)
    }
    return out;
  }
}
