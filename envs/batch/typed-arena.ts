/**
 * Hands out fresh typed arrays carved from 64 KiB ArrayBuffers: one observation or mask per step
 * without a separate off-heap allocation each (several times cheaper in V8). Memory is never reused:
 * a view stays valid for as long as it is referenced, and a chunk is freed when its last view is.
 */
const CHUNK_BYTES = 1 << 16;

export class TypedArena {
  private chunk = new ArrayBuffer(CHUNK_BYTES);
  private offset = 0;

  float32(n: number): Float32Array {
    return new Float32Array(this.take(n * 4), this.offset - n * 4, n);
  }

  uint8(n: number): Uint8Array {
    return new Uint8Array(this.take(n), this.offset - n, n);
  }

  int32(n: number): Int32Array {
    return new Int32Array(this.take(n * 4), this.offset - n * 4, n);
  }

  private take(bytes: number): ArrayBuffer {
    const aligned = (this.offset + 7) & ~7;
    if (bytes > CHUNK_BYTES) {
      this.offset = bytes;
      return (this.chunk = new ArrayBuffer(bytes));
    }
    if (aligned + bytes > this.chunk.byteLength) {
      this.chunk = new ArrayBuffer(CHUNK_BYTES);
      this.offset = bytes;
      return this.chunk;
    }
    this.offset = aligned + bytes;
    return this.chunk;
  }
}
