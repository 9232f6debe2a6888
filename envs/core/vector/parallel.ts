/**
 * Gymnasium's AsyncVectorEnv on worker threads: sub-envs are built by `make(id, options)` inside
 * `numWorkers` workers (by default one per CPU core, several sub-envs per worker when there are more
 * sub-envs than cores), and run in parallel. Observations, rewards and flags come back through a
 * SharedArrayBuffer; commands are signalled with Atomics (see protocol.ts). Methods return Promises:
 * always `await` them, one call at a time. Results and seeding are identical to SyncVectorEnv's.
 *
 * An error in a worker (an invalid action, a bad option, an unknown id) is thrown in the caller as the
 * same class with the same message; a worker that dies rejects the pending call. After an error the
 * sub-envs may be mid-episode: reset() before going on.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { OptionError, SchedlabError } from '../../../core/errors.js';
import type { Info } from '../env.js';
import { listEnvs, registeringModule } from '../registry.js';
import { flatdim } from '../spaces/flatten.js';
import { spaceFromJSON } from '../spaces/json.js';
import type { Space, SpaceJSON } from '../spaces/space.js';
import {
  CMD,
  CONTROL_SLOTS,
  dataBytes,
  dataViews,
  deserializeError,
  DONE,
  HAS_REPLY,
  READY,
  type Command,
  type SerializedError,
} from './protocol.js';
import { checkActions, checkAutoresetMode, splitResetMask } from './sync.js';
import type { AutoresetMode, VectorEnv, VectorResetArgs, VectorResetResult, VectorStepResult } from './types.js';
import type { WorkerData } from './worker.js';

export interface SubEnvSpec {
  id: string;
  options?: Record<string, unknown>;
}

export interface ParallelVectorEnvOptions {
  autoresetMode?: AutoresetMode;
  /** Worker threads (default: min(numEnvs, available cores)); sub-envs are split evenly among them. */
  numWorkers?: number;
  /** Extra modules (absolute paths or URLs of compiled JS) each worker imports to register its envs. */
  modules?: string[];
  /** How long the constructor waits for the workers to build their sub-envs (default 60 s). */
  startTimeoutMs?: number;
}

interface WorkerHandle {
  worker: Worker;
  port: MessagePort;
  first: number;
  count: number;
  /** Commands sent so far (the value the worker's DONE must reach). */
  sent: number;
  /** Rejects when the worker dies; raced with every wait. */
  died: Promise<never>;
  exited: boolean;
}

type AtomicsWithWaitAsync = typeof Atomics & {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeout?: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
};

export class ParallelVectorEnv<Act = unknown> implements VectorEnv<Act> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly observationSize: number;
  readonly autoresetMode: AutoresetMode;
  readonly metadata: { autoresetMode: AutoresetMode };
  readonly numWorkers: number;
  private readonly workers: WorkerHandle[] = [];
  private readonly control: Int32Array;
  private readonly views: ReturnType<typeof dataViews>;
  private busy = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(specs: SubEnvSpec[], options: ParallelVectorEnvOptions = {}) {
    if (!Array.isArray(specs) || specs.length === 0 || specs.some((s) => !s || typeof s.id !== 'string')) {
      throw new OptionError('specs', 'is not a non-empty array of {id, options?}', 'one {id, options?} per sub-env', 'ParallelVectorEnv');
    }
    this.autoresetMode = checkAutoresetMode(options.autoresetMode, 'ParallelVectorEnv');
    this.metadata = { autoresetMode: this.autoresetMode };
    this.numEnvs = specs.length;
    const numWorkers = options.numWorkers ?? Math.min(this.numEnvs, availableParallelism());
    if (!Number.isInteger(numWorkers) || numWorkers < 1 || numWorkers > this.numEnvs) {
      throw new OptionError('numWorkers', `is ${numWorkers}`, `an integer from 1 to numEnvs (${this.numEnvs})`, 'ParallelVectorEnv');
    }
    this.numWorkers = numWorkers;
    const file = workerFile();
    const modules = workerModules(specs, options.modules ?? []);
    this.control = new Int32Array(new SharedArrayBuffer(numWorkers * CONTROL_SLOTS * 4));
    for (let w = 0; w < numWorkers; w++) {
      const first = Math.floor((w * this.numEnvs) / numWorkers);
      const count = Math.floor(((w + 1) * this.numEnvs) / numWorkers) - first;
      const { port1, port2 } = new MessageChannel();
      const data: WorkerData = {
        specs: specs.slice(first, first + count).map((s) => ({ id: s.id, options: s.options })),
        first,
        numEnvs: count,
        totalEnvs: this.numEnvs,
        autoresetMode: this.autoresetMode,
        modules,
        control: this.control.buffer as SharedArrayBuffer,
        index: w,
        port: port2,
      };
      const worker = new Worker(file, { workerData: data, transferList: [port2] });
      const handle: WorkerHandle = { worker, port: port1, first, count, sent: 0, died: undefined as never, exited: false };
      handle.died = new Promise<never>((_, reject) => {
        worker.on('error', (e) => reject(e));
        worker.on('exit', (code) => {
          handle.exited = true;
          reject(new SchedlabError(`ParallelVectorEnv: worker ${w} (sub-envs ${first}..${first + count - 1}) exited with code ${code}`));
        });
      });
      handle.died.catch(() => {}); // observed by the waits; never an unhandled rejection
      worker.unref(); // an unclosed vector env does not keep the process alive
      this.workers.push(handle);
    }
    // The constructor is synchronous (spaces are known when it returns): block until every worker is ready.
    const spaces = this.workers.map((h, w) => this.awaitReadySync(h, w, options.startTimeoutMs ?? 60_000));
    const failed = spaces.find((s): s is { error: SerializedError } => 'error' in s);
    if (failed) {
      this.terminateAll();
      throw deserializeError(failed.error, 'a ParallelVectorEnv worker');
    }
    const ok = spaces as { observationSpace: SpaceJSON; actionSpace: SpaceJSON }[];
    ok.forEach((s, w) => {
      if (JSON.stringify(s) !== JSON.stringify(ok[0])) {
        this.terminateAll();
        throw new OptionError(
          'specs',
          `give worker ${w} the spaces ${JSON.stringify(s)}`,
          `the spaces of worker 0: ${JSON.stringify(ok[0])}`,
          'ParallelVectorEnv',
        );
      }
    });
    this.singleObservationSpace = spaceFromJSON(ok[0].observationSpace);
    this.singleActionSpace = spaceFromJSON(ok[0].actionSpace);
    this.observationSize = flatdim(this.singleObservationSpace);
    const data = new SharedArrayBuffer(dataBytes(this.numEnvs, this.observationSize));
    this.views = dataViews(data, this.numEnvs, this.observationSize);
    for (const h of this.workers) this.send(h, { op: 'attach', data });
    this.workers.forEach((h, w) => {
      if (Atomics.wait(this.control, w * CONTROL_SLOTS + DONE, 0, options.startTimeoutMs ?? 60_000) === 'timed-out') {
        this.terminateAll();
        throw new SchedlabError(`ParallelVectorEnv: worker ${w} did not answer within ${options.startTimeoutMs ?? 60_000} ms`);
      }
      const reply = this.takeReply(h, w);
      if (reply?.error) {
        this.terminateAll();
        throw deserializeError(reply.error as SerializedError, 'a ParallelVectorEnv worker');
      }
    });
  }

  async reset(args: VectorResetArgs = {}): Promise<VectorResetResult> {
    const { seed } = args;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
      throw new OptionError('seed', `is ${seed}`, 'a non-negative integer', 'ParallelVectorEnv.reset');
    }
    const { resetMask, options } = splitResetMask(args.options, this.numEnvs, 'ParallelVectorEnv.reset');
    const replies = await this.run('options', (h) => ({
      op: 'reset',
      seed,
      options: resetMask ? { ...options, resetMask: Array.from(resetMask.subarray(h.first, h.first + h.count)) } : options,
    }));
    const { infos, actionMasks } = this.gather(replies);
    return { observations: this.views.observations.slice(), infos, ...(actionMasks ? { actionMasks } : {}) };
  }

  async step(actions: ArrayLike<Act> | Act[]): Promise<VectorStepResult> {
    checkActions(actions, this.numEnvs, 'ParallelVectorEnv.step');
    const replies = await this.run('actions', (h) => ({
      op: 'step',
      actions: Array.prototype.slice.call(actions, h.first, h.first + h.count),
    }));
    const { infos, actionMasks } = this.gather(replies);
    const v = this.views;
    return {
      observations: v.observations.slice(),
      rewards: v.rewards.slice(),
      terminations: v.terminations.slice(),
      truncations: v.truncations.slice(),
      infos,
      ...(actionMasks ? { actionMasks } : {}),
    };
  }

  /** Closes every sub-env and stops the workers; safe to call twice. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        if (this.busy) throw new SchedlabError('ParallelVectorEnv: close() called while a reset/step is in progress; await it first');
        this.closed = true;
        const alive = this.workers.filter((h) => !h.exited);
        for (const h of alive) {
          h.worker.ref();
          this.send(h, { op: 'close' });
        }
        await Promise.all(
          alive.map(async (h) => {
            const stopped = h.died.catch(() => undefined);
            const timer = setTimeout(() => void h.worker.terminate(), 5_000);
            await stopped;
            clearTimeout(timer);
            h.port.close();
          }),
        );
      })();
    }
    return this.closing;
  }

  /** Sends one command per worker, waits for all of them, and returns each worker's reply message. */
  private async run(what: string, command: (h: WorkerHandle) => Command): Promise<(Record<string, unknown> | undefined)[]> {
    if (this.closed) throw new SchedlabError('ParallelVectorEnv: the vector env is closed');
    if (this.busy) throw new SchedlabError('ParallelVectorEnv: a reset/step is already in progress; await each call before the next');
    this.busy = true;
    try {
      const sent: WorkerHandle[] = [];
      try {
        for (const h of this.workers) {
          h.worker.ref();
          this.send(h, command(h));
          sent.push(h);
        }
      } catch (e) {
        // A value that cannot be cloned (e.g. a function in the actions): let the workers already
        // commanded finish and drop their replies, so that the next call starts in step.
        await Promise.all(sent.map((h) => this.waitDone(h, this.workers.indexOf(h))));
        sent.forEach((h) => this.takeReply(h, this.workers.indexOf(h)));
        if ((e as Error)?.name !== 'DataCloneError') throw e;
        throw new OptionError(
          what,
          `cannot be sent to a worker thread (${(e as Error).message})`,
          'numbers, strings, arrays, typed arrays and plain objects',
          'ParallelVectorEnv',
        );
      }
      await Promise.all(this.workers.map((h, w) => this.waitDone(h, w)));
      const replies = this.workers.map((h, w) => this.takeReply(h, w));
      const failed = replies.find((r) => r?.error);
      if (failed) throw deserializeError(failed.error as SerializedError, 'a ParallelVectorEnv worker');
      return replies;
    } finally {
      for (const h of this.workers) if (!h.exited) h.worker.unref();
      this.busy = false;
    }
  }

  private send(h: WorkerHandle, command: Command): void {
    const w = this.workers.indexOf(h);
    h.port.postMessage(command);
    h.sent++;
    Atomics.store(this.control, w * CONTROL_SLOTS + CMD, h.sent);
    Atomics.notify(this.control, w * CONTROL_SLOTS + CMD);
  }

  private async waitDone(h: WorkerHandle, w: number): Promise<void> {
    const at = w * CONTROL_SLOTS + DONE;
    for (;;) {
      const done = Atomics.load(this.control, at);
      if (done === h.sent) return;
      if (h.exited) await h.died;
      const r = (Atomics as AtomicsWithWaitAsync).waitAsync(this.control, at, done);
      if (r.async) await Promise.race([r.value, h.died]);
    }
  }

  private takeReply(h: WorkerHandle, w: number): Record<string, unknown> | undefined {
    if (Atomics.load(this.control, w * CONTROL_SLOTS + HAS_REPLY) !== 1) return undefined;
    const reply = receiveMessageOnPort(h.port)?.message as Record<string, unknown> | undefined;
    if (!reply) throw new SchedlabError(`ParallelVectorEnv: worker ${w} announced a reply that did not arrive`);
    return reply;
  }

  private gather(replies: (Record<string, unknown> | undefined)[]): { infos: Info[]; actionMasks?: Uint8Array } {
    const infos: Info[] = [];
    let masks: Uint8Array[] | undefined = [];
    this.workers.forEach((h, w) => {
      const reply = replies[w];
      const part = reply?.infos as Info[] | undefined;
      for (let j = 0; j < h.count; j++) infos.push(part?.[j] ?? {});
      const m = reply?.actionMasks as Uint8Array | undefined;
      if (m && masks) masks.push(m);
      else masks = undefined;
    });
    if (!masks || masks.length === 0) return { infos };
    const out = new Uint8Array(masks.reduce((a, m) => a + m.length, 0));
    let offset = 0;
    for (const m of masks) {
      out.set(m, offset);
      offset += m.length;
    }
    return { infos, actionMasks: out };
  }

  private awaitReadySync(
    h: WorkerHandle,
    w: number,
    timeoutMs: number,
  ): { observationSpace: SpaceJSON; actionSpace: SpaceJSON } | { error: SerializedError } {
    if (Atomics.wait(this.control, w * CONTROL_SLOTS + READY, 0, timeoutMs) === 'timed-out') {
      this.terminateAll();
      throw new SchedlabError(`ParallelVectorEnv: worker ${w} did not build its sub-envs within ${timeoutMs} ms (startTimeoutMs)`);
    }
    const reply = receiveMessageOnPort(h.port)?.message as
      { observationSpace: SpaceJSON; actionSpace: SpaceJSON } | { error: SerializedError } | undefined;
    if (!reply) {
      this.terminateAll();
      throw new SchedlabError(`ParallelVectorEnv: worker ${w} started without reporting its spaces`);
    }
    return reply;
  }

  private terminateAll(): void {
    this.closed = true;
    for (const h of this.workers) void h.worker.terminate();
  }
}

/**
 * The compiled worker script. From dist/ it sits beside this file; when this file runs from TypeScript
 * source (vitest), the compiled copy is at the same path under dist/ (`npm test` runs tsc first).
 */
/** The modules a worker imports: those that registered its sub-envs' ids, then the caller's extra ones. */
function workerModules(specs: SubEnvSpec[], extra: string[]): string[] {
  const registering = specs.map((s) => {
    // An id registered only by one of the extra modules is unknown here: the worker learns it from them.
    const module = extra.length && !listEnvs().some((e) => e.id === s.id) ? undefined : registeringModule(s.id);
    if (!module && !extra.length) {
      throw new SchedlabError(
        `ParallelVectorEnv: env '${s.id}' was registered without 'module', so a worker thread cannot import it; register it with module: import.meta.url, or pass options.modules`,
      );
    }
    return module;
  });
  return [...new Set([...registering.filter((m): m is string => m !== undefined), ...extra])];
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts')
    ? join(resolve(dirname(here), '..', '..', '..'), 'dist', 'envs', 'core', 'vector', 'worker.js')
    : join(dirname(here), 'worker.js');
  if (!existsSync(file)) {
    throw new SchedlabError(
      `ParallelVectorEnv: the compiled worker ${file} is missing; build first with \`npx tsc -p .\` (npm test and npm run bench do)`,
    );
  }
  return file;
}
