/**
 * `schedlab export --checkpoint DIR --format onnx|tfjs|json --out DIR [--no-value] [--env-options JSON]
 * [--eval-episodes N]`:
 * writes a trained policy as a deployable artifact plus policy.meta.json (the contract and provenance).
 */
import type { CommandModule } from 'yargs';
import { initBackend } from '../../agents/core/backend.js';
import { EXPORT_FORMATS } from '../../agents/export/meta.js';
import type { ExportFormat } from '../../agents/export/meta.js';
import { parseJsonObjectFlag } from './parse-json.js';

interface ExportArgs {
  checkpoint: string;
  format: string;
  out: string;
  value: boolean;
  'eval-episodes': number;
  'env-options'?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'export a trained policy (checkpoint) as ONNX, TF.js model files or JSON for the dependency-free runtime',
  builder: (y) =>
    y
      .option('checkpoint', { type: 'string', demandOption: true, describe: "checkpoint folder (OUT/checkpoint of 'schedlab train')" })
      .option('format', { type: 'string', demandOption: true, describe: `artifact format: ${EXPORT_FORMATS.join(' | ')}` })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('value', { type: 'boolean', default: true, describe: 'include the value head (--no-value to leave it out)' })
      .option('env-options', { type: 'string', describe: "the training's env options as a JSON object (default: those in train.json beside the checkpoint)" })
      .option('eval-episodes', { type: 'number', default: 10, describe: 'episodes of the evaluation recorded in policy.meta.json when the training run left no evaluation.json' })
      .check((a) => {
        if (!EXPORT_FORMATS.includes(a.format as ExportFormat)) throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${a.format}'`);
        if (!Number.isInteger(a['eval-episodes']) || a['eval-episodes'] < 0) throw new Error(`--eval-episodes must be a non-negative integer, got ${a['eval-episodes']}`);
        return true;
      }),
  handler: async (args) => {
    const envOptions = args['env-options'] === undefined ? undefined : parseJsonObjectFlag('env-options', args['env-options']);
    await initBackend('auto', null);
    // The ONNX schema (protobufjs) loads only when an export runs.
    const { exportPolicy } = await import('../../agents/export/export.js');
    const meta = await exportPolicy({ checkpoint: args.checkpoint, format: args.format as ExportFormat, out: args.out, withValue: args.value, evalEpisodes: args['eval-episodes'], envOptions });
    const score = meta.evaluation ? `; evaluation return ${meta.evaluation.metrics.return?.toFixed(2)} over ${meta.evaluation.episodes} episodes` : '';
    process.stdout.write(`exported ${meta.agent} policy for ${meta.env.id ?? 'its env'} as ${args.format} to ${args.out}: ${meta.files.join(', ')}${score}\n`);
  },
};
