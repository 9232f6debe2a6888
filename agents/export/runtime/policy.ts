/**
 * The dependency-free runtime: computes an exported policy (policy.json) with plain Float32Array
 * maths, no TensorFlow.js. It reproduces the training agent's CPU forward exactly (float64 dot
 * products over float32 weights, float32 layer outputs, float64 normalisation) and its masking rule:
 * masked actions get MASKED_LOGIT and are never chosen, and a mask allowing nothing masks nothing.
 *
 * Usage: `const policy = ExportedPolicy.fromJSON(JSON.parse(text)); const { action } = policy.act(obs, mask);`
 */
import { MASKED_LOGIT, POLICY_FORMAT, type NetworkJSON, type PolicyJSON } from './format.js';

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
  /** 0 linear, 1 tanh, 2 relu. */
  act: 0 | 1 | 2;
  /** Wᵀ as float64, rows of inSize (contiguous dot products). */
  wt: Float64Array;
  b: Float64Array;
  /** This layer's output for one call (rows × outSize float32 values held as float64), reused call after call. */
  out: Float64Array;
}

interface Network {
  layers: Layer[];
  /** Rows the input is split into (1 for a plain MLP). */
  rows: number;
}

const ACTIVATION_CODES = { linear: 0, tanh: 1, relu: 2 } as const;

const fromJsonBound = (v: number) => (v === Number.MAX_VALUE ? Infinity : v === -Number.MAX_VALUE ? -Infinity : v);

function fail(field: string, problem: string): never {
  throw new PolicyInputError(`policy.json: '${field}' ${problem}`);
}

function numbers(v: unknown, length: number, field: string): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number'))
    fail(field, `must be an array of ${length} numbers`);
  return v;
}

function buildNetwork(json: NetworkJSON | undefined, inSize: number, field: string): Network {
  if (!json || !Array.isArray(json.layers) || json.layers.length === 0) fail(field, 'must have a non-empty layers array');
  let rows = 1;
  let n = inSize;
  if (json.items) {
    const { itemCount, itemSize } = json.items;
    if (!Number.isInteger(itemCount) || !Number.isInteger(itemSize) || itemCount * itemSize !== inSize)
      fail(`${field}.items`, `must split the ${inSize} inputs into itemCount × itemSize`);
    rows = itemCount;
    n = itemSize;
  }
  const layers = json.layers.map((l, i) => {
    const f = `${field}.layers[${i}]`;
    if (l.inSize !== n) fail(`${f}.inSize`, `is ${l.inSize}; the previous layer gives ${n}`);
    if (!Object.hasOwn(ACTIVATION_CODES, l.activation))
      fail(`${f}.activation`, `is ${JSON.stringify(l.activation)}; accepted: tanh, relu, linear`);
    const w = numbers(l.weight, l.inSize * l.outSize, `${f}.weight`);
    const wt = new Float64Array(l.inSize * l.outSize);
    for (let k = 0; k < l.inSize; k++) for (let j = 0; j < l.outSize; j++) wt[j * l.inSize + k] = Math.fround(w[k * l.outSize + j]);
    const b = Float64Array.from(numbers(l.bias, l.outSize, `${f}.bias`), Math.fround);
    n = l.outSize;
    return { inSize: l.inSize, outSize: l.outSize, act: ACTIVATION_CODES[l.activation], wt, b, out: new Float64Array(rows * l.outSize) };
  });
  return { layers, rows };
}

/**
 * y = act(x·W + b) for `rows` rows, into layer.out. Each output is one float64 dot product summed in
 * input order (b, then x₀w₀, x₁w₁, ...) and rounded to float32, as the training agent's CPU forward.
 * Four outputs are summed side by side, each in its own accumulator and in the same order as alone, so
 * every result is the same double as the plain loop's; the four independent chains of additions keep the
 * processor busy where one chain waits on each addition.
 */
function dense(layer: Layer, x: Float64Array, rows: number): Float64Array {
  const { inSize: nIn, outSize: nOut, wt, b, act, out } = layer;
  const end4 = nOut - (nOut % 4);
  for (let r = 0; r < rows; r++) {
    const xRow = r * nIn;
    const yRow = r * nOut;
    let j = 0;
    for (; j < end4; j += 4) {
      let s0 = b[j];
      let s1 = b[j + 1];
      let s2 = b[j + 2];
      let s3 = b[j + 3];
      const w0 = j * nIn;
      const w1 = w0 + nIn;
      const w2 = w1 + nIn;
      const w3 = w2 + nIn;
      for (let k = 0; k < nIn; k++) {
        const xk = x[xRow + k];
        s0 += xk * wt[w0 + k];
        s1 += xk * wt[w1 + k];
        s2 += xk * wt[w2 + k];
        s3 += xk * wt[w3 + k];
      }
      out[yRow + j] = activate(act, s0);
      out[yRow + j + 1] = activate(act, s1);
      out[yRow + j + 2] = activate(act, s2);
      out[yRow + j + 3] = activate(act, s3);
    }
    for (; j < nOut; j++) {
      let sum = b[j];
      const wRow = j * nIn;
      for (let k = 0; k < nIn; k++) sum += x[xRow + k] * wt[wRow + k];
      out[yRow + j] = activate(act, sum);
    }
  }
  return out;
}

/** The activation of a summed output, rounded to float32. */
function activate(act: 0 | 1 | 2, sum: number): number {
  return Math.fround(act === 1 ? Math.tanh(sum) : act === 2 && sum < 0 ? 0 : sum);
}

function forward(net: Network, x: Float64Array): Float64Array {
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
  private readonly norm: { mean: Float64Array; var: Float64Array; epsilon: number; clip: number; scale: Float64Array } | null;
  /** The float32 input of the networks for one call (held as float64), reused call after call. */
  private readonly input: Float64Array;
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
    if (n) {
      const mean = Float64Array.from(numbers(n.mean, size, 'normalization.mean'));
      const variance = Float64Array.from(numbers(n.var, size, 'normalization.var'));
      // sqrt(var + epsilon) once, not per call: the same double, so the same division result.
      this.norm = { mean, var: variance, epsilon: n.epsilon, clip: n.clip, scale: variance.map((v) => Math.sqrt(v + n.epsilon)) };
    } else this.norm = null;
    this.input = new Float64Array(size);
    if (json.action?.type !== 'Discrete' || !Number.isInteger(json.action.n) || json.action.n < 1)
      fail('action', 'must be {"type": "Discrete", "n": <positive integer>, "start": <integer>}');
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

  /**
   * Checks an observation's length, finiteness and bounds, and writes the networks' input: the
   * observation as float32, normalised (float64 maths, clipped) and rounded to float32 when the policy
   * normalises.
   */
  private prepare(observation: ArrayLike<number>): Float64Array {
    if (observation == null || typeof observation.length !== 'number')
      throw new PolicyInputError(
        `observation must be an array of ${this.observationSize} numbers, got ${observation === null ? 'null' : typeof observation}`,
      );
    if (observation.length !== this.observationSize)
      throw new PolicyInputError(`observation has ${observation.length} entries; the policy takes ${this.observationSize}`);
    const { input, low, high, norm } = this;
    for (let i = 0; i < input.length; i++) {
      const v = Math.fround(observation[i]);
      if (!Number.isFinite(v)) throw new PolicyInputError(`observation[${i}] = ${observation[i]} is not a finite float32 number`);
      if (!(v >= low[i] && v <= high[i]))
        throw new PolicyInputError(`observation[${i}] = ${observation[i]} is outside the observation space [${low[i]}, ${high[i]}]`);
      if (norm) {
        const z = (v - norm.mean[i]) / norm.scale[i];
        input[i] = Math.fround(z < -norm.clip ? -norm.clip : z > norm.clip ? norm.clip : z);
      } else input[i] = v;
    }
    return input;
  }

  /**
   * The deterministic action for a raw observation (flat, `observationSize` numbers) and an optional
   * action mask (`actionCount` entries, nonzero = valid).
   */
  act(observation: ArrayLike<number>, mask?: ArrayLike<number>): PolicyOutput {
    const x = this.prepare(observation);
    if (mask !== undefined && mask.length !== this.actionCount)
      throw new PolicyInputError(`the action mask has ${mask.length} entries; the policy has ${this.actionCount} actions`);
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
