/**
 * `exportPolicy`: checkpoint → deployable artifact in one format (onnx, tfjs or json), plus
 * policy.meta.json. The files are written into a temporary folder beside `out`; the caller's
 * `evaluateArtifact` scores the written artifact there (its result goes into the meta), and only then
 * does the folder replace `out` by rename, so a failed export (full disk, a crash) leaves the previous
 * export intact.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OptionError } from '../../core/errors.js';
import { loadPolicy } from './extract.js';
import {
  buildMeta,
  EXPORT_FORMATS,
  META_FILE,
  schedlabVersion,
  type ExportEvaluation,
  type ExportFormat,
  type PolicyMeta,
  type TensorContract,
} from './meta.js';
import { writeOnnx } from './onnx.js';
import { POLICY_FILE, type PolicyJSON } from './runtime/format.js';
import { writeTfjs } from './tfjs.js';

export { EXPORT_FORMATS };

export interface ExportOptions {
  checkpoint: string;
  format: ExportFormat;
  out: string;
  /** Export the value head too (default true). */
  withValue?: boolean;
  /** The env options of training, when the checkpoint is not in a 'schedlab train' folder (whose train.json has them). */
  envOptions?: Record<string, unknown>;
  /**
   * Scores the written artifact (its folder and provisional meta, without an evaluation); the result is
   * recorded in policy.meta.json. Omitted or returning null: the meta records no evaluation.
   */
  evaluateArtifact?: (dir: string, meta: PolicyMeta) => Promise<ExportEvaluation | null>;
}

async function writeJsonPolicy(
  policy: PolicyJSON,
  outDir: string,
): Promise<{ files: string[]; inputs: TensorContract[]; outputs: TensorContract[] }> {
  await writeFile(join(outDir, POLICY_FILE), JSON.stringify(policy) + '\n');
  const n = policy.action.n;
  return {
    files: [POLICY_FILE],
    inputs: [
      {
        name: 'observation',
        dtype: 'number[]',
        shape: [policy.observation.size],
        description: 'raw flat observation (validated against the space, normalised by the runtime)',
      },
      { name: 'mask', dtype: 'number[]', shape: [n], description: 'optional; nonzero = valid' },
    ],
    outputs: [
      { name: 'action', dtype: 'number', shape: [], description: 'deterministic action' },
      { name: 'logits', dtype: 'Float32Array', shape: [n], description: 'masked logits' },
      ...(policy.critic ? [{ name: 'value', dtype: 'number', shape: [], description: 'state value' }] : []),
    ],
  };
}

export async function exportPolicy({
  checkpoint,
  format,
  out,
  withValue = true,
  envOptions,
  evaluateArtifact,
}: ExportOptions): Promise<PolicyMeta> {
  if (!EXPORT_FORMATS.includes(format))
    throw new OptionError('format', `is ${JSON.stringify(format)}`, EXPORT_FORMATS.join(' | '), 'export');
  const loaded = await loadPolicy(checkpoint, { withValue });
  const staging = join(dirname(out), `.${basename(out)}.export-${process.pid}`);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    const io =
      format === 'onnx'
        ? { ...(await writeOnnx(loaded.policy, staging, schedlabVersion())), normalizationInside: 'the ONNX graph (feed raw observations)' }
        : format === 'tfjs'
          ? { ...(await writeTfjs(loaded.policy, staging)), normalizationInside: 'the TF.js model (feed raw observations)' }
          : {
              ...(await writeJsonPolicy(loaded.policy, staging)),
              normalizationInside: 'the runtime (ExportedPolicy.act takes raw observations)',
            };
    const meta = buildMeta(checkpoint, loaded, format, io, null, envOptions);
    await writeFile(join(staging, META_FILE), JSON.stringify(meta, null, 1) + '\n');
    if (evaluateArtifact) {
      meta.evaluation = await evaluateArtifact(staging, meta);
      await writeFile(join(staging, META_FILE), JSON.stringify(meta, null, 1) + '\n');
    }
    await replaceFolder(staging, out);
    return meta;
  } finally {
    loaded.agent.dispose?.();
    await rm(staging, { recursive: true, force: true });
  }
}

/** Puts the finished `staging` folder in place of `out`: the old export is moved aside first and removed last. */
async function replaceFolder(staging: string, out: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  if (!existsSync(out)) {
    await rename(staging, out);
    return;
  }
  const previous = join(dirname(out), `.${basename(out)}.previous-${process.pid}`);
  await rename(out, previous);
  try {
    await rename(staging, out);
  } catch (e) {
    await rename(previous, out);
    throw e;
  }
  await rm(previous, { recursive: true, force: true });
}
