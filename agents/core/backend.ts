/**
 * TensorFlow.js backend selection: the only module that imports backend packages.
 *
 * `backend` option: `auto` | `tensorflow` | `wasm` | `cpu`. `auto` tries, in order,
 * `@tensorflow/tfjs-node-gpu` (an optional dependency), `@tensorflow/tfjs-node`, the wasm backend (SIMD),
 * and the pure-JS cpu backend; any load error means "not available". The chosen backend and device are
 * logged and returned so they can be recorded with every result.
 *
 * It also provides `matMul`, the matrix product every network layer uses: on wasm, tf.matMul with a
 * transposed input is 10–20× slower than without, so its gradient is written with explicit transposes
 * (tf.customGrad) and backprop runs at forward speed.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { OptionError } from '../../core/errors.js';

export type BackendOption = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_OPTIONS: readonly BackendOption[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  /** The tfjs backend in use. */
  backend: 'tensorflow' | 'wasm' | 'cpu';
  /** What runs the maths, e.g. `gpu (tfjs-node-gpu)`, `cpu (wasm simd)`. */
  device: string;
}

let active: BackendInfo | undefined;

/** The backend chosen by the last `initBackend`, if any. */
export function currentBackend(): BackendInfo | undefined {
  return active;
}

async function tryNode(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<BackendInfo | null> {
  try {
    // Registers the 'tensorflow' backend on the shared tfjs-core instance when it loads.
    await import(pkg);
    if (!(await tf.setBackend('tensorflow'))) return null;
    return { backend: 'tensorflow', device: pkg.endsWith('gpu') ? 'gpu (tfjs-node-gpu)' : 'cpu (tfjs-node)' };
  } catch {
    return null;
  }
}

async function tryWasm(): Promise<BackendInfo | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node has no fetch of relative URLs: point the loader at the .wasm files on disk.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(dirname(entry), '/'));
    // wasm threads do not start under Node; one thread also keeps results deterministic.
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) return null;
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { backend: 'wasm', device: `cpu (wasm${simd ? ' simd' : ''})` };
  } catch {
    return null;
  }
}

async function tryCpu(): Promise<BackendInfo | null> {
  if (!(await tf.setBackend('cpu'))) return null;
  await tf.ready();
  return { backend: 'cpu', device: 'cpu (pure js)' };
}

/**
 * Selects and initialises the backend; throws an OptionError when an explicitly requested backend is
 * not available. Logs the choice through `log` (default: stderr) unless it is null.
 */
export async function initBackend(
  requested: BackendOption = 'auto',
  log: ((line: string) => void) | null = (l) => process.stderr.write(l + '\n'),
): Promise<BackendInfo> {
  if (!BACKEND_OPTIONS.includes(requested)) {
    throw new OptionError('backend', `is ${JSON.stringify(requested)}`, BACKEND_OPTIONS.map((b) => `'${b}'`).join(' | '));
  }
  // Silence tfjs's "install tfjs-node" banner; the choice is logged below.
  tf.env().set('IS_NODE', true);
  tf.env().set('PROD', true);
  let info: BackendInfo | null = null;
  if (requested === 'auto') {
    info =
      (await tryNode('@tensorflow/tfjs-node-gpu')) ?? (await tryNode('@tensorflow/tfjs-node')) ?? (await tryWasm()) ?? (await tryCpu());
  } else if (requested === 'tensorflow') {
    info = (await tryNode('@tensorflow/tfjs-node-gpu')) ?? (await tryNode('@tensorflow/tfjs-node'));
    if (!info) {
      throw new OptionError(
        'backend',
        "is 'tensorflow' but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node can be loaded here",
        "'auto', 'wasm' or 'cpu'",
      );
    }
  } else if (requested === 'wasm') {
    info = await tryWasm();
    if (!info) throw new OptionError('backend', "is 'wasm' but @tensorflow/tfjs-backend-wasm cannot be loaded", "'auto' or 'cpu'");
  } else {
    info = await tryCpu();
  }
  if (!info) throw new OptionError('backend', 'found no usable TensorFlow.js backend', BACKEND_OPTIONS.join(', '));
  active = info;
  log?.(`schedlab: TensorFlow.js ${tf.version.tfjs} backend '${info.backend}' on ${info.device}`);
  return info;
}

/** a·b whose gradient uses untransposed products only (dA = dy·bᵀ, dB = aᵀ·dy with explicit transposes). */
const matMulExplicitGrad = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const w = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** The matrix product networks use: the explicit-transpose gradient on wasm, tf.matMul elsewhere. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'wasm' ? matMulExplicitGrad(a, b) : tf.matMul(a, b);
}
