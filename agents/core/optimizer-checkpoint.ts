/** The optimizer tensors of a checkpoint for agents with an `optimizer` option (RMSprop's v, or Adam's m and v). */
import type { TensorRecord } from './checkpoint.js';
import { FlatAdam } from './nn/adam.js';
import { FlatRmsprop } from './nn/rmsprop.js';

/** The optimizer's step count and its moment tensors ('rmsprop/v', or 'adam/m' and 'adam/v'). */
export function optimizerTensors(optimizer: FlatRmsprop | FlatAdam, size: number): { step: number; tensors: TensorRecord } {
  const opt = optimizer.state();
  const tensors: TensorRecord =
    'm' in opt
      ? { 'adam/m': { values: opt.m as Float32Array, shape: [size] }, 'adam/v': { values: opt.v, shape: [size] } }
      : { 'rmsprop/v': { values: opt.v, shape: [size] } };
  return { step: opt.step, tensors };
}

/** Restores what `optimizerTensors` saved. */
export function restoreOptimizer(optimizer: FlatRmsprop | FlatAdam, step: number, tensors: TensorRecord): void {
  if (optimizer instanceof FlatRmsprop) optimizer.setState({ step, v: tensors['rmsprop/v'].values });
  else optimizer.setState({ step, m: tensors['adam/m'].values, v: tensors['adam/v'].values });
}
