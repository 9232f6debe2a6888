/**
 * Checkpoints of learned agents: a folder with `checkpoint.json` (format, agent, env id, spaces,
 * architecture, config, step counters, RNG states, normalisation statistics, backend, and a tfjs
 * weights manifest) and one `weights-<hash>.bin` holding every tensor (weights, optimizer moments) in
 * tfjs's weight format. Both go through a file IOHandler (pure tfjs has no file:// saver); each file is
 * written to a temporary name and renamed, and checkpoint.json last, so a crash never leaves a
 * half-written checkpoint in place of the previous one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputFileError } from '../../core/errors.js';
import { firstDifference } from '../../core/json-difference.js';
import type { SpaceJSON } from '../../envs/core/spaces/space.js';

export const CHECKPOINT_FORMAT = 'schedlab-checkpoint/1';
export const CHECKPOINT_FILE = 'checkpoint.json';

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  agent: string;
  envId: string | null;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  /** Whatever determines the tensors' meaning (network config and parameter layout); must match to load. */
  architecture: unknown;
  /** The agent's options after defaults. */
  config: Record<string, unknown>;
  counters: Record<string, number>;
  rng: Record<string, unknown>;
  normalization?: unknown;
  backend?: { backend: string; device: string };
  /** Anything else the agent needs to continue exactly (e.g. recent episode returns). */
  extra?: Record<string, unknown>;
}

export type TensorRecord = Record<string, { values: Float32Array; shape: number[] }>;

/** Writes through a temporary file and a rename; a failed write (a full disk) leaves no partial file behind. */
async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A tfjs IOHandler reading and writing model artifacts (weights + metadata) in a folder. */
export class CheckpointIOHandler implements tf.io.IOHandler {
  constructor(readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    await mkdir(this.dir, { recursive: true });
    const data = new Uint8Array(
      tf.io.concatenateArrayBuffers(artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData)),
    );
    const hash = createHash('sha256').update(data).digest('hex').slice(0, 16);
    const weightsFile = `weights-${hash}.bin`;
    await writeAtomic(join(this.dir, weightsFile), data);
    const json = {
      ...(artifacts.userDefinedMetadata ?? {}),
      weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeAtomic(join(this.dir, CHECKPOINT_FILE), JSON.stringify(json, null, 1) + '\n');
    // Weights files of earlier saves are no longer referenced.
    for (const f of await readdir(this.dir)) {
      if (/^weights-[0-9a-f]+\.bin$/.test(f) && f !== weightsFile) await rm(join(this.dir, f), { force: true });
    }
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const file = join(this.dir, CHECKPOINT_FILE);
    if (!existsSync(file)) throw new InputFileError(file, undefined, undefined, `no checkpoint here (${CHECKPOINT_FILE} is missing)`);
    let json: { weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; [k: string]: unknown };
    try {
      json = JSON.parse(await readFile(file, 'utf8')) as typeof json;
    } catch (e) {
      throw new InputFileError(file, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
    }
    const manifest = json.weightsManifest?.[0];
    if (!manifest || !Array.isArray(manifest.paths) || !Array.isArray(manifest.weights))
      throw new InputFileError(file, undefined, 'weightsManifest', 'is missing or malformed');
    const weightsPath = join(this.dir, manifest.paths[0]);
    if (!existsSync(weightsPath)) throw new InputFileError(weightsPath, undefined, undefined, 'is missing (the checkpoint is incomplete)');
    const buf = await readFile(weightsPath);
    // The file is named after the first 16 hex digits of its SHA-256: a changed byte is caught here.
    const named = /^weights-([0-9a-f]{16})\.bin$/.exec(manifest.paths[0])?.[1];
    const actual = createHash('sha256').update(buf).digest('hex').slice(0, 16);
    if (named !== undefined && named !== actual) {
      throw new InputFileError(
        weightsPath,
        undefined,
        undefined,
        `is corrupt: its SHA-256 begins ${actual}, but the file was saved as ${named} (restore the checkpoint from a copy, or retrain)`,
      );
    }
    const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const { weightsManifest: _m, ...meta } = json;
    return { weightSpecs: manifest.weights, weightData, userDefinedMetadata: meta as Record<string, object> };
  }
}

/** Writes a checkpoint of `tensors` with `meta` into `dir` (created if needed). */
export async function saveCheckpoint(dir: string, meta: CheckpointMeta, tensors: TensorRecord): Promise<void> {
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(tensors)) named[name] = tf.tensor(t.values, t.shape, 'float32');
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    await new CheckpointIOHandler(dir).save({
      weightSpecs: specs,
      weightData: data,
      userDefinedMetadata: meta as unknown as Record<string, object>,
    });
  } finally {
    tf.dispose(named);
  }
}

/** Reads a checkpoint; throws InputFileError naming the file when it is missing or malformed. */
export async function loadCheckpoint(dir: string): Promise<{ meta: CheckpointMeta; tensors: TensorRecord }> {
  const file = join(dir, CHECKPOINT_FILE);
  const artifacts = await new CheckpointIOHandler(dir).load();
  const meta = artifacts.userDefinedMetadata as unknown as CheckpointMeta;
  if (meta.format !== CHECKPOINT_FORMAT)
    throw new InputFileError(file, undefined, 'format', `is ${JSON.stringify(meta.format)}; accepted: '${CHECKPOINT_FORMAT}'`);
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  } catch (e) {
    throw new InputFileError(file, undefined, 'weightsManifest', `does not match the weights file (${(e as Error).message})`);
  }
  const tensors: TensorRecord = {};
  for (const [name, t] of Object.entries(named)) {
    tensors[name] = { values: t.dataSync() as Float32Array, shape: t.shape };
    t.dispose();
  }
  for (const [name, t] of Object.entries(tensors)) {
    const bad = t.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new InputFileError(
        file,
        undefined,
        `tensor '${name}'`,
        `holds a non-finite value (${t.values[bad]} at index ${bad}); the checkpoint cannot be used — take an earlier one`,
      );
  }
  return { meta, tensors };
}

/** Throws naming the field when one of `names` is not a finite number in the checkpoint's counters. */
export function requireCounters(dir: string, meta: CheckpointMeta, names: readonly string[]): void {
  for (const name of names) {
    const v = meta.counters?.[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputFileError(
        join(dir, CHECKPOINT_FILE),
        undefined,
        `counters.${name}`,
        `is ${v === undefined ? 'missing' : JSON.stringify(v)}; a ${meta.agent} checkpoint needs a number there`,
      );
    }
  }
}

export interface CompatibilityExpectation {
  agent: string;
  envId?: string | null;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  architecture: unknown;
}

/** Throws a clear InputFileError when the checkpoint was saved by another agent, env or architecture. */
export function assertCompatible(dir: string, meta: CheckpointMeta, expected: CompatibilityExpectation): void {
  const file = join(dir, CHECKPOINT_FILE);
  const fail = (field: string, problem: string) => {
    throw new InputFileError(file, undefined, field, problem);
  };
  if (meta.agent !== expected.agent) fail('agent', `the checkpoint is of agent '${meta.agent}', not '${expected.agent}'`);
  if (expected.envId && meta.envId && meta.envId !== expected.envId)
    fail('envId', `the checkpoint was trained on ${meta.envId}, not ${expected.envId}`);
  // Where the checkpoint's value and the expected one first differ, both values short.
  const differs = (field: 'observationSpace' | 'actionSpace' | 'architecture', what: string, advice = '') => {
    const d = firstDifference(meta[field], expected[field]);
    if (d)
      fail(
        field,
        `the checkpoint's ${what} differs from the ${field === 'architecture' ? "agent's" : "env's"} at ${d.path}: ${d.a} in the checkpoint, ${d.b} here${advice}`,
      );
  };
  differs('observationSpace', 'observation space');
  differs('actionSpace', 'action space');
  differs('architecture', 'network', '; pass the same --agent-options as in training');
}

/** The metadata of a checkpoint (agent, env, config, counters) without its tensors. */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const file = join(dir, CHECKPOINT_FILE);
  if (!existsSync(file))
    throw new InputFileError(
      file,
      undefined,
      undefined,
      `no checkpoint here (${CHECKPOINT_FILE} is missing); pass the --out folder's checkpoint/ of a 'schedlab train' run`,
    );
  let json: CheckpointMeta;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as CheckpointMeta;
  } catch (e) {
    throw new InputFileError(file, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
  }
  if (json.format !== CHECKPOINT_FORMAT)
    throw new InputFileError(file, undefined, 'format', `is ${JSON.stringify(json.format)}; accepted: '${CHECKPOINT_FORMAT}'`);
  return json;
}
