/**
 * All of a model's parameters in one flat tf.Variable. Layers declare their tensors (name, shape,
 * initial values) and read them back as views; the optimizer, the gradient-norm clip and checkpoints
 * then see one tensor instead of dozens, which matters on wasm where every op costs a few µs.
 * A Float32Array copy (`values`) serves the CPU forward used for action selection.
 */
import * as tf from '@tensorflow/tfjs';

export interface ParamSpec {
  name: string;
  shape: number[];
  size: number;
  offset: number;
}

let nextId = 0;

export class ParamStore {
  readonly specs: ParamSpec[] = [];
  private initial: Float32Array[] = [];
  private _variable: tf.Variable<tf.Rank.R1> | undefined;
  /** CPU copy of the parameters, refreshed by `sync()` after every change. */
  values: Float32Array = new Float32Array(0);
  /** Bumped whenever `values` changes, so CPU-side caches know to refresh. */
  version = 0;
  size = 0;

  /** Declares a parameter; returns its index, used with `views()` and `offset()`. */
  add(name: string, shape: number[], init: Float32Array): number {
    if (this._variable) throw new Error('ParamStore: parameters are already built');
    const size = shape.reduce((a, b) => a * b, 1);
    if (init.length !== size) throw new Error(`ParamStore: ${name} has ${init.length} initial values for shape [${shape}]`);
    if (this.specs.some((s) => s.name === name)) throw new Error(`ParamStore: duplicate parameter ${name}`);
    this.specs.push({ name, shape, size, offset: this.size });
    this.initial.push(init);
    this.size += size;
    return this.specs.length - 1;
  }

  /** Creates the variable from the declared initial values. */
  build(): this {
    const flat = new Float32Array(this.size);
    this.specs.forEach((s, i) => flat.set(this.initial[i], s.offset));
    this.initial = [];
    const initial = tf.tensor1d(flat);
    this._variable = tf.variable<tf.Rank.R1>(initial, true, `params_${nextId++}`);
    initial.dispose();
    this.values = flat;
    this.version++;
    return this;
  }

  get variable(): tf.Variable<tf.Rank.R1> {
    if (!this._variable) throw new Error('ParamStore: build() was not called');
    return this._variable;
  }

  /** The parameters as tensors of their shapes, sliced from `flat` (the variable by default); call inside tf.tidy. */
  views(flat: tf.Tensor1D = this.variable): tf.Tensor[] {
    const parts = tf.split(
      flat,
      this.specs.map((s) => s.size),
    );
    return parts.map((p, i) => (this.specs[i].shape.length === 1 ? p : tf.reshape(p, this.specs[i].shape)));
  }

  /**
   * The parameters as tensors of their shapes, from one read of the variable: for computations that do
   * not differentiate through them. (tf.split on wasm copies the whole vector once per part.) Call
   * inside tf.tidy.
   */
  detachedViews(): tf.Tensor[] {
    const flat = this.variable.dataSync();
    return this.specs.map((s) => tf.tensor(flat.subarray(s.offset, s.offset + s.size), s.shape));
  }

  offset(index: number): number {
    return this.specs[index].offset;
  }

  /** Refreshes the CPU copy from the variable. */
  sync(): void {
    this.values = this.variable.dataSync() as Float32Array;
    this.version++;
  }

  /** Replaces all parameters (e.g. from a checkpoint). */
  assign(values: Float32Array): void {
    if (values.length !== this.size) throw new Error(`ParamStore: got ${values.length} values for ${this.size} parameters`);
    tf.tidy(() => this.variable.assign(tf.tensor1d(values)));
    this.sync();
  }

  /** The layout, recorded in checkpoints so a different architecture is told apart. */
  layout(): { name: string; shape: number[] }[] {
    return this.specs.map((s) => ({ name: s.name, shape: s.shape }));
  }

  dispose(): void {
    this._variable?.dispose();
    this._variable = undefined;
  }
}
