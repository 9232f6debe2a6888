/** Shards `i/n`: shard i (0 ≤ i < n) takes the runs whose expansion index is i modulo n. */
import { SchedlabError } from '../../core/errors.js';
import type { RunSpec } from '../sweep/expand.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) {
    throw new SchedlabError(`--shard is '${text}'; accepted: i/n with 0 <= i < n, e.g. 0/4 (Slurm passes $SLURM_ARRAY_TASK_ID as i)`);
  }
  return shard;
}

export function selectShard(runs: RunSpec[], shard: Shard | undefined): RunSpec[] {
  return shard ? runs.filter((r) => r.index % shard.count === shard.index) : runs;
}
