/**
 * The pending service completions of a DES station, earliest first: a binary min-heap of (completion time,
 * arrival time) pairs in two parallel arrays; the arrival time is when the request entered the system.
 */
export class CompletionHeap {
  private times: number[] = [];
  private arrivals: number[] = [];

  get size(): number {
    return this.times.length;
  }

  get topTime(): number {
    return this.times.length ? this.times[0] : Infinity;
  }

  push(time: number, arrival: number): void {
    const t = this.times;
    const a = this.arrivals;
    let i = t.length;
    t.push(time);
    a.push(arrival);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      a[i] = a[p];
      i = p;
    }
    t[i] = time;
    a[i] = arrival;
  }

  /** Removes the earliest completion and returns its arrival time. */
  pop(): number {
    const t = this.times;
    const a = this.arrivals;
    const arrival = a[0];
    const lastT = t.pop()!;
    const lastA = a.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && t[r] < t[l] ? r : l;
        if (t[m] >= lastT) break;
        t[i] = t[m];
        a[i] = a[m];
        i = m;
      }
      t[i] = lastT;
      a[i] = lastA;
    }
    return arrival;
  }
}
