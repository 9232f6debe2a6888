/**
 * The compact observation of ClusterScheduling-v0 (DeepRM's `observe`, repre 'compact'): a float32 vector
 * of length (numRes + 1)·(T + numSlots) + 1, laid out as
 * - [0, T): for each step t of the horizon, the number of jobs on the machine that are still there at t;
 * - then for each resource r, T values: the free units of r at each step of the horizon;
 * - then for each slot, numRes + 1 values: the job's length, then its demand per resource (zeros when empty);
 * - last: the number of jobs in the backlog.
 */
import { Box } from '../core/spaces/box.js';

export interface CompactShape {
  timeHorizon: number;
  numRes: number;
  resSlot: number;
  maxJobLen: number;
  maxJobSize: number;
  numSlots: number;
  backlogSize: number;
}

export function compactSpace(p: CompactShape): Box<Float32Array> {
  const T = p.timeHorizon;
  const high: number[] = [];
  // Every job on the machine holds at least one unit during one of the T − 1 usable steps.
  for (let t = 0; t < T; t++) high.push((T - 1) * p.resSlot * p.numRes);
  for (let i = 0; i < p.numRes * T; i++) high.push(p.resSlot);
  for (let s = 0; s < p.numSlots; s++) {
    high.push(p.maxJobLen);
    for (let r = 0; r < p.numRes; r++) high.push(p.maxJobSize);
  }
  high.push(p.backlogSize);
  return new Box<Float32Array>(0, high, [high.length], 'float32');
}
