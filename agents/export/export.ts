/**
 * `exportPolicy`: checkpoint → deployable artifact in one format (onnx, tfjs or json), plus
 * policy.meta.json. The restored agent is also used for the meta's evaluation when the training run
 * left no evaluation.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError } from '../../core/errors.js';
import { loadPolicy } from './extract.js';
import { buildMeta, EXPORT_FORMATS, schedlabVersion, type ExportFormat, META_FILE, type PolicyMeta, type TensorContract } from './meta.js';
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
  /** Episodes of the meta's evaluation when the training run has no evaluation.json (0: none). */
  evalEpisodes?: number;
  /** The env options of training, when the checkpoint is not in a 'schedlab train' folder (whose train.json has them). */
  envOptions?: Record<string, unknown>;
}

async function writeJsonPolicy(policy: PolicyJSON, outDir: string): Promise<{ files: string[]; inputs: TensorContract[]; outputs: TensorContract[] }> {
  await writeFile(join(outDir, POLICY_FILE), JSON.stringify(policy) + '\n');
  const n = policy.action.n;
  return {
    files: [POLICY_FILE],
    inputs: [
      { name: 'observation', dtype: 'number[]', shape: [policy.observation.size], description: 'raw flat observation (validated against the space, normalised by the runtime)' },
      { name: 'mask', dtype: 'number[]', shape: [n], description: 'optional; nonzero = valid' },
    ],
    outputs: [
      { name: 'action', dtype: 'number', shape: [], description: 'deterministic action' },
      { name: 'logits', dtype: 'Float32Array', shape: [n], description: 'masked logits' },
      ...(policy.critic ? [{ name: 'value', dtype: 'number', shape: [], description: 'state value' }] : []),
    ],
  };
}

export async function exportPolicy({ checkpoint, format, out, withValue = true, evalEpisodes = 10, envOptions }: ExportOptions): Promise<PolicyMeta> {
  if (!EXPORT_FORMATS.includes(format)) throw new OptionError('format', `is ${JSON.stringify(format)}`, EXPORT_FORMATS.join(' | '), 'export');
  const loaded = await loadPolicy(checkpoint, { withValue });
  try {
    await mkdir(out, { recursive: true });
    const io =
      format === 'onnx' ? { ...(await writeOnnx(loaded.policy, out, schedlabVersion())), normalizationInside: 'the ONNX graph (feed raw observations)' }
      : format === 'tfjs' ? { ...(await writeTfjs(loaded.policy, out)), normalizationInside: 'the TF.js model (feed raw observations)' }
      : { ...(await writeJsonPolicy(loaded.policy, out)), normalizationInside: 'the runtime (ExportedPolicy.act takes raw observations)' };
    const meta = buildMeta(checkpoint, loaded, format, io, evalEpisodes, envOptions);
    await writeFile(join(out, META_FILE), JSON.stringify(meta, null, 1) + '\n');
    return meta;
  } finally {
    loaded.agent.dispose?.();
  }
}
