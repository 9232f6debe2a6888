/**
 * On-policy rollout storage (CleanRL's `obs`, `actions`, `logprobs`, `rewards`, `dones`, `values`
 * tensors, here Float32Arrays laid out [step][env]) with GAE (Schulman et al., 2016) and the
 * minibatch assembly the update loop reads.
 */
export interface RolloutShape {
  numSteps: number;
  numEnvs: number;
  obsSize: number;
  actionDim: number;
  /** 0 when the env has no action masks. */
  maskSize: number;
}

export class RolloutBuffer {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly rewards: Float32Array;
  /** dones[t] = 1 when obs[t] starts a new episode (CleanRL's `next_done` stored with the obs). */
  readonly dones: Float32Array;
  readonly values: Float32Array;
  readonly masks: Uint8Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  readonly size: number;

  constructor(readonly shape: RolloutShape) {
    const n = shape.numSteps * shape.numEnvs;
    this.size = n;
    this.obs = new Float32Array(n * shape.obsSize);
    this.actions = new Float32Array(n * shape.actionDim);
    this.logProbs = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Float32Array(n);
    this.values = new Float32Array(n);
    this.masks = new Uint8Array(n * shape.maskSize);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  /** Generalised advantage estimation; `nextValue`/`nextDone` describe the observation after the last step. */
  computeGae(nextValue: ArrayLike<number>, nextDone: ArrayLike<number>, gamma: number, lambda: number): void {
    const { numSteps, numEnvs } = this.shape;
    for (let e = 0; e < numEnvs; e++) {
      let lastGaeLam = 0;
      for (let t = numSteps - 1; t >= 0; t--) {
        const i = t * numEnvs + e;
        let nextNonTerminal: number;
        let nextValues: number;
        if (t === numSteps - 1) {
          nextNonTerminal = 1 - nextDone[e];
          nextValues = nextValue[e];
        } else {
          nextNonTerminal = 1 - this.dones[i + numEnvs];
          nextValues = this.values[i + numEnvs];
        }
        const delta = this.rewards[i] + gamma * nextValues * nextNonTerminal - this.values[i];
        lastGaeLam = delta + gamma * lambda * nextNonTerminal * lastGaeLam;
        this.advantages[i] = lastGaeLam;
        this.returns[i] = lastGaeLam + this.values[i];
      }
    }
  }

  /** Copies rows `idx` of a per-sample array of `width` numbers into a new array. */
  static gather<T extends Float32Array | Uint8Array>(src: T, width: number, idx: ArrayLike<number>, out: T): T {
    for (let r = 0; r < idx.length; r++) out.set(src.subarray(idx[r] * width, (idx[r] + 1) * width), r * width);
    return out;
  }
}

/** 1 − Var[y − ŷ] / Var[y] (CleanRL's explained_variance); NaN when Var[y] is 0. */
export function explainedVariance(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += target[i];
    md += target[i] - pred[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (target[i] - my) ** 2;
    vd += (target[i] - pred[i] - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}
