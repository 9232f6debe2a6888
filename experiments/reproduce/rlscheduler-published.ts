/**
 * The published RLScheduler heuristic tables (Zhang et al., SC 2020, Tables V and VI, as printed in the
 * README of DIR-LAB/deep-batch-scheduler): average bounded slowdown (2 decimals) and utilization
 * (3 decimals), the latter RLScheduler's own formula (our `rlschedulerUtilization`, not a fraction in [0, 1]). Their WFP3 and UNICEP columns are the reference code's scores (our `-compat` agents).
 * Reference data to compare against, not our results.
 */
export type PublishedRow = [fcfs: number, wfp3: number, unicep: number, sjf: number, f1: number];

/** The agent whose output each published column is. */
export const PUBLISHED_COLUMNS = ['fcfs', 'wfp3-compat', 'unicep-compat', 'sjf', 'f1'] as const;

export const PUBLISHED: Record<'bsld' | 'rlschedulerUtilization', Record<'false' | 'true', Record<string, PublishedRow>>> = {
  bsld: {
    false: {
      'lublin-1': [7273.77, 19753.53, 22274.74, 277.35, 258.37],
      hpc2n: [297.18, 426.99, 609.77, 157.71, 118.01],
      'lublin-2': [7842.47, 9523.18, 11265.31, 787.89, 698.34],
    },
    true: {
      'lublin-1': [235.82, 133.87, 307.23, 73.31, 75.07],
      hpc2n: [127.38, 97.39, 175.12, 122.04, 71.95],
      'lublin-2': [247.61, 318.35, 379.59, 91.99, 148.25],
    },
  },
  rlschedulerUtilization: {
    false: {
      'lublin-1': [0.657, 0.747, 0.691, 0.762, 0.816],
      hpc2n: [0.638, 0.636, 0.636, 0.64, 0.637],
      'lublin-2': [0.404, 0.543, 0.51, 0.562, 0.478],
    },
    true: {
      'lublin-1': [0.868, 0.864, 0.883, 0.778, 0.84],
      hpc2n: [0.639, 0.637, 0.638, 0.641, 0.638],
      'lublin-2': [0.587, 0.583, 0.587, 0.593, 0.552],
    },
  },
};
