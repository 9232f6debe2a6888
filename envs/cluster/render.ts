/**
 * The text picture of ClusterScheduling-v0, after DeepRM's `plot_state`: for each resource, the machine
 * over the next T steps (one row per step, `#` a unit in use, `.` a free one) beside each slot's job
 * (len rows × demand columns of `#`), then the backlog count and the time since the last arrival.
 */
import type { ClusterParams } from './options.js';

export interface RenderState {
  params: Readonly<ClusterParams>;
  time: number;
  avbl: Int32Array;
  slotLen: Int32Array;
  slotDemand: Int32Array;
  backlog: number;
  timeSinceLastJob: number;
}

export function renderCluster(s: RenderState): string {
  const { timeHorizon: T, numRes: R, numSlots: S, resSlot, maxJobSize, backlogSize } = s.params;
  const bar = (filled: number, width: number) => '#'.repeat(filled) + '.'.repeat(width - filled);
  const lines = [`time ${s.time}   backlog ${s.backlog}/${backlogSize}   steps since last arrival ${s.timeSinceLastJob}`];
  for (let r = 0; r < R; r++) {
    const header = [`resource ${r}`.padEnd(resSlot + 2)];
    for (let j = 0; j < S; j++) header.push(`slot ${j}`.padEnd(maxJobSize + 2));
    lines.push('', header.join(' ').trimEnd());
    for (let t = 0; t < T; t++) {
      const cells = [`|${bar(resSlot - s.avbl[t * R + r], resSlot)}|`];
      for (let j = 0; j < S; j++) {
        const d = t < s.slotLen[j] ? s.slotDemand[j * R + r] : 0;
        cells.push(`|${bar(d, maxJobSize)}|`);
      }
      lines.push(cells.join(' '));
    }
  }
  return lines.join('\n');
}
