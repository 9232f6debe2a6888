/**
 * The worker thread of ParallelVectorEnv: imports exactly the modules that registered its sub-envs'
 * ids (the registry's `module`, Gymnasium's string entry points) and any extra modules the parent
 * names, builds its sub-envs with `make(id, options)`, runs them as a SyncVectorEnv, and serves
 * commands as described in protocol.ts until told to close.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { CMD, CONTROL_SLOTS, dataViews, DONE, HAS_REPLY, READY, serializeError, type Command } from './protocol.js';
import type { SyncVectorEnv } from './sync.js';

export interface WorkerData {
  specs: { id: string; options?: Record<string, unknown> }[];
  /** Index of this worker's first sub-env in the whole vector env. */
  first: number;
  /** Sub-envs of this worker. */
  numEnvs: number;
  /** Sub-envs of the whole vector env (the data buffer's layout depends on it). */
  totalEnvs: number;
  autoresetMode: string;
  modules: string[];
  control: SharedArrayBuffer;
  index: number;
  port: MessagePort;
}

const data = workerData as WorkerData;
const control = new Int32Array(data.control);
const base = data.index * CONTROL_SLOTS;
const port = data.port;

async function start(): Promise<SyncVectorEnv<unknown> | undefined> {
  try {
    for (const m of data.modules) await import(m);
    const { make } = await import('../registry.js');
    const { SyncVectorEnv } = await import('./sync.js');
    const vec = new SyncVectorEnv(
      data.specs.map((s) => () => make(s.id, s.options ?? {})),
      { autoresetMode: data.autoresetMode as never },
    );
    port.postMessage({ observationSpace: vec.singleObservationSpace.toJSON(), actionSpace: vec.singleActionSpace.toJSON() });
    return vec;
  } catch (e) {
    port.postMessage({ error: serializeError(e) });
    return undefined;
  } finally {
    Atomics.store(control, base + READY, 1);
    Atomics.notify(control, base + READY);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The message of the command just announced. postMessage crosses threads asynchronously, so the
 * announcement (CMD) can arrive a moment before the message is on the port: poll for it (1 ms naps).
 */
function announcedCommand(): Command | undefined {
  for (let naps = 0; naps < 30_000; naps++) {
    const received = receiveMessageOnPort(port);
    if (received) return received.message as Command;
    Atomics.wait(pause, 0, 0, 1);
  }
  return undefined;
}

function serve(vec: SyncVectorEnv<unknown>): void {
  let views: ReturnType<typeof dataViews> | undefined;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, base + CMD, seen);
    seen = Atomics.load(control, base + CMD);
    const command = announcedCommand();
    let reply: Record<string, unknown> | undefined;
    try {
      if (!command) throw new Error('parallel vector env worker: a command was announced but no message arrived');
      switch (command.op) {
        case 'attach':
          views = dataViews(command.data, data.totalEnvs, vec.observationSize);
          break;
        case 'reset': {
          const r = vec.reset({ seed: command.seed === undefined ? undefined : command.seed + data.first, options: command.options });
          views!.observations.set(r.observations, data.first * vec.observationSize);
          reply = extras(r.infos, r.actionMasks);
          break;
        }
        case 'step': {
          const r = vec.step(command.actions);
          const { first } = data;
          views!.observations.set(r.observations, first * vec.observationSize);
          views!.rewards.set(r.rewards, first);
          views!.terminations.set(r.terminations, first);
          views!.truncations.set(r.truncations, first);
          reply = extras(r.infos, r.actionMasks);
          break;
        }
        case 'close':
          vec.close();
          break;
      }
      if (reply) port.postMessage(reply);
    } catch (e) {
      reply = { error: serializeError(e) };
      try {
        port.postMessage(reply);
      } catch (e2) {
        port.postMessage({ error: serializeError(e2) });
      }
    }
    Atomics.store(control, base + HAS_REPLY, reply ? 1 : 0);
    Atomics.store(control, base + DONE, seen);
    Atomics.notify(control, base + DONE);
    if (command?.op === 'close') {
      port.close();
      return;
    }
  }
}

/** The part of a result that is not in the data buffer, or undefined when there is none. */
function extras(infos: Record<string, unknown>[], actionMasks: Uint8Array | undefined): Record<string, unknown> | undefined {
  const someInfo = infos.some((info) => Object.keys(info).length > 0);
  if (!someInfo && !actionMasks) return undefined;
  return { infos: someInfo ? infos : undefined, actionMasks };
}

const vec = await start();
if (vec) serve(vec);
