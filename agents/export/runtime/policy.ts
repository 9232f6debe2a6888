/**
 * The dependency-free runtime: computes an exported policy (policy.json) with plain Float32Array
 * maths, no TensorFlow.js. It reproduces the training agent's CPU forward exactly (float64 dot
 * products over float32 weights, float32 layer outputs, float64 normalisation) and its masking rule:
 * masked actions get MASKED_LOGIT and are never chosen, and a mask allowing nothing masks nothing.
 *
 * Usage: `const policy = ExportedPolicy.fromJSON(JSON.parse(text)); const { action } = policy.act(obs, mask);`
 */
import { type DenseLayerJSON, MASKED_LOGIT, type NetworkJSON, POLICY_FORMAT, type PolicyJSON } from './format.js';

export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

export interface PolicyOutput {
  /** The env's action (start + index). */
  action: number;
  /** Masked logits: the network's logits, MASKED_LOGIT where the mask forbids the action. */
  logits: Float32Array;
  /** The state value, when the export has a value head. */
  value?: number;
}

interface Layer {
  inSize: number;
  outSize: number;
  activation: DenseLayerJSON['activation'];
  /** Wᵀ as float64, rows of inSize (contiguous dot products). */
  wt: Float64Array;
  b: Float64Array;
}

interface Network {
  layers: Layer[];
  /** Rows the input is split into (1 for a plain MLP). */
  rows: number;
}

const fromJsonBound = (v: number) => (v === Number.MAX_VALUE ? Infinity : v === -Number.MAX_VALUE ? -Infinity : v);

function fail(field: string, problem: string): never {
  throw new PolicyInputError(`policy.json: '${field}' ${problem}`);
}

function numbers(v: unknown, length: number, field: string): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number')) fail(field, `must be an array of ${length} numbers`);
  return v;
}

function buildNetwork(json: NetworkJSON | undefined, inSize: number, field: string): Network {
  if (!json || !Array.isArray(json.layers) || json.layers.length === 0) fail(field, 'must have a non-empty layers array');
  let rows = 1;
  let n = inSize;
  if (json.items) {
    const { itemCount, itemSize } = json.items;
    if (!Number.isInteger(itemCount) || !Number.isInteger(itemSize) || itemCount * itemSize !== inSize) fail(`${field}.items`, `must split the ${inSize} inputs into itemCount × itemSize`);
    rows = itemCount;
    n = itemSize;
  }
  const layers = json.layers.map((l, i) => {
    const f = `${field}.layers[${i}]`;
    if (l.inSize !== n) fail(`${f}.inSize`, `is ${l.inSize}; the previous layer gives ${n}`);
    if (!['tanh', 'relu', 'linear'].includes(l.activation)) fail(`${f}.activation`, `is ${JSON.stringify(l.activation)}; accepted: tanh, relu, linear`);
    const w = numbers(l.weight, l.inSize * l.outSize, `${f}.weight`);
    const wt = new Float64Array(l.inSize * l.outSize);
    for (let k = 0; k < l.inSize; k++) for (let j = 0; j < l.outSize; j++) wt[j * l.inSize + k] = Math.fround(w[k * l.outSize + j]);
    const b = Float64Array.from(numbers(l.bias, l.outSize, `${f}.bias`), Math.fround);
    n = l.outSize;
    return { inSize: l.inSize, outSize: l.outSize, activation: l.activation, wt, b };
  });
  return { layers, rows };
}

function dense(layer: Layer, x: Float32Array, batch: number): Float32Array {
  const { inSize: nIn, outSize: nOut, wt, b, activation } = layer;
  const y = new Float32Array(batch * nOut);
  for (let r = 0; r < batch; r++) {
    const xRow = r * nIn;
    for (let j = 0; j < nOut; j++) {
      let sum = b[j];
      const wRow = j * nIn;
      for (let k = 0; k < nIn; k++) sum += x[xRow + k] * wt[wRow + k];
      y[r * nOut + j] = activation === 'tanh' ? Math.tanh(sum) : activation === 'relu' && sum < 0 ? 0 : sum;
    }
  }
  return y;
}

function forward(net: Network, x: Float32Array): Float32Array {
  let h = x;
  for (const layer of net.layers) h = dense(layer, h, net.rows);
  return h;
}

export class ExportedPolicy {
  readonly observationSize: number;
  readonly actionCount: number;
  readonly actionStart: number;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly norm: { mean: Float64Array; var: Float64Array; epsilon: number; clip: number } | null;
  private readonly actor: Network;
  private readonly critic: Network | undefined;

  private constructor(readonly json: PolicyJSON) {
    if (json?.format !== POLICY_FORMAT) fail('format', `is ${JSON.stringify(json?.format)}; accepted: '${POLICY_FORMAT}'`);
    const size = json.observation?.size;
    if (!Number.isInteger(size) || size < 1) fail('observation.size', 'must be a positive integer');
    this.observationSize = size;
    this.low = Float64Array.from(numbers(json.observation.low, size, 'observation.low'), fromJsonBound);
    this.high = Float64Array.from(numbers(json.observation.high, size, 'observation.high'), fromJsonBound);
    const n = json.normalization;
    this.norm = n ? { mean: Float64Array.from(numbers(n.mean, size, 'normalization.mean')), var: Float64Array.from(numbers(n.var, size, 'normalization.var')), epsilon: n.epsilon, clip: n.clip } : null;
    if (json.action?.type !== 'Discrete' || !Number.isInteger(json.action.n) || json.action.n < 1) fail('action', 'must be {"type": "Discrete", "n": <positive integer>, "start": <integer>}');
    this.actionCount = json.action.n;
    this.actionStart = json.action.start ?? 0;
    this.actor = buildNetwork(json.actor, size, 'actor');
    const out = this.actor.layers[this.actor.layers.length - 1].outSize * this.actor.rows;
    if (out !== this.actionCount) fail('actor', `gives ${out} logits for ${this.actionCount} actions`);
    this.critic = json.critic ? buildNetwork(json.critic, size, 'critic') : undefined;
  }

  /** A policy from the parsed contents of policy.json; throws PolicyInputError on a malformed file. */
  static fromJSON(json: unknown): ExportedPolicy {
    return new ExportedPolicy(json as PolicyJSON);
  }

  /** Checks an observation's length and bounds; returns it as float32. */
  private validate(observation: ArrayLike<number>): Float32Array {
    if (observation == null || typeof observation.length !== 'number') throw new PolicyInputError(`observation must be an array of ${this.observationSize} numbers, got ${String(observation)}`);
    if (observation.length !== this.observationSize) throw new PolicyInputError(`observation has ${observation.length} entries; the policy takes ${this.observationSize}`);
    const x = Float32Array.from(observation);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new PolicyInputError(`observation[${i}] = ${observation[i]} is not a finite float32 number`);
      if (!(x[i] >= this.low[i] && x[i] <= this.high[i])) {
        throw new PolicyInputError(`observation[${i}] = ${observation[i]} is outside the observation space [${this.low[i]}, ${this.high[i]}]`);
      }
    }
    return x;
  }

  private normalize(x: Float32Array): Float32Array {
    const n = this.norm;
    if (!n) return x;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const z = (x[i] - n.mean[i]) / Math.sqrt(n.var[i] + n.epsilon);
      out[i] = Math.max(-n.clip, Math.min(n.clip, z));
    }
    return out;
  }

  /**
   * The deterministic action for a raw observation (flat, `observationSize` numbers) and an optional
   * action mask (`actionCount` entries, nonzero = valid).
   */
  act(observation: ArrayLike<number>, mask?: ArrayLike<number>): PolicyOutput {
    const x = this.normalize(this.validate(observation));
    if (mask !== undefined && mask.length !== this.actionCount) throw new PolicyInputError(`the action mask has ${mask.length} entries; the policy has ${this.actionCount} actions`);
    const head = forward(this.actor, x);
    let anyValid = mask === undefined;
    if (mask) for (let i = 0; i < mask.length; i++) if (mask[i]) anyValid = true;
    const logits = new Float32Array(this.actionCount);
    let best = 0;
    let max = -Infinity;
    for (let i = 0; i < this.actionCount; i++) {
      const valid = !mask || !anyValid || mask[i] !== 0;
      logits[i] = valid ? Math.max(head[i], MASKED_LOGIT) : MASKED_LOGIT;
      if (valid && logits[i] > max) {
        max = logits[i];
        best = i;
      }
    }
    const out: PolicyOutput = { action: this.actionStart + best, logits };
    if (this.critic) out.value = forward(this.critic, x)[0];
    return out;
  }
}
