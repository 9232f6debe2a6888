/**
 * The JSON export (`policy.json`, format `schedlab-policy/1`): everything the dependency-free runtime
 * needs to compute a trained policy, in plain JSON numbers. Weights are float32 values written as the
 * shortest decimal that reads back to the same float32; normalisation statistics are float64.
 * Infinite observation bounds are written as ±Number.MAX_VALUE (JSON has no Infinity), as space JSON is.
 */
export const POLICY_FORMAT = 'schedlab-policy/1';
export const POLICY_FILE = 'policy.json';
/** Logit given to a masked action (the training distribution's MASKED_LOGIT). */
export const MASKED_LOGIT = -1e8;

export type LayerActivation = 'tanh' | 'relu' | 'linear';

/** y = act(x·W + b), W row-major [inSize, outSize]. */
export interface DenseLayerJSON {
  inSize: number;
  outSize: number;
  activation: LayerActivation;
  weight: number[];
  bias: number[];
}

/**
 * A stack of dense layers. `items` set: the input is `itemCount` rows of `itemSize` features and the
 * stack (ending in one output) scores each row on its own, giving one logit per item.
 */
export interface NetworkJSON {
  layers: DenseLayerJSON[];
  items?: { itemCount: number; itemSize: number };
}

export interface PolicyJSON {
  format: typeof POLICY_FORMAT;
  observation: {
    /** Length of the flat observation vector. */
    size: number;
    /** Bounds of each entry (±Number.MAX_VALUE = unbounded). */
    low: number[];
    high: number[];
  };
  /** z = clip((x − mean) / sqrt(var + epsilon), −clip, clip), in float64; null when the policy was trained on raw observations. */
  normalization: { mean: number[]; var: number[]; epsilon: number; clip: number } | null;
  /** Discrete actions: action = start + argmax over valid entries of the logits. */
  action: { type: 'Discrete'; n: number; start: number };
  actor: NetworkJSON;
  /** The value head (state value), when exported. */
  critic?: NetworkJSON;
}
