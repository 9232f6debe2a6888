/**
 * Weight initialisers drawn from the run's seeded `Rng` (never tf.random), so a seed fixes the network.
 * `orthogonal` follows torch.nn.init.orthogonal_ (as CleanRL's layer_init): QR of a seeded normal
 * matrix, here by modified Gram–Schmidt, with the signs fixed by diag(R).
 */
import type { Rng } from '../../../core/rng.js';

/** A `rows × cols` row-major matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), times `gain`. */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const n = tall ? rows : cols; // length of each vector to orthonormalise
  const k = tall ? cols : rows; // number of vectors
  // k vectors of length n, drawn from N(0, 1).
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    // Gram–Schmidt gives R's diagonal positive, which is torch's sign convention (q *= sign(diag(r))).
    for (let i = 0; i < n; i++) v[i] /= norm || 1;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[c][r] : q[r][c]);
  }
  return out;
}

export function zeros(size: number): Float32Array {
  return new Float32Array(size);
}

export function constant(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
