/**
 * The machine of ClusterScheduling-v0 (DeepRM's `Machine`): free units of each resource for each of the
 * next T steps, the jobs placed on it, and the colour each job has in the image. Flat typed arrays, no
 * per-job objects.
 */
import type { Rng } from '../../core/rng.js';

/** DeepRM's `job_num_cap`: colours are 1/40 … 39/40. */
const JOB_NUM_CAP = 40;

export class Machine {
  /** Free units, row-major T × numRes: `avbl[t * numRes + r]` at step t of the horizon (0 = now). */
  readonly avbl: Int32Array;
  /** Jobs on the machine (started or placed for later), unordered, `runCount` of them. */
  readonly runFinish: Int32Array;
  readonly runLen: Int32Array;
  readonly runColor: Int32Array;
  runCount = 0;
  /** The shuffled colour map (DeepRM shuffles it for every new machine) and which colours are in use. */
  readonly colormap = new Float32Array(JOB_NUM_CAP - 1);
  private readonly colorInUse = new Uint8Array(JOB_NUM_CAP - 1);

  constructor(
    readonly timeHorizon: number,
    readonly numRes: number,
    readonly resSlot: number,
  ) {
    this.avbl = new Int32Array(timeHorizon * numRes);
    // Every job holds at least one unit during at least one of the T − 1 usable steps.
    const cap = (timeHorizon - 1) * resSlot * numRes;
    this.runFinish = new Int32Array(cap);
    this.runLen = new Int32Array(cap);
    this.runColor = new Int32Array(cap);
  }

  reset(rng: Rng): void {
    this.avbl.fill(this.resSlot);
    this.runCount = 0;
    this.colorInUse.fill(0);
    for (let i = 0; i < this.colormap.length; i++) this.colormap[i] = (i + 1) / JOB_NUM_CAP;
    rng.shuffle(this.colormap as unknown as number[]);
  }

  /** Whether `demand[dOff …]` fits in steps offset … offset + len − 1. */
  fitsAt(offset: number, len: number, demand: Int32Array, dOff: number): boolean {
    const R = this.numRes;
    const avbl = this.avbl;
    for (let t = offset, end = offset + len; t < end; t++) {
      const row = t * R;
      for (let r = 0; r < R; r++) if (avbl[row + r] < demand[dOff + r]) return false;
    }
    return true;
  }

  /** The earliest offset in 0 … T − len − 1 where the job fits (the reference's range(0, T − len)), or −1. */
  findOffset(len: number, demand: Int32Array, dOff: number): number {
    for (let t = 0, last = this.timeHorizon - len; t < last; t++) if (this.fitsAt(t, len, demand, dOff)) return t;
    return -1;
  }

  /** Takes the job's units in steps offset … offset + len − 1; returns the colour index it is drawn with (−1: none left). */
  place(offset: number, len: number, demand: Int32Array, dOff: number, finish: number): number {
    const R = this.numRes;
    for (let t = offset, end = offset + len; t < end; t++) {
      for (let r = 0; r < R; r++) this.avbl[t * R + r] -= demand[dOff + r];
    }
    const color = this.colorInUse.indexOf(0);
    if (color >= 0) this.colorInUse[color] = 1;
    const i = this.runCount++;
    this.runFinish[i] = finish;
    this.runLen[i] = len;
    this.runColor[i] = color;
    return color;
  }

  /** The image value of colour index `color` (1 when the map ran out, where the reference would fail). */
  colorValue(color: number): number {
    return color >= 0 ? this.colormap[color] : 1;
  }

  /** Moves the window one step on (time is now `time`) and removes the jobs finished by then. */
  advance(time: number): void {
    const R = this.numRes;
    this.avbl.copyWithin(0, R);
    this.avbl.fill(this.resSlot, this.avbl.length - R);
    let k = 0;
    for (let i = 0; i < this.runCount; i++) {
      if (this.runFinish[i] <= time) {
        if (this.runColor[i] >= 0) this.colorInUse[this.runColor[i]] = 0;
        continue;
      }
      this.runFinish[k] = this.runFinish[i];
      this.runLen[k] = this.runLen[i];
      this.runColor[k] = this.runColor[i];
      k++;
    }
    this.runCount = k;
  }

  /** Σ 1/len over the jobs on the machine. */
  sumInverseLength(): number {
    let s = 0;
    for (let i = 0; i < this.runCount; i++) s += 1 / this.runLen[i];
    return s;
  }
}
