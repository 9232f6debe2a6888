/** Errors a training run reports to the user (the CLI prints them as one line). */
import { SchedlabError } from '../../core/errors.js';

/** A loss or gradient became NaN/±Infinity: the update is not applied and training stops. */
export class NonFiniteLossError extends SchedlabError {
  constructor(
    readonly agent: string,
    readonly step: number,
    readonly values: Record<string, number>,
  ) {
    const bad = Object.entries(values)
      .filter(([, v]) => !Number.isFinite(v))
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(
      `${agent}: training diverged at step ${step}: ${bad}. The update was not applied; check rewards/observations for NaN or lower the learning rate`,
    );
  }
}
