/**
 * ONNX export: the policy as an ONNX graph (opset 17, IR version 8), built with the onnx-proto
 * protobuf schema (protobufjs), so production services in Go, Java or C++ run it with any ONNX runtime.
 *
 * Inputs
 * - `observation` float32 [batch, obsSize]: raw flat observations; the normalisation is in the graph
 *   (float64 Sub/Div/Clip, then Cast to float32, as the training agent computes it).
 * - `action_mask` uint8 [batch, n] (1 = valid, 0 = masked): required; feed ones when the env has no
 *   masks (a graph input with a default initializer is hidden from inputs by onnxruntime, so none is used).
 * Outputs
 * - `action` int64 [batch]: start + ArgMax of the masked logits (first index on ties, as the agent).
 * - `logits` float32 [batch, n]: Where(valid, Max(logits, −1e8), −1e8), where valid = mask OR (the row
 *   allows nothing) — the training distribution's masking rule.
 * - `value` float32 [batch] (when exported with the value head).
 *
 * Layers: Gemm (y = x·W + b, W stored [in, out], transB = 0) then Tanh/Relu; the per-item scorer is a
 * Reshape to [batch·items, itemSize], the shared row MLP, and a Reshape back to [batch, items].
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { SchedlabError } from '../../core/errors.js';
import type { TensorContract } from './meta.js';
import { MASKED_LOGIT, type NetworkJSON, type PolicyJSON } from './runtime/format.js';

const { onnx } = onnxProto;
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;
export const ONNX_FILE = 'model.onnx';
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private count = 0;

  private fresh(op: string): string {
    return `${op.toLowerCase()}_${this.count++}`;
  }

  /** A constant tensor; returns its name. */
  constant(name: string, dims: number[], dataType: onnxProto.onnx.TensorProto.DataType, values: ArrayLike<number>): string {
    const bytes =
      dataType === T.FLOAT
        ? new Uint8Array(Float32Array.from(values).buffer)
        : dataType === T.DOUBLE
          ? new Uint8Array(Float64Array.from(values).buffer)
          : dataType === T.INT64
            ? new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer)
            : dataType === T.UINT8
              ? Uint8Array.from(values)
              : undefined;
    if (!bytes) throw new Error(`onnx export: no encoding for data type ${dataType}`);
    // Raw data is little-endian, as ONNX requires; typed arrays are little-endian on every platform Node runs on.
    this.initializers.push({ name, dims, dataType, rawData: bytes });
    return name;
  }

  node(op: string, inputs: string[], attributes: onnxProto.onnx.IAttributeProto[] = [], output?: string): string {
    const out = output ?? this.fresh(op);
    this.nodes.push({ opType: op, name: `${op}_${this.nodes.length}`, input: inputs, output: [out], attribute: attributes });
    return out;
  }
}

const int = (name: string, i: number): onnxProto.onnx.IAttributeProto => ({ name, type: A.INT, i });
const ints = (name: string, values: number[]): onnxProto.onnx.IAttributeProto => ({ name, type: A.INTS, ints: values });

function valueInfo(name: string, elemType: number, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

/** The layers of `net` applied to `x` ([batch, inSize]); returns the output's name ([batch, out]). */
function network(g: GraphBuilder, net: NetworkJSON, x: string, prefix: string): string {
  let h = x;
  if (net.items) h = g.node('Reshape', [h, g.constant(`${prefix}.items_shape`, [2], T.INT64, [-1, net.items.itemSize])]);
  net.layers.forEach((l, i) => {
    const w = g.constant(`${prefix}.${i}.weight`, [l.inSize, l.outSize], T.FLOAT, l.weight);
    const b = g.constant(`${prefix}.${i}.bias`, [l.outSize], T.FLOAT, l.bias);
    h = g.node('Gemm', [h, w, b], [int('transA', 0), int('transB', 0)]);
    if (l.activation === 'tanh') h = g.node('Tanh', [h]);
    else if (l.activation === 'relu') h = g.node('Relu', [h]);
    else if (l.activation !== 'linear')
      throw new SchedlabError(`onnx export: layer ${prefix}.${i} has activation '${l.activation}'; supported: tanh, relu, linear`);
  });
  if (net.items) h = g.node('Reshape', [h, g.constant(`${prefix}.logits_shape`, [2], T.INT64, [-1, net.items.itemCount])]);
  return h;
}

export interface OnnxGraph {
  bytes: Uint8Array;
  inputs: TensorContract[];
  outputs: TensorContract[];
}

/** The policy's ONNX model, serialised. */
export function buildOnnx(policy: PolicyJSON, producerVersion: string): OnnxGraph {
  const g = new GraphBuilder();
  const obsSize = policy.observation.size;
  const n = policy.action.n;
  for (const [field, net] of [
    ['actor', policy.actor],
    ['critic', policy.critic],
  ] as const) {
    if (!net) continue;
    const unknown = net.layers.find((l) => !['tanh', 'relu', 'linear'].includes(l.activation));
    if (unknown)
      throw new SchedlabError(
        `onnx export: the ${field} has a layer with activation '${unknown.activation}', which has no ONNX mapping here; supported: tanh, relu, linear`,
      );
  }

  // Observation normalisation, in float64 as the agent does it.
  let x = 'observation';
  const norm = policy.normalization;
  if (norm) {
    const mean = g.constant('normalization.mean', [obsSize], T.DOUBLE, norm.mean);
    const std = g.constant(
      'normalization.std',
      [obsSize],
      T.DOUBLE,
      norm.var.map((v) => Math.sqrt(v + norm.epsilon)),
    );
    const xd = g.node('Cast', [x], [int('to', T.DOUBLE)]);
    const z = g.node('Div', [g.node('Sub', [xd, mean]), std]);
    const clipped = g.node('Clip', [
      z,
      g.constant('normalization.clip_min', [], T.DOUBLE, [-norm.clip]),
      g.constant('normalization.clip_max', [], T.DOUBLE, [norm.clip]),
    ]);
    x = g.node('Cast', [clipped], [int('to', T.FLOAT)]);
  }

  const head = network(g, policy.actor, x, 'actor');

  // Masking: valid = mask OR (the row allows nothing); masked logits get MASKED_LOGIT.
  const maskF = g.node('Cast', ['action_mask'], [int('to', T.FLOAT)]);
  const anyValid = g.node('ReduceMax', [maskF], [ints('axes', [1]), int('keepdims', 1)]);
  const noneValid = g.node('Equal', [anyValid, g.constant('zero', [], T.FLOAT, [0])]);
  const valid = g.node('Or', [g.node('Cast', ['action_mask'], [int('to', T.BOOL)]), noneValid]);
  const maskedLogit = g.constant('masked_logit', [], T.FLOAT, [MASKED_LOGIT]);
  g.node('Where', [valid, g.node('Max', [head, maskedLogit]), maskedLogit], [], 'logits');
  const index = g.node('ArgMax', ['logits'], [int('axis', 1), int('keepdims', 0), int('select_last_index', 0)]);
  g.node('Add', [index, g.constant('action_start', [], T.INT64, [policy.action.start])], [], 'action');

  const inputs: TensorContract[] = [
    { name: 'observation', dtype: 'float32', shape: [-1, obsSize], description: 'raw flat observations (normalised inside the graph)' },
    { name: 'action_mask', dtype: 'uint8', shape: [-1, n], description: '1 = valid, 0 = masked; all ones when the env has no masks' },
  ];
  const outputs: TensorContract[] = [
    { name: 'action', dtype: 'int64', shape: [-1], description: 'deterministic action (start + argmax over valid logits)' },
    { name: 'logits', dtype: 'float32', shape: [-1, n], description: `masked logits (${MASKED_LOGIT} where masked)` },
  ];
  const graphOutputs = [valueInfo('action', T.INT64, ['batch']), valueInfo('logits', T.FLOAT, ['batch', n])];
  if (policy.critic) {
    const v = network(g, policy.critic, x, 'critic');
    g.node('Reshape', [v, g.constant('value_shape', [1], T.INT64, [-1])], [], 'value');
    outputs.push({ name: 'value', dtype: 'float32', shape: [-1], description: 'state value' });
    graphOutputs.push(valueInfo('value', T.FLOAT, ['batch']));
  }

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'schedlab',
    producerVersion,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'schedlab_policy',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('observation', T.FLOAT, ['batch', obsSize]), valueInfo('action_mask', T.UINT8, ['batch', n])],
      output: graphOutputs,
      docString: `schedlab policy: ${obsSize} observations -> ${n} actions; the contract is in policy.meta.json`,
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs, outputs };
}

export async function writeOnnx(
  policy: PolicyJSON,
  outDir: string,
  producerVersion: string,
): Promise<{
  files: string[];
  inputs: TensorContract[];
  outputs: TensorContract[];
  onnx: { opset: number; irVersion: number; domain: string };
}> {
  const { bytes, inputs, outputs } = buildOnnx(policy, producerVersion);
  await writeFile(join(outDir, ONNX_FILE), bytes);
  return { files: [ONNX_FILE], inputs, outputs, onnx: { opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION, domain: 'ai.onnx (default)' } };
}
