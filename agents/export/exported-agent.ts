/**
 * The agent 'exported': acts with an exported policy folder (option `policy`), so an export is scored
 * by the shared evaluator without any training code — `schedlab evaluate --env ID --agent exported
 * --policy DIR`. A JSON export runs on the dependency-free runtime (loaded at construction); a TF.js
 * export runs its model.json through tf.loadLayersModel (after `await agent.load(DIR)`, which the
 * evaluate command does). ONNX exports are run with an ONNX runtime, whose Node API is asynchronous
 * only and cannot serve the synchronous `act`; export the json or tfjs format to evaluate here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputFileError, OptionError, SchedlabError } from '../../core/errors.js';
import { firstDifference } from '../../core/json-difference.js';
import { opt, parseOptions } from '../../core/options.js';
import type { Env } from '../../envs/core/env.js';
import { flatdim, flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions, Agent, LearnResult } from '../core/agent.js';
import { currentBackend, initBackend } from '../core/backend.js';
import { registerAgent } from '../core/registry.js';
import { META_FILE, META_SCHEMA_VERSION, type PolicyMeta } from './meta.js';
import { POLICY_FILE } from './runtime/format.js';
import { ExportedPolicy, PolicyInputError } from './runtime/policy.js';
import { loadTfjsPolicy, TFJS_MODEL_FILE } from './tfjs.js';

export const exportedOptionSchema = {
  /** The folder written by `schedlab export`. */
  policy: opt.string(''),
};

export class ExportedAgent implements Agent {
  readonly name = 'exported';
  readonly options: { policy: string };
  readonly meta: PolicyMeta;
  private runtime: ExportedPolicy | undefined;
  private model: tf.LayersModel | undefined;
  private readonly actionStart: number;
  private readonly actionCount: number;

  /** `envId`: the env the policy will act on, when known; it must be the one the policy was trained on. */
  constructor(
    readonly observationSpace: Space,
    readonly actionSpace: Space,
    rawOptions: Record<string, unknown>,
    envId?: string,
  ) {
    this.options = parseOptions('exported', rawOptions, exportedOptionSchema);
    const dir = this.options.policy;
    if (!dir) throw new OptionError('policy', 'is missing', "the folder written by 'schedlab export' (--policy DIR)", 'exported');
    const metaFile = join(dir, META_FILE);
    if (!existsSync(metaFile))
      throw new InputFileError(metaFile, undefined, undefined, `is missing: ${dir} is not a 'schedlab export' folder`);
    try {
      this.meta = JSON.parse(readFileSync(metaFile, 'utf8')) as PolicyMeta;
    } catch (e) {
      throw new InputFileError(metaFile, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
    }
    if (this.meta.schemaVersion !== META_SCHEMA_VERSION) {
      throw new InputFileError(
        metaFile,
        undefined,
        'schemaVersion',
        `is ${JSON.stringify(this.meta.schemaVersion)}; this schedlab reads version ${META_SCHEMA_VERSION}`,
      );
    }
    if (envId !== undefined && this.meta.env?.id != null && this.meta.env.id !== envId) {
      throw new InputFileError(metaFile, undefined, 'env.id', `is '${this.meta.env.id}', but the policy is asked to act on ${envId}`);
    }
    if (this.meta.format === 'onnx') {
      throw new InputFileError(
        metaFile,
        undefined,
        'format',
        "is 'onnx', which an ONNX runtime runs (asynchronously) outside the evaluator; export with --format json or tfjs to evaluate with --agent exported",
      );
    }
    if (this.meta.format !== 'tfjs' && this.meta.format !== 'json') {
      throw new InputFileError(metaFile, undefined, 'format', `is ${JSON.stringify(this.meta.format)}; accepted: json, tfjs`);
    }
    const a = this.meta.actionSpace as { type: string; n?: number; start?: number };
    this.actionCount = a.n ?? 0;
    this.actionStart = a.start ?? 0;
    for (const [field, what, own] of [
      ['actionSpace', 'action space', actionSpace.toJSON()],
      ['observationSpace', 'observation space', observationSpace.toJSON()],
    ] as const) {
      const d = firstDifference(this.meta[field], own);
      if (d)
        throw new InputFileError(
          metaFile,
          undefined,
          field,
          `the policy's ${what} differs from the env's at ${d.path}: ${d.a} in the policy, ${d.b} here`,
        );
    }
    if (flatdim(observationSpace) !== this.meta.observation?.size) {
      throw new InputFileError(
        metaFile,
        undefined,
        'observation.size',
        `the policy takes ${this.meta.observation.size} observation numbers; the env gives ${flatdim(observationSpace)}`,
      );
    }
    if (this.meta.format === 'json') {
      const file = join(dir, POLICY_FILE);
      try {
        this.runtime = ExportedPolicy.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
      } catch (e) {
        throw new InputFileError(file, undefined, undefined, (e as Error).message);
      }
    }
  }

  /** Loads a TF.js export (the JSON runtime is loaded at construction). */
  async load(dir: string = this.options.policy): Promise<void> {
    if (this.meta.format !== 'tfjs') return;
    if (!currentBackend()) await initBackend('auto', null);
    this.model?.dispose();
    if (!existsSync(join(dir, TFJS_MODEL_FILE))) throw new InputFileError(join(dir, TFJS_MODEL_FILE), undefined, undefined, 'is missing');
    this.model = await loadTfjsPolicy(dir);
  }

  act(observation: unknown, options: ActOptions = {}): number {
    const x = flatten(this.observationSpace, observation);
    if (this.runtime) {
      try {
        return this.runtime.act(x, options.mask).action;
      } catch (e) {
        if (e instanceof PolicyInputError) throw new SchedlabError(`exported policy ${this.options.policy}: ${e.message}`);
        throw e;
      }
    }
    if (!this.model)
      throw new SchedlabError(`exported: the TF.js policy in ${this.options.policy} is not loaded; call 'await agent.load()' first`);
    const n = this.actionCount;
    const mask = options.mask ? Float32Array.from(options.mask, (m) => (m ? 1 : 0)) : new Float32Array(n).fill(1);
    if (mask.length !== n) throw new SchedlabError(`exported: the action mask has ${mask.length} entries; the policy has ${n} actions`);
    const index = tf.tidy(() => {
      const out = this.model!.predict([tf.tensor2d(x, [1, x.length]), tf.tensor2d(mask, [1, n])]);
      const logits = Array.isArray(out) ? out[0] : out;
      return tf.argMax(logits, 1).dataSync()[0];
    });
    return this.actionStart + index;
  }

  async learn(): Promise<LearnResult> {
    throw new SchedlabError("exported: an exported policy is frozen; train with 'schedlab train' and export again");
  }

  async save(): Promise<void> {
    throw new SchedlabError("exported: an exported policy is saved by 'schedlab export'");
  }

  dispose(): void {
    this.model?.dispose();
  }
}

registerAgent({
  name: 'exported',
  kind: 'learned',
  description: "a policy written by 'schedlab export' (json or tfjs format), option policy: its folder",
  supports: (env: Env<any, any>) =>
    env.actionSpace.toJSON().type === 'Discrete'
      ? null
      : `exported policies act on Discrete action spaces, not ${env.actionSpace.toString()}`,
  create: (env, options, ctx) => new ExportedAgent(env.observationSpace, env.actionSpace, options, ctx.envId ?? env.spec?.id),
});
