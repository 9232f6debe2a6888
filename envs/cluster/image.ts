/**
 * The image observation of ClusterScheduling-v0 (DeepRM's `observe`, repre 'image'), kept as one
 * row-major T × width buffer and updated in place as the state changes; observations are copies of it.
 *
 * Columns, for each resource r: the machine (resSlot columns: at step t, the units in use, each cell
 * holding the colour of the job using it), then each slot's job (maxJobSize columns per slot: a block of
 * len rows × demand_r columns of 1); after all resources: the backlog (backlogSize / T columns, one cell
 * of 1 per job, filled row-major), then one column holding min(steps since the last arrival, 10) / 10.
 * Width = (resSlot + maxJobSize·numSlots)·numRes + backlogSize/T + 1.
 */

/** DeepRM's `max_track_since_new`. */
export const MAX_TRACK_SINCE_NEW = 10;

export interface ImageShape {
  timeHorizon: number;
  numRes: number;
  resSlot: number;
  maxJobSize: number;
  numSlots: number;
  backlogSize: number;
}

export function imageWidth(p: ImageShape): number {
  return (p.resSlot + p.maxJobSize * p.numSlots) * p.numRes + p.backlogSize / p.timeHorizon + 1;
}

export class ClusterImage {
  readonly width: number;
  readonly data: Float32Array;
  private readonly resBlock: number;
  private readonly backlogCol: number;
  private readonly backlogWidth: number;
  private readonly timeCol: number;

  constructor(private readonly p: ImageShape) {
    this.width = imageWidth(p);
    this.data = new Float32Array(p.timeHorizon * this.width);
    this.resBlock = p.resSlot + p.maxJobSize * p.numSlots;
    this.backlogWidth = p.backlogSize / p.timeHorizon;
    this.backlogCol = this.resBlock * p.numRes;
    this.timeCol = this.backlogCol + this.backlogWidth;
  }

  clear(): void {
    this.data.fill(0);
  }

  /** Machine cells of resource r at step `row`, columns from … from + count − 1. */
  fillMachine(r: number, row: number, from: number, count: number, value: number): void {
    const at = row * this.width + r * this.resBlock + from;
    this.data.fill(value, at, at + count);
  }

  /** Moves every resource's machine picture one step up; the last step becomes empty. */
  shiftMachine(): void {
    const { data, width } = this;
    const { timeHorizon: T, numRes, resSlot } = this.p;
    for (let r = 0; r < numRes; r++) {
      const col = r * this.resBlock;
      for (let t = 0; t < T - 1; t++) {
        const dst = t * width + col;
        const src = dst + width;
        for (let c = 0; c < resSlot; c++) data[dst + c] = data[src + c];
      }
      const last = (T - 1) * width + col;
      data.fill(0, last, last + resSlot);
    }
  }

  /** Draws (value 1) or erases (value 0) the block of slot `slot`: len rows × demand_r columns per resource. */
  drawSlot(slot: number, len: number, demand: Int32Array, dOff: number, value: number): void {
    const { data, width } = this;
    for (let r = 0; r < this.p.numRes; r++) {
      const col = r * this.resBlock + this.p.resSlot + slot * this.p.maxJobSize;
      const d = demand[dOff + r];
      for (let t = 0; t < len; t++) data.fill(value, t * width + col, t * width + col + d);
    }
  }

  /** Backlog cell k (the k-th queued job, 0-based) on (1) or off (0). */
  setBacklogCell(k: number, value: number): void {
    const row = Math.floor(k / this.backlogWidth);
    this.data[row * this.width + this.backlogCol + (k - row * this.backlogWidth)] = value;
  }

  setTimeSinceLastJob(steps: number): void {
    const v = Math.min(steps, MAX_TRACK_SINCE_NEW) / MAX_TRACK_SINCE_NEW;
    for (let t = 0; t < this.p.timeHorizon; t++) this.data[t * this.width + this.timeCol] = v;
  }
}
