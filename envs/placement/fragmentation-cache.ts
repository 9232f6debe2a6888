/**
 * FGD's fragmentation (fragmentation.ts) memoised for a whole cluster: each node state (GPU model, free CPU,
 * GPU count, free GPU milli in any order) is interned to an integer id with its fragment amount, computed
 * once per distinct state, and the fragmentation after a pod shape on a state (what FGD scores) is memoised
 * per (state, shape). Memory is not part of a state: the reference's fragmentation ignores it. The numbers
 * are those of the pure functions `nodeFragAmount` / `nodeFragScore` / `fragAfterPod`, bit for bit; the env
 * keeps one for its observation and GPU pick, and the FGD policy keeps its own from the state view's data.
 */
import {
  fragSumExceptQ3,
  isSharingPod,
  nodeFragAmount,
  shapeKey,
  type NodeShape,
  type PodShape,
  type TypicalPod,
} from './fragmentation.js';
import { MAX_GPUS_PER_NODE } from './trace.js';

/** Shape ids below this many, so (state, shape) fits one exact integer key. */
const SHAPE_KEY_SPAN = 1 << 20;

export class FragmentationCache {
  private readonly stateIndex = new Map<string, number>();
  private readonly stateFrag: number[] = [];
  private readonly stateAmount: Float64Array[] = [];
  private readonly shapeIndex = new Map<string, number>();
  private readonly afterMemo = new Map<number, number>();
  private readonly scratch = new Int32Array(MAX_GPUS_PER_NODE);
  private readonly tmp = new Int32Array(MAX_GPUS_PER_NODE);
  private readonly shape: NodeShape = { cpuLeft: 0, gpuLeft: new Int32Array(0), model: -1 };

  constructor(readonly typical: readonly TypicalPod[]) {}

  /** The id of a node state: GPU model, free CPU, GPU count and the free milli of its first `count` GPUs (any order). */
  intern(model: number, cpuLeft: number, count: number, gpus: ArrayLike<number>): number {
    // Insertion sort of the (≤ 8) free GPU milli, descending, into the scratch array.
    const s = this.scratch;
    for (let k = 0; k < count; k++) {
      const v = gpus[k];
      let j = k - 1;
      while (j >= 0 && s[j] < v) {
        s[j + 1] = s[j];
        j--;
      }
      s[j + 1] = v;
    }
    let key = `${model}|${cpuLeft}|${count}`;
    for (let k = 0; k < count; k++) key += `,${s[k]}`;
    const hit = this.stateIndex.get(key);
    if (hit !== undefined) return hit;
    const id = this.stateFrag.length;
    this.shape.cpuLeft = cpuLeft;
    this.shape.gpuLeft = s.subarray(0, count);
    this.shape.model = model;
    const amount = nodeFragAmount(this.shape, this.typical);
    this.stateAmount.push(amount);
    this.stateFrag.push(fragSumExceptQ3(amount));
    this.stateIndex.set(key, id);
    return id;
  }

  /** The fragment amount (GPU milli) of state `id`. */
  frag(id: number): number {
    return this.stateFrag[id];
  }

  /** The fragment amount per category of state `id` (read only). */
  amount(id: number): Float64Array {
    return this.stateAmount[id];
  }

  /** The id of a pod shape (cpu, GPU milli, GPU count, model constraint). */
  shapeId(pod: PodShape): number {
    const key = shapeKey(pod);
    let id = this.shapeIndex.get(key);
    if (id === undefined) {
      id = this.shapeIndex.size;
      if (id >= SHAPE_KEY_SPAN) throw new RangeError(`FragmentationCache: more than ${SHAPE_KEY_SPAN} pod shapes`);
      this.shapeIndex.set(key, id);
    }
    return id;
  }

  /** The fragment amount of a node after the pod, on GPU `g` for a sharing pod or `nodeAfterPod`'s GPUs (g = −1). */
  fragAfterOn(model: number, cpuLeft: number, count: number, gpus: ArrayLike<number>, pod: PodShape, g: number): number {
    const left = this.tmp;
    for (let k = 0; k < count; k++) left[k] = gpus[k];
    if (g >= 0) {
      left[g] -= pod.milli;
    } else if (pod.num > 0) {
      let need = pod.num;
      for (let k = 0; k < count && need > 0; k++) {
        if (left[k] >= pod.milli) {
          left[k] -= pod.milli;
          need--;
        }
      }
    }
    return this.stateFrag[this.intern(model, cpuLeft - pod.cpu, count, left)];
  }

  /**
   * `fragAfterPod` of the node in state `stateId` (given again as model, free CPU, count and GPUs) for the
   * pod of shape `shapeId`: memoised per (state, shape). The pod must fit.
   */
  fragAfter(
    stateId: number,
    model: number,
    cpuLeft: number,
    count: number,
    gpus: ArrayLike<number>,
    pod: PodShape,
    shapeId: number,
  ): number {
    const key = stateId * SHAPE_KEY_SPAN + shapeId;
    const hit = this.afterMemo.get(key);
    if (hit !== undefined) return hit;
    let best: number;
    if (isSharingPod(pod)) {
      best = Infinity;
      for (let g = 0; g < count; g++) {
        if (gpus[g] >= pod.milli) best = Math.min(best, this.fragAfterOn(model, cpuLeft, count, gpus, pod, g));
      }
    } else {
      best = this.fragAfterOn(model, cpuLeft, count, gpus, pod, -1);
    }
    this.afterMemo.set(key, best);
    return best;
  }

  /** Distinct node states seen. */
  get states(): number {
    return this.stateFrag.length;
  }
}
