/**
 * Submits the scripts with `sbatch --parsable`: the array first, then the finishing job depending on it.
 * `wait` polls squeue every second (sbatch --wait backs off to 30 s between polls) and checks that the
 * finishing job completed.
 */
import { spawnSync } from 'node:child_process';
import { SchedlabError } from '../../core/errors.js';

function slurm(command: string, args: string[], logs: string): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new SchedlabError(
      code === 'ENOENT'
        ? `${command} is not on PATH: run this on a Slurm login node, or drop --submit to only write the scripts`
        : `${command} failed to start: ${r.error.message}`,
    );
  }
  if (r.status !== 0)
    throw new SchedlabError(
      `${command} ${args.join(' ')} failed (exit ${r.status})${r.stderr.trim() ? ': ' + r.stderr.trim() : ''}; see the job logs in ${logs}`,
    );
  return r.stdout.trim();
}

export async function submitSweep(
  arrayScript: string,
  finishScript: string,
  logs: string,
  { wait = false } = {},
): Promise<{ arrayJob: string; finishJob: string }> {
  // --parsable prints "jobid" or "jobid;cluster".
  const arrayJob = slurm('sbatch', ['--parsable', arrayScript], logs).split(';')[0];
  const finishJob = slurm('sbatch', ['--parsable', `--dependency=afterany:${arrayJob}`, finishScript], logs).split(';')[0];
  if (wait) {
    while (slurm('squeue', ['-h', '-j', `${arrayJob},${finishJob}`, '-o', '%i'], logs) !== '')
      await new Promise((r) => setTimeout(r, 1000));
    const states = (job: string) =>
      [...slurm('scontrol', ['show', 'job', '-o', job], logs).matchAll(/JobId=(\S+) .*?JobState=(\S+)/g)].map((m) => ({
        id: m[1],
        state: m[2],
      }));
    const bad = [...states(arrayJob), ...states(finishJob)].filter((j) => j.state !== 'COMPLETED');
    if (bad.length) {
      throw new SchedlabError(
        `${bad.map((j) => `job ${j.id} ended ${j.state}`).join(', ')}; see the job logs in ${logs}. Submitting again resumes: finished runs are skipped`,
      );
    }
  }
  return { arrayJob, finishJob };
}
