/**
 * Experience replay for off-policy agents (Stable-Baselines3's ReplayBuffer): a ring of `bufferSize`
 * transitions (obs, action, reward, next obs, terminated, next action mask) in flat typed arrays.
 * Storage grows by doubling up to `bufferSize`, so a 1e6-transition default costs memory only as it
 * fills. `terminated` is the true end of the task only: a time-limit truncation stores 0 and the final
 * observation as `nextObs`, so the target bootstraps through it (SB3's handle_timeout_termination).
 * Sampling is uniform with replacement from the agent's seeded Rng.
 */
import type { Rng } from '../../core/rng.js';

export interface ReplayShape {
  bufferSize: number;
  obsSize: number;
  /** 0 when the env has no action masks. */
  maskSize: number;
}

export interface ReplayBatch {
  obs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Float32Array;
  /** The next state's action masks, 1 = valid (empty when the env has none). */
  nextMasks: Uint8Array;
}

export class ReplayBuffer {
  private capacity = 0;
  obs = new Float32Array(0);
  actions = new Int32Array(0);
  rewards = new Float32Array(0);
  nextObs = new Float32Array(0);
  terminated = new Uint8Array(0);
  nextMasks = new Uint8Array(0);
  /** Next row to write. */
  pos = 0;
  /** Rows holding transitions. */
  size = 0;

  constructor(readonly shape: ReplayShape) {
    this.grow(Math.min(shape.bufferSize, 1024));
  }

  private grow(capacity: number): void {
    const { obsSize, maskSize } = this.shape;
    const copy = <T extends Float32Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T, width: number): T => {
      const next = make(capacity * width);
      next.set(old.subarray(0, this.size * width));
      return next;
    };
    this.obs = copy(this.obs, (n) => new Float32Array(n), obsSize);
    this.nextObs = copy(this.nextObs, (n) => new Float32Array(n), obsSize);
    this.actions = copy(this.actions, (n) => new Int32Array(n), 1);
    this.rewards = copy(this.rewards, (n) => new Float32Array(n), 1);
    this.terminated = copy(this.terminated, (n) => new Uint8Array(n), 1);
    this.nextMasks = copy(this.nextMasks, (n) => new Uint8Array(n), maskSize);
    this.capacity = capacity;
  }

  /** Stores one transition; `nextMask` is required when the shape has masks. */
  add(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, terminated: boolean, nextMask?: ArrayLike<number>): void {
    const { obsSize, maskSize, bufferSize } = this.shape;
    if (this.pos === this.capacity && this.capacity < bufferSize) this.grow(Math.min(bufferSize, this.capacity * 2));
    const i = this.pos;
    this.obs.set(obs.subarray(0, obsSize), i * obsSize);
    this.nextObs.set(nextObs.subarray(0, obsSize), i * obsSize);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    if (maskSize) this.nextMasks.set(nextMask as ArrayLike<number>, i * maskSize);
    this.pos = (i + 1) % bufferSize;
    this.size = Math.min(this.size + 1, bufferSize);
  }

  /** `batchSize` transitions drawn uniformly with replacement, copied into `out` (allocated when absent). */
  sample(batchSize: number, rng: Rng, out?: ReplayBatch): ReplayBatch {
    const { obsSize, maskSize } = this.shape;
    const b = out ?? {
      obs: new Float32Array(batchSize * obsSize),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * obsSize),
      terminated: new Float32Array(batchSize),
      nextMasks: new Uint8Array(batchSize * maskSize),
    };
    for (let r = 0; r < batchSize; r++) {
      const i = Math.floor(rng.random() * this.size);
      b.obs.set(this.obs.subarray(i * obsSize, (i + 1) * obsSize), r * obsSize);
      b.nextObs.set(this.nextObs.subarray(i * obsSize, (i + 1) * obsSize), r * obsSize);
      b.actions[r] = this.actions[i];
      b.rewards[r] = this.rewards[i];
      b.terminated[r] = this.terminated[i];
      if (maskSize) b.nextMasks.set(this.nextMasks.subarray(i * maskSize, (i + 1) * maskSize), r * maskSize);
    }
    return b;
  }

  /** The stored rows as float arrays (for checkpoints: tfjs weight files hold float32). */
  toTensors(): Record<string, { values: Float32Array; shape: number[] }> {
    const { obsSize, maskSize } = this.shape;
    const n = this.size;
    const out: Record<string, { values: Float32Array; shape: number[] }> = {
      'replay/obs': { values: this.obs.slice(0, n * obsSize), shape: [n, obsSize] },
      'replay/nextObs': { values: this.nextObs.slice(0, n * obsSize), shape: [n, obsSize] },
      'replay/actions': { values: Float32Array.from(this.actions.subarray(0, n)), shape: [n] },
      'replay/rewards': { values: this.rewards.slice(0, n), shape: [n] },
      'replay/terminated': { values: Float32Array.from(this.terminated.subarray(0, n)), shape: [n] },
    };
    if (maskSize) out['replay/nextMasks'] = { values: Float32Array.from(this.nextMasks.subarray(0, n * maskSize)), shape: [n, maskSize] };
    return out;
  }

  /** Restores what `toTensors` wrote, with the write position. */
  fromTensors(t: Record<string, { values: Float32Array; shape: number[] }>, pos: number): void {
    const n = t['replay/rewards'].values.length;
    this.size = 0;
    this.pos = 0;
    let cap = Math.min(this.shape.bufferSize, 1024);
    while (cap < n) cap = Math.min(this.shape.bufferSize, cap * 2);
    this.capacity = 0;
    this.obs = new Float32Array(0);
    this.nextObs = new Float32Array(0);
    this.actions = new Int32Array(0);
    this.rewards = new Float32Array(0);
    this.terminated = new Uint8Array(0);
    this.nextMasks = new Uint8Array(0);
    this.grow(cap);
    this.obs.set(t['replay/obs'].values);
    this.nextObs.set(t['replay/nextObs'].values);
    this.actions.set(t['replay/actions'].values);
    this.rewards.set(t['replay/rewards'].values);
    this.terminated.set(t['replay/terminated'].values);
    if (t['replay/nextMasks']) this.nextMasks.set(t['replay/nextMasks'].values);
    this.size = n;
    this.pos = pos;
  }
}
