/**
 * `schedlab import --format tf-bundle --from DIR --out DIR [--env ID] [--env-options JSON]
 * [--sampler-seeds SEED,SEED2]`: turns a published trained policy into a schedlab checkpoint that
 * `evaluate --checkpoint`, `export` and further training load like any other.
 * Supported: RLScheduler's per-job "kernel" policy (TensorFlow tensor bundle, e.g.
 * data/rlscheduler-models/bsld-lublin256) for BatchScheduling-v0, as a PPO per-item checkpoint.
 * `--sampler-seeds` records the TensorFlow multinomial op seeds that sampled the reference's actions, so
 * `reproduce rlscheduler-table --policy` can replay them.
 */
import type { CommandModule } from 'yargs';
import { SchedlabError } from '../../core/errors.js';
import { parseJsonObjectFlag } from './parse-json.js';

export const IMPORT_FORMATS = ['tf-bundle'] as const;

interface ImportArgs {
  format: string;
  from: string;
  out: string;
  env: string;
  'env-options'?: string;
  'sampler-seeds'?: string;
}

/** `SEED,SEED2` as two non-negative integers. */
export function parseSamplerSeeds(text: string): [number, number] {
  const parts = text.split(',').map((p) => p.trim());
  const seeds = parts.map(Number);
  if (parts.length !== 2 || !seeds.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw new SchedlabError(
      `--sampler-seeds must be two non-negative integers SEED,SEED2 (TensorFlow's op seed and seed2, e.g. 0,178), got '${text}'`,
    );
  }
  return [seeds[0], seeds[1]];
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import',
  describe: "import a published trained policy (RLScheduler's TensorFlow models) as a schedlab checkpoint",
  builder: (y) =>
    y
      .option('format', { type: 'string', demandOption: true, describe: `the model's format: ${IMPORT_FORMATS.join(' | ')}` })
      .option('from', {
        type: 'string',
        demandOption: true,
        describe: 'the model folder (with variables.index, or variables/variables.index)',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'the checkpoint folder to write' })
      .option('env', { type: 'string', default: 'BatchScheduling-v0', describe: 'the env the policy acts on' })
      .option('env-options', { type: 'string', describe: 'env options as a JSON object (they fix the observation the model must fit)' })
      .option('sampler-seeds', {
        type: 'string',
        describe: "TensorFlow multinomial op seeds SEED,SEED2 of the model's published evaluation, recorded in the checkpoint",
      })
      .check((a) => {
        if (!IMPORT_FORMATS.includes(a.format as (typeof IMPORT_FORMATS)[number]))
          throw new Error(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got '${a.format}'`);
        if (a['sampler-seeds'] !== undefined) parseSamplerSeeds(a['sampler-seeds']);
        return true;
      }),
  handler: async (args) => {
    const envOptions = parseJsonObjectFlag('env-options', args['env-options']);
    if (args.env !== 'BatchScheduling-v0')
      throw new SchedlabError(`--format tf-bundle imports RLScheduler's policy for BatchScheduling-v0, not ${args.env}`);
    await import('../../envs/index.js');
    const { make } = await import('../../envs/core/registry.js');
    const { initBackend } = await import('../../agents/core/backend.js');
    const { importRlschedulerKernel } = await import('../../agents/import/rlscheduler.js');
    await initBackend('auto', null);
    const env = make(args.env, envOptions);
    try {
      const result = await importRlschedulerKernel({
        from: args.from,
        out: args.out,
        observationSpace: env.observationSpace,
        actionSpace: env.actionSpace,
        envId: args.env,
        samplerSeeds: args['sampler-seeds'] === undefined ? undefined : parseSamplerSeeds(args['sampler-seeds']),
      });
      process.stdout.write(
        `imported ${result.parameters} policy parameters (${result.tensors.map((t) => t.name).join(', ')}) from ${args.from} as a ppo checkpoint for ${args.env} in ${args.out}\n`,
      );
    } finally {
      env.close();
    }
  },
};
