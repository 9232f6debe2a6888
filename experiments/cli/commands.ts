/**
 * Every `schedlab` command, one module each, loaded on demand: a command's module pulls in what it
 * needs (tfjs, mathjs, vega, the ONNX schema), so `schedlab envs` does not pay for `schedlab plot`.
 */
import type { CommandModule } from 'yargs';

// Each command module types its own arguments; yargs' Argv<{}> accepts any of them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type AnyCommand = CommandModule<{}, any>;

export const commandLoaders: Record<string, () => Promise<AnyCommand>> = {
  envs: async () => (await import('./envs.js')).envsCommand,
  'check-env': async () => (await import('./check-env.js')).checkEnvCommand,
  evaluate: async () => (await import('./evaluate.js')).evaluateCommand,
  train: async () => (await import('./train.js')).trainCommand,
  export: async () => (await import('./export.js')).exportCommand,
  import: async () => (await import('./import.js')).importCommand,
  run: async () => (await import('./run.js')).runCommand,
  table: async () => (await import('./table.js')).tableCommand,
  plot: async () => (await import('./plot.js')).plotCommand,
  slurm: async () => (await import('./slurm.js')).slurmCommand,
  start: async () => (await import('./start.js')).startCommand,
  reproduce: async () => (await import('./reproduce.js')).reproduceCommand,
};

/** The modules of the named command only, or of every command when `name` is not one (help, typos). */
export async function loadCommands(name: string | undefined): Promise<AnyCommand[]> {
  if (name !== undefined && Object.hasOwn(commandLoaders, name)) return [await commandLoaders[name]()];
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
