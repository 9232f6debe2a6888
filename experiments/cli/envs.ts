import type { CommandModule } from 'yargs';
import { listEnvs, make } from '../../envs/index.js';
import { envReferenceMarkdown } from './env-reference.js';

export const envsCommand: CommandModule<object, { json: boolean; markdown: boolean }> = {
  command: 'envs',
  describe: 'list the registered environments with their spaces',
  builder: (y) =>
    y.option('json', { type: 'boolean', default: false, describe: 'print JSON' }).option('markdown', {
      type: 'boolean',
      default: false,
      describe: "print the env reference (envs/README.md) from the envs' doc comments",
    }),
  handler: ({ json, markdown }) => {
    if (markdown) {
      process.stdout.write(envReferenceMarkdown());
      return;
    }
    const rows = listEnvs().map((spec) => {
      const env = make(spec.id);
      const row = {
        id: spec.id,
        observationSpace: env.observationSpace.toString(),
        actionSpace: env.actionSpace.toString(),
        maxEpisodeSteps: spec.maxEpisodeSteps ?? null,
        rewardThreshold: spec.rewardThreshold ?? null,
        description: spec.description ?? '',
      };
      env.close();
      return row;
    });
    if (json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    for (const r of rows) {
      process.stdout.write(`${r.id}\n  ${r.description}\n  observation: ${r.observationSpace}\n  action:      ${r.actionSpace}\n`);
      process.stdout.write(`  maxEpisodeSteps: ${r.maxEpisodeSteps ?? '-'}   rewardThreshold: ${r.rewardThreshold ?? '-'}\n`);
    }
  },
};
