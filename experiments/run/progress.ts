/** The progress bar of a sweep on stderr: runs done, failures, ETA (cli-progress). */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(ok: boolean): void;
  stop(): void;
}

export function progressBar(total: number, enabled: boolean): Progress {
  if (!enabled || total === 0) return { tick: () => {}, stop: () => {} };
  let failed = 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'runs |{bar}| {value}/{total} done, {failed} failed | elapsed {duration_formatted} | ETA {eta_formatted}',
      etaBuffer: 20,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { failed });
  return {
    tick(ok) {
      if (!ok) failed++;
      bar.increment(1, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}
