/**
 * Ragged batches of queue items: most slots of a queue observation are padding (masked actions), so the
 * per-item network need only score the valid items. `gatherItemRows` packs the valid items of a batch
 * into one `rows × itemSize` matrix with each observation's segment of rows; `scatterItemValues` and
 * `gatherItemValues` move per-item numbers between that ragged form and the padded `batch × itemCount`
 * form the distribution reads (masked slots never matter there: their probability is 0).
 * An observation whose mask allows nothing counts every item as valid, as the distribution does.
 */
export interface ItemRows {
  /** Number of valid items in the batch. */
  count: number;
  /** Observation r's items are rows rowStart[r] … rowStart[r + 1] − 1. */
  rowStart: Int32Array;
  /** The slot of each row. */
  slot: Int32Array;
  /** The rows' features, count × itemSize. */
  x: Float32Array;
}

export function gatherItemRows(
  obs: Float32Array,
  mask: Uint8Array | undefined,
  batch: number,
  itemCount: number,
  itemSize: number,
): ItemRows {
  const rowStart = new Int32Array(batch + 1);
  const slot = new Int32Array(batch * itemCount);
  let count = 0;
  for (let r = 0; r < batch; r++) {
    rowStart[r] = count;
    const m = r * itemCount;
    if (mask) for (let j = 0; j < itemCount; j++) if (mask[m + j] !== 0) slot[count++] = j;
    if (count === rowStart[r]) for (let j = 0; j < itemCount; j++) slot[count++] = j;
  }
  rowStart[batch] = count;
  const x = new Float32Array(count * itemSize);
  for (let r = 0, i = 0; r < batch; r++) {
    const base = r * itemCount * itemSize;
    for (const end = rowStart[r + 1]; i < end; i++) {
      const from = base + slot[i] * itemSize;
      const to = i * itemSize;
      for (let f = 0; f < itemSize; f++) x[to + f] = obs[from + f];
    }
  }
  return { count, rowStart, slot: slot.subarray(0, count), x };
}

/** Writes the ragged `values` (one per row) into the padded `out` (batch × itemCount); other slots get `fill`. */
export function scatterItemValues(rows: ItemRows, values: ArrayLike<number>, itemCount: number, out: Float32Array, fill = 0): Float32Array {
  out.fill(fill);
  const batch = rows.rowStart.length - 1;
  for (let r = 0; r < batch; r++)
    for (let i = rows.rowStart[r]; i < rows.rowStart[r + 1]; i++) out[r * itemCount + rows.slot[i]] = values[i];
  return out;
}

/** Reads the padded `padded` (batch × itemCount) at the rows' slots into `out` (one per row). */
export function gatherItemValues(
  rows: ItemRows,
  padded: ArrayLike<number>,
  itemCount: number,
  out = new Float32Array(rows.count),
): Float32Array {
  const batch = rows.rowStart.length - 1;
  for (let r = 0; r < batch; r++)
    for (let i = rows.rowStart[r]; i < rows.rowStart[r + 1]; i++) out[i] = padded[r * itemCount + rows.slot[i]];
  return out;
}

/**
 * Per observation, how many items precede the trailing run of copies of its last item (0 to
 * itemCount − 1): padding slots are such copies, and a per-item function has the same value on every copy.
 */
export function leadingDistinctItems(obs: Float32Array, batch: number, itemCount: number, itemSize: number): Int32Array {
  // Copies are bit for bit the same: compared as integers (faster; −0 and 0 then count as different, which is safe).
  const bits = new Int32Array(obs.buffer, obs.byteOffset, obs.length);
  const k = new Int32Array(batch);
  for (let r = 0; r < batch; r++) {
    const base = r * itemCount * itemSize;
    const last = base + (itemCount - 1) * itemSize;
    let s = itemCount - 1;
    for (; s > 0; s--) {
      const item = base + (s - 1) * itemSize;
      let f = 0;
      while (f < itemSize && bits[item + f] === bits[last + f]) f++;
      if (f < itemSize) break;
    }
    k[r] = s;
  }
  return k;
}

/** Each observation's distinct items (its leading items, then its last one) packed as rows, for a per-item function. */
export interface DistinctItems {
  /** Observation r's leading distinct items (leadingDistinctItems); its rows are start[r] … start[r + 1] − 1, the last one its last item. */
  leading: Int32Array;
  start: Int32Array;
  /** count × itemSize. */
  rows: Float32Array;
  count: number;
}

export function packDistinctItems(obs: Float32Array, batch: number, itemCount: number, itemSize: number): DistinctItems {
  const leading = leadingDistinctItems(obs, batch, itemCount, itemSize);
  const start = new Int32Array(batch + 1);
  for (let r = 0; r < batch; r++) start[r + 1] = start[r] + leading[r] + 1;
  const rows = new Float32Array(start[batch] * itemSize);
  for (let r = 0; r < batch; r++) {
    const from = r * itemCount * itemSize;
    rows.set(obs.subarray(from, from + leading[r] * itemSize), start[r] * itemSize);
    rows.set(obs.subarray(from + (itemCount - 1) * itemSize, from + itemCount * itemSize), (start[r + 1] - 1) * itemSize);
  }
  return { leading, start, rows, count: start[batch] };
}

/** batch × itemCount scores from the packed rows' scores: the trailing copies take their last item's. */
export function spreadDistinctScores(d: DistinctItems, scores: ArrayLike<number>, itemCount: number): Float32Array {
  const batch = d.leading.length;
  const out = new Float32Array(batch * itemCount);
  for (let r = 0; r < batch; r++) {
    const o = r * itemCount;
    for (let s = 0; s < d.leading[r]; s++) out[o + s] = scores[d.start[r] + s];
    out.fill(scores[d.start[r + 1] - 1], o + d.leading[r], o + itemCount);
  }
  return out;
}
