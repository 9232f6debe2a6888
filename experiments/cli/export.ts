/**
 * `schedlab export --checkpoint DIR --format onnx|tfjs|json --out DIR [--no-value] [--env-options JSON]
 * [--eval-episodes N]`:
 * writes a trained policy as a deployable artifact plus policy.meta.json (the contract and provenance).
 */
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { initBackend } from '../../agents/core/backend.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../agents/export/meta.js';
import { ensureWritableDir } from '../records/atomic.js';
import { parseJsonObjectFlag } from './parse-json.js';

interface ExportArgs {
  checkpoint: string;
  format: string;
  out: string;
  value: boolean;
  'eval-episodes': number;
  'eval-seed'?: number;
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
      .option('env-options', {
        type: 'string',
        describe: "the training's env options as a JSON object (default: those in train.json beside the checkpoint)",
      })
      .option('eval-episodes', {
        type: 'number',
        default: 10,
        describe: 'episodes of the evaluation of the exported artifact recorded in policy.meta.json (0: none)',
      })
      .option('eval-seed', {
        type: 'number',
        describe: "seed of that evaluation (default: the checkpoint's seed + 10000, unseen in training)",
      })
      .check((a) => {
        if (!EXPORT_FORMATS.includes(a.format as ExportFormat))
          throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${a.format}'`);
        if (!Number.isInteger(a['eval-episodes']) || a['eval-episodes'] < 0)
          throw new Error(`--eval-episodes must be a non-negative integer, got ${a['eval-episodes']}`);
        const evalSeed = a['eval-seed'];
        if (evalSeed !== undefined && (!Number.isInteger(evalSeed) || evalSeed < 0))
          throw new Error(`--eval-seed must be a non-negative integer, got ${evalSeed}`);
        return true;
      }),
  handler: async (args) => {
    const envOptions = args['env-options'] === undefined ? undefined : parseJsonObjectFlag('env-options', args['env-options']);
    // A folder for --out that cannot be made or written fails at once, naming it (not the staging folder inside).
    ensureWritableDir(dirname(resolve(args.out)), '--out');
    await initBackend('auto', null);
    // The ONNX schema (protobufjs) loads only when an export runs.
    const { exportPolicy } = await import('../../agents/export/export.js');
    const { evaluateExport } = await import('../../agents/export/evaluate-export.js');
    await import('../../envs/index.js'); // the artifact is evaluated on its env, made by id
    const episodes = args['eval-episodes'];
    const meta = await exportPolicy({
      checkpoint: args.checkpoint,
      format: args.format as ExportFormat,
      out: args.out,
      withValue: args.value,
      envOptions,
      evaluateArtifact: (dir, provisional) =>
        evaluateExport(dir, provisional, { episodes, seed: args['eval-seed'] ?? (provisional.seed ?? 0) + 10000 }),
    });
    const e = meta.evaluation;
    const score = e
      ? `; the exported artifact's evaluation: return ${e.metrics.return?.toFixed(2)} over ${e.episodes} episodes from seed ${e.seed}`
      : '';
    process.stdout.write(
      `exported ${meta.agent} policy for ${meta.env.id ?? 'its env'} as ${args.format} to ${args.out}: ${meta.files.join(', ')}${score}\n`,
    );
  },
};
