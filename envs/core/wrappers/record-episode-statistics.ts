import { OptionError } from '../../../core/errors.js';
import { Wrapper, type Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../env.js';

/** What RecordEpisodeStatistics puts in `info.episode` on the step that ends an episode. */
export interface EpisodeStatistics {
  /** The episode's undiscounted return. */
  r: number;
  /** Its length in steps. */
  l: number;
  /** Wall-clock seconds since its reset (for throughput logs only: never a result). */
  t: number;
}

/**
 * Gymnasium's RecordEpisodeStatistics: tracks each episode's return and length and, when it ends
 * (terminated or truncated), adds `info.episode = {r, l, t}`. The last `bufferLength` returns,
 * lengths and times are kept in `returnQueue`, `lengthQueue` and `timeQueue`.
 */
export class RecordEpisodeStatistics<Obs, Act> extends Wrapper<Obs, Act> {
  episodeCount = 0;
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart: bigint = process.hrtime.bigint();

  constructor(
    env: Env<Obs, Act>,
    readonly bufferLength = 100,
    readonly statsKey = 'episode',
  ) {
    super(env);
    if (!Number.isInteger(bufferLength) || bufferLength <= 0) {
      throw new OptionError('bufferLength', `is ${bufferLength}`, 'a positive integer', 'RecordEpisodeStatistics');
    }
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = process.hrtime.bigint();
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (!(result.terminated || result.truncated)) return result;
    if (this.statsKey in result.info) {
      throw new OptionError(
        'statsKey',
        `'${this.statsKey}' is already in the env's info`,
        'a key the env does not use',
        'RecordEpisodeStatistics',
      );
    }
    const t = Math.round(Number(process.hrtime.bigint() - this.episodeStart) / 1e3) / 1e6; // seconds, 6 decimals
    const episode: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t };
    this.episodeCount++;
    push(this.returnQueue, episode.r, this.bufferLength);
    push(this.lengthQueue, episode.l, this.bufferLength);
    push(this.timeQueue, episode.t, this.bufferLength);
    const info: Info = { ...result.info, [this.statsKey]: episode };
    return { ...result, info };
  }
}

function push(queue: number[], v: number, max: number): void {
  queue.push(v);
  if (queue.length > max) queue.shift();
}
