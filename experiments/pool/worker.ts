/**
 * A worker process of the pool: runs one run at a time as the parent asks. It exits when the parent
 * goes away (the IPC channel closes), so a killed `schedlab run` leaves no orphan behind. Ctrl-C reaches
 * the whole process group: a worker leaves SIGINT to its parent, which stops the workers itself and
 * releases their runs.
 */
import { executeRun } from '../run/execute.js';
import type { FromWorker, ToWorker } from './messages.js';

const send = (m: FromWorker) => process.send!(m);

process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(1));
process.on('message', (m: ToWorker) => {
  if (m.type !== 'run') return;
  executeRun(m.run, m.resultsDir).then(
    (outcome) => send({ type: 'done', outcome }),
    (e: unknown) => send({ type: 'done', outcome: { id: m.run.id, ok: false, error: String(e) } }),
  );
});
send({ type: 'ready' });
