/**
 * TF.js export: `model.json` + `weights.bin` in the standard layers-model format, loadable by
 * `tf.loadLayersModel` (browser: the URL of model.json; Node: `loadTfjsPolicy(dir)` here, since pure
 * tfjs has no file:// loader) — built from stock layers only, so no custom class needs registering.
 *
 * Inputs: `observation` float32 [batch, obsSize] (raw), `action_mask` float32 [batch, n] (1 = valid,
 * 0 = masked; pass ones when the env has no masks). Outputs: `logits` [batch, n] (masked logits) and,
 * when exported, `value` [batch, 1]. The action is start + argMax(logits, 1) (first index on ties).
 *
 * How the stock layers compute the policy:
 * - normalisation: BatchNormalization in inference mode with moving mean/variance = the frozen
 *   statistics and epsilon 1e-8 gives (x − mean)/sqrt(var + ε); the clip is Maximum/Minimum against
 *   constant vectors ±clip (a Dense with a zero kernel and the constant as bias).
 * - the per-item scorer: Reshape to [items, itemSize], Dense layers on the last axis, Reshape back.
 * - masking: valid = max(mask, 1 − max_i mask_i) (a mask allowing nothing masks nothing), then
 *   logits = head·valid + (valid − 1)·1e8: exactly the head where valid and −1e8 where masked.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputFileError } from '../../core/errors.js';
import type { TensorContract } from './meta.js';
import { MASKED_LOGIT, type NetworkJSON, type PolicyJSON } from './runtime/format.js';

export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';

type Symbolic = tf.SymbolicTensor;

/** A Dense layer with fixed weights (kernel row-major [in, units]), applied to `x`. */
function fixedDense(
  x: Symbolic,
  name: string,
  units: number,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  activation: 'tanh' | 'relu' | 'linear' = 'linear',
): Symbolic {
  const layer = tf.layers.dense({ units, activation, useBias: bias !== null, name });
  const y = layer.apply(x) as Symbolic;
  const inSize = kernel.length / units;
  const weights: tf.Tensor[] = [tf.tensor2d(Float32Array.from(kernel), [inSize, units])];
  if (bias) weights.push(tf.tensor1d(Float32Array.from(bias)));
  layer.setWeights(weights);
  tf.dispose(weights);
  return y;
}

/** [size × size] row-major diagonal matrix with `value` on the diagonal. */
function diagonal(size: number, value: number): Float32Array {
  const m = new Float32Array(size * size);
  for (let i = 0; i < size; i++) m[i * size + i] = value;
  return m;
}

function network(x: Symbolic, net: NetworkJSON, prefix: string): Symbolic {
  let h = x;
  if (net.items)
    h = tf.layers.reshape({ targetShape: [net.items.itemCount, net.items.itemSize], name: `${prefix}_items` }).apply(h) as Symbolic;
  net.layers.forEach((l, i) => {
    h = fixedDense(h, `${prefix}_${i}`, l.outSize, l.weight, l.bias, l.activation);
  });
  if (net.items) h = tf.layers.reshape({ targetShape: [net.items.itemCount], name: `${prefix}_logits` }).apply(h) as Symbolic;
  return h;
}

/** The policy as a tf.LayersModel. */
export function buildTfjsModel(policy: PolicyJSON): tf.LayersModel {
  const obsSize = policy.observation.size;
  const n = policy.action.n;
  const observation = tf.input({ shape: [obsSize], name: 'observation' });
  const mask = tf.input({ shape: [n], name: 'action_mask' });
  // max_i mask_i, [batch, 1]
  const anyValid = tf.layers
    .globalMaxPooling1d({ name: 'mask_any' })
    .apply(tf.layers.reshape({ targetShape: [n, 1], name: 'mask_column' }).apply(mask)) as Symbolic;
  const constant = (name: string, size: number, value: number) =>
    fixedDense(anyValid, name, size, new Float32Array(size), new Float32Array(size).fill(value));

  let x: Symbolic = observation;
  const norm = policy.normalization;
  if (norm) {
    const bn = tf.layers.batchNormalization({ epsilon: norm.epsilon, center: false, scale: false, name: 'normalize' });
    x = bn.apply(x) as Symbolic;
    const stats = [tf.tensor1d(norm.mean), tf.tensor1d(norm.var)];
    bn.setWeights(stats);
    tf.dispose(stats);
    x = tf.layers.maximum({ name: 'clip_low' }).apply([x, constant('clip_min', obsSize, -norm.clip)]) as Symbolic;
    x = tf.layers.minimum({ name: 'clip_high' }).apply([x, constant('clip_max', obsSize, norm.clip)]) as Symbolic;
  }
  const head = network(x, policy.actor, 'actor');

  // valid = max(mask, 1 − any); logits = head·valid + (valid − 1)·1e8
  const noneValid = fixedDense(anyValid, 'mask_none', n, new Float32Array(n).fill(-1), new Float32Array(n).fill(1));
  const valid = tf.layers.maximum({ name: 'mask_valid' }).apply([mask, noneValid]) as Symbolic;
  const kept = tf.layers.multiply({ name: 'mask_keep' }).apply([head, valid]) as Symbolic;
  const penalty = fixedDense(valid, 'mask_penalty', n, diagonal(n, -MASKED_LOGIT), new Float32Array(n).fill(MASKED_LOGIT));
  const logits = tf.layers.add({ name: 'logits' }).apply([kept, penalty]) as Symbolic;

  const outputs = [logits];
  if (policy.critic)
    outputs.push(tf.layers.activation({ activation: 'linear', name: 'value' }).apply(network(x, policy.critic, 'critic')) as Symbolic);
  return tf.model({ inputs: [observation, mask], outputs, name: 'schedlab_policy' });
}

/** Writes model.json + weights.bin (the format tf.loadLayersModel reads over http and from files). */
export async function writeTfjs(
  policy: PolicyJSON,
  outDir: string,
): Promise<{ files: string[]; inputs: TensorContract[]; outputs: TensorContract[] }> {
  const model = buildTfjsModel(policy);
  try {
    await mkdir(outDir, { recursive: true });
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = new Uint8Array(tf.io.concatenateArrayBuffers(([] as ArrayBuffer[]).concat(artifacts.weightData ?? [])));
        await writeFile(join(outDir, TFJS_WEIGHTS_FILE), weights);
        const modelJson = {
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: artifacts.weightSpecs }],
        };
        await writeFile(join(outDir, TFJS_MODEL_FILE), JSON.stringify(modelJson) + '\n');
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
      }),
    );
  } finally {
    model.dispose();
  }
  const n = policy.action.n;
  const outputs: TensorContract[] = [
    {
      name: 'logits',
      dtype: 'float32',
      shape: [-1, n],
      description: `masked logits (${MASKED_LOGIT} where masked); action = start + argMax(logits, 1)`,
    },
  ];
  if (policy.critic) outputs.push({ name: 'value', dtype: 'float32', shape: [-1, 1], description: 'state value' });
  return {
    files: [TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE],
    inputs: [
      {
        name: 'observation',
        dtype: 'float32',
        shape: [-1, policy.observation.size],
        description: 'raw flat observations (normalised inside the model)',
      },
      { name: 'action_mask', dtype: 'float32', shape: [-1, n], description: '1 = valid, 0 = masked; all ones when the env has no masks' },
    ],
    outputs,
  };
}

/** A file IOHandler for tf.loadLayersModel: reads `dir`/model.json and the weights it lists. */
export function tfjsFileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const file = join(dir, TFJS_MODEL_FILE);
      let json: {
        modelTopology: object;
        format?: string;
        generatedBy?: string;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      try {
        json = JSON.parse(await readFile(file, 'utf8')) as typeof json; // the layout tf.io writes; tf.loadLayersModel validates the topology
      } catch (e) {
        throw new InputFileError(file, undefined, undefined, `cannot be read as a TF.js model (${(e as Error).message})`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const buf = await readFile(join(dir, p));
          buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
}

/** tf.loadLayersModel on an exported folder. */
export function loadTfjsPolicy(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tfjsFileHandler(dir));
}
