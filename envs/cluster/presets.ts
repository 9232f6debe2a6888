/**
 * Named parameter sets of ClusterScheduling-v0, from DeepRM's experiments (parameters.py, launcher.py,
 * slow_down_cdf.py). A preset sets option values; options given explicitly override them.
 */
import { UnknownNameError } from '../../core/errors.js';

export type PresetValues = Record<string, unknown>;

/**
 * Every preset plays DeepRM's timing (`firstEntry: 'skip'`): a sequence's first entry is never played and a
 * step is charged after time advances, as environment.py does; `firstEntry: 'play'` overrides it.
 */
const FIXED: Record<string, PresetValues> = {
  /** parameters.py as it is. */
  'deeprm-default': { firstEntry: 'skip' },
  /** The policy-gradient training runs (pg_re with end "all_done"). */
  'deeprm-train': {
    simuLen: 50,
    numSequences: 50,
    numSlots: 10,
    newJobRate: 0.3,
    episodeMaxLength: 2000,
    end: 'all_done',
    firstEntry: 'skip',
  },
  /** The slowdown-CDF test (slow_down_cdf.py main); the reference draws it from a separate seed (pa.unseen), so evaluate it with a seed not used in training. */
  'deeprm-cdf': {
    simuLen: 200,
    numSequences: 10,
    numSlots: 10,
    newJobRate: 0.3,
    episodeMaxLength: 20000,
    end: 'all_done',
    firstEntry: 'skip',
  },
};

const LOAD = /^deeprm-load-(\d+(?:\.\d+)?)$/;
export const PRESET_NAMES = [...Object.keys(FIXED), 'deeprm-load-<rate> (rate in (0, 1], e.g. deeprm-load-0.7)'];

/**
 * The values of a preset. `deeprm-load-<rate>` is the load sweep: the CDF test's setting with simuLen 200,
 * 100 sequences and newJobRate = rate.
 */
export function presetValues(name: string): PresetValues {
  if (name in FIXED) return FIXED[name];
  const m = LOAD.exec(name);
  const rate = m ? Number(m[1]) : NaN;
  if (rate > 0 && rate <= 1) return { ...FIXED['deeprm-cdf'], numSequences: 100, newJobRate: rate };
  throw new UnknownNameError(`ClusterScheduling-v0: unknown preset '${name}'. Known presets: ${PRESET_NAMES.join(', ')}`);
}
