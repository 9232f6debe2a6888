/**
 * policy.meta.json, written beside every export: what the artifact computes and where it came from —
 * schema version, env id and options, observation and action spaces (JSON form), the frozen
 * observation normalisation, the action-mask semantics and the deterministic action rule, the
 * format's inputs and outputs, library versions, the training backend, a hash of the agent config, the
 * seed and an evaluation score measured on the exported artifact itself (given by the caller: the CLI
 * evaluates the written files before they replace any earlier export).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputFileError } from '../../core/errors.js';
import type { SpaceJSON } from '../../envs/core/spaces/space.js';
import type { LoadedPolicy } from './extract.js';
import { MASKED_LOGIT } from './runtime/format.js';

export const META_SCHEMA_VERSION = 1;
export const META_FILE = 'policy.meta.json';
export type ExportFormat = 'onnx' | 'tfjs' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs', 'json'];

export interface TensorContract {
  name: string;
  dtype: string;
  /** -1 = the batch dimension. */
  shape: number[];
  description: string;
}

export interface PolicyMeta {
  schemaVersion: typeof META_SCHEMA_VERSION;
  format: ExportFormat;
  files: string[];
  agent: string;
  env: { id: string | null; options: Record<string, unknown> | null };
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  observation: { size: number; flattening: string };
  normalization: { mean: number[]; var: number[]; epsilon: number; clip: number; formula: string; inside: string } | null;
  actionMask: { semantics: string; maskedLogit: number };
  deterministicAction: string;
  inputs: TensorContract[];
  outputs: TensorContract[];
  /** For the ONNX format: the operator set and IR version of model.onnx. */
  onnx?: { opset: number; irVersion: number; domain: string };
  libraries: Record<string, string>;
  backend: { backend: string; device: string } | null;
  configHash: string;
  config: Record<string, unknown>;
  seed: number | null;
  trainingSteps: number | null;
  evaluation: ExportEvaluation | null;
}

/** The score recorded in the meta: mean metrics of `episodes` episodes from `seed`, and what was evaluated. */
export interface ExportEvaluation {
  source: string;
  episodes: number;
  seed: number;
  deterministic: boolean;
  metrics: Record<string, number>;
}

function version(pkg: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** The version in schedlab's own package.json (found upwards from this file, from src or dist). */
export function schedlabVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const pkg = readJson(join(dir, 'package.json')) as { name?: string; version?: string } | undefined;
    if (pkg?.name === 'schedlab') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

/** Stable JSON (sorted keys) so the hash does not depend on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function configHash(config: Record<string, unknown>): string {
  return 'sha256:' + createHash('sha256').update(canonical(config)).digest('hex');
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputFileError(file, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputFileError(file, undefined, undefined, `is ${JSON.stringify(value)}, not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The meta of an export. Env options: `envOptions` when given, else the training run's train.json
 * (beside checkpoint/), else unknown (null; an evaluation then uses the env's defaults).
 */
export function buildMeta(
  checkpointDir: string,
  loaded: LoadedPolicy,
  format: ExportFormat,
  io: { files: string[]; inputs: TensorContract[]; outputs: TensorContract[]; normalizationInside: string; onnx?: PolicyMeta['onnx'] },
  evaluation: ExportEvaluation | null,
  envOptionsGiven?: Record<string, unknown>,
): PolicyMeta {
  const { meta, policy } = loaded;
  const train = readJson(join(dirname(checkpointDir), 'train.json')) as
    { envOptions?: Record<string, unknown>; steps?: number } | undefined;
  const envOptions = envOptionsGiven ?? train?.envOptions ?? null;
  const seed = meta.counters?.seed ?? null;
  const n = policy.normalization;
  return {
    schemaVersion: META_SCHEMA_VERSION,
    format,
    files: [...io.files, META_FILE],
    agent: meta.agent,
    env: { id: meta.envId, options: envOptions },
    observationSpace: meta.observationSpace,
    actionSpace: meta.actionSpace,
    observation: {
      size: policy.observation.size,
      flattening: 'gymnasium.spaces.flatten order (a Box is its values in row-major order); float32',
    },
    normalization: n ? { ...n, formula: 'z = clip((x - mean) / sqrt(var + epsilon), -clip, clip)', inside: io.normalizationInside } : null,
    actionMask: {
      semantics: `mask[i] != 0: action start + i is valid. A masked action's logit is ${MASKED_LOGIT} and it is never chosen; a mask with no valid entry masks nothing; no mask = all valid.`,
      maskedLogit: MASKED_LOGIT,
    },
    deterministicAction:
      'action = start + argmax_i logits[i] over valid i (the first index on ties); logits = max(network logits, -1e8) where valid, -1e8 where masked',
    inputs: io.inputs,
    outputs: io.outputs,
    ...(io.onnx ? { onnx: io.onnx } : {}),
    libraries: {
      schedlab: schedlabVersion(),
      node: process.versions.node,
      '@tensorflow/tfjs': version('@tensorflow/tfjs'),
      'onnx-proto': version('onnx-proto'),
      'onnxruntime-node': version('onnxruntime-node'),
    },
    backend: meta.backend ?? null,
    configHash: configHash(meta.config),
    config: meta.config,
    seed,
    trainingSteps: meta.counters?.globalStep ?? train?.steps ?? null,
    evaluation,
  };
}
