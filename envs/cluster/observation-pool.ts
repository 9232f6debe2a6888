/**
 * Hands out fresh Float32Array observations carved from larger blocks: one allocation per block instead
 * of one per step (a 10 KB image per step made allocation the env's main cost). Every observation is its
 * own region, never written again, so consumers may keep it; but its `.buffer` is the shared block, so
 * use the array itself (or `slice()` it), never `obs.buffer`.
 */
const BLOCK_BYTES = 256 * 1024;

export class ObservationPool {
  private readonly perBlock: number;
  private block: ArrayBuffer;
  private next: number;

  constructor(private readonly size: number) {
    this.perBlock = Math.max(1, Math.floor(BLOCK_BYTES / (size * 4)));
    this.block = new ArrayBuffer(0);
    this.next = this.perBlock;
  }

  /** A new array holding a copy of `src` (of this pool's size). */
  copyOf(src: Float32Array): Float32Array {
    if (this.next === this.perBlock) {
      this.block = new ArrayBuffer(this.perBlock * this.size * 4);
      this.next = 0;
    }
    const out = new Float32Array(this.block, this.next++ * this.size * 4, this.size);
    out.set(src);
    return out;
  }
}
