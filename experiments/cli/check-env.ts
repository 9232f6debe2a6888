import type { CommandModule } from 'yargs';
import { SchedlabError } from '../../core/errors.js';
import { checkEnv, type EnvCheckReport } from '../../envs/core/checker/check-env.js';
import { errorText } from '../../envs/core/checker/validate.js';
import { envSpec, listEnvs, make } from '../../envs/index.js';
import { parseJsonObjectFlag } from './parse-json.js';

interface CheckEnvArgs {
  id?: string;
  all: boolean;
  'env-options'?: string;
  'skip-render-check': boolean;
  json: boolean;
}

/**
 * `schedlab check-env <id>` / `--all`: Gymnasium's check_env on registered envs, one pass/fail line per
 * check. The checks run on the raw env (`make(id).unwrapped`), as Gymnasium recommends; exit status 1
 * when any check fails.
 */
export const checkEnvCommand: CommandModule<object, CheckEnvArgs> = {
  command: 'check-env [id]',
  describe: 'run the env checker (Gymnasium check_env) on one registered env or on all of them',
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'env id, e.g. CartPole-v1' })
      .option('all', { type: 'boolean', default: false, describe: 'check every registered env' })
      .option('env-options', { type: 'string', describe: 'env options as a JSON object (with a single id)' })
      .option('skip-render-check', { type: 'boolean', default: false, describe: 'skip the render checks' })
      .option('json', { type: 'boolean', default: false, describe: 'print the reports as JSON' }),
  handler: (args) => {
    if (args.all === (args.id !== undefined)) {
      throw new SchedlabError(
        `check-env takes either one env id or --all${args.all ? ', not both' : ''}; known envs: ${listEnvs()
          .map((s) => s.id)
          .join(', ')}`,
      );
    }
    if (args.all && args['env-options'] !== undefined) {
      throw new SchedlabError('--env-options applies to a single env id; it cannot be combined with --all');
    }
    const ids = args.all ? listEnvs().map((s) => s.id) : [envSpec(args.id!).id];
    const envOptions = parseJsonObjectFlag('env-options', args['env-options']);
    const reports = ids.map((id) => {
      // With --all, an env that cannot even be made with its defaults is a failed check, not the end of the run.
      let env;
      try {
        env = make(id, envOptions).unwrapped;
      } catch (e) {
        if (!args.all) throw e;
        return {
          env: id,
          passed: false,
          checks: [{ name: 'make', ok: false, message: `make('${id}') threw ${errorText(e)}` }],
          warnings: [],
        };
      }
      return checkEnv(env, { skipRenderCheck: args['skip-render-check'] });
    });
    if (args.json) process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
    else process.stdout.write(reports.map(formatReport).join('\n') + (reports.length > 1 ? summary(reports) : ''));
    if (!reports.every((r) => r.passed)) process.exitCode = 1;
  },
};

function formatReport(report: EnvCheckReport): string {
  const lines = [`${report.env}`];
  for (const check of report.checks) lines.push(`  ${check.ok ? 'pass' : 'FAIL'}  ${check.name}: ${check.message}`);
  for (const warning of report.warnings) lines.push(`  warn  ${warning}`);
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push(
    `  ${report.passed ? 'passed' : 'FAILED'}: ${report.checks.length - failed}/${report.checks.length} checks passed${report.warnings.length ? `, ${report.warnings.length} warning${report.warnings.length > 1 ? 's' : ''}` : ''}`,
  );
  return lines.join('\n') + '\n';
}

function summary(reports: EnvCheckReport[]): string {
  const failed = reports.filter((r) => !r.passed).map((r) => r.env);
  return `\n${reports.length - failed.length}/${reports.length} envs pass every check${failed.length ? `; failing: ${failed.join(', ')}` : ''}\n`;
}
