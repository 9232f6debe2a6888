import { OptionError } from '../../../core/errors.js';
import type { Env } from '../env.js';
import { make } from '../registry.js';
import { ParallelVectorEnv } from './parallel.js';
import { SyncVectorEnv } from './sync.js';
import type { AutoresetMode } from './types.js';

export interface MakeVecOptions {
  /** Options of every sub-env (as `make(id, options)`). */
  options?: Record<string, unknown>;
  /** 'sync' (default): one thread; 'parallel': worker threads. */
  vectorizationMode?: 'sync' | 'parallel';
  autoresetMode?: AutoresetMode;
  /** Worker threads, for 'parallel' (default: one per core, at most numEnvs). */
  numWorkers?: number;
  /**
   * Applied in order to every sub-env after make() (Gymnasium's `wrappers`), e.g.
   * `[(e) => new RecordEpisodeStatistics(e)]`. 'sync' only: functions cannot be sent to worker threads.
   */
  wrappers?: ((env: Env<any, any>) => Env<any, any>)[];
}

/** Gymnasium's `make_vec`: `numEnvs` copies of a registered env as one vector env. */
export function makeVec<Act = any>(id: string, numEnvs: number, opts: MakeVecOptions = {}): SyncVectorEnv<Act> | ParallelVectorEnv<Act> {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new OptionError('numEnvs', `is ${numEnvs}`, 'a positive integer', 'makeVec');
  const mode = opts.vectorizationMode ?? 'sync';
  const options = opts.options ?? {};
  if (mode === 'sync') {
    return new SyncVectorEnv<Act>(
      Array.from(
        { length: numEnvs },
        () => () => (opts.wrappers ?? []).reduce((env, wrap) => wrap(env), make(id, options)) as Env<unknown, Act>,
      ),
      { autoresetMode: opts.autoresetMode },
    );
  }
  if (mode === 'parallel') {
    if (opts.wrappers?.length) {
      throw new OptionError(
        'wrappers',
        "cannot be used with vectorizationMode 'parallel' (functions cannot be sent to worker threads)",
        "vectorizationMode 'sync'",
        'makeVec',
      );
    }
    return new ParallelVectorEnv<Act>(
      Array.from({ length: numEnvs }, () => ({ id, options })),
      { autoresetMode: opts.autoresetMode, numWorkers: opts.numWorkers },
    );
  }
  throw new OptionError('vectorizationMode', `is ${JSON.stringify(mode)}`, "'sync' or 'parallel'", 'makeVec');
}
