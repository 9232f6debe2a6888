/**
 * The observation box shared by Autoscaling-v0 (one service) and MicroserviceAutoscaling-v0 (n services):
 * the load history window (requests/s, unbounded above), 4 entries per service in [0, 1], the last
 * interval's latency percentile over the SLO (clipped at LATENCY_CLIP), and the time of day as sin, cos.
 */
import { Box } from '../core/spaces/box.js';

const FLOAT32_MAX = 3.4028234663852886e38;
/** Latency over SLO is clipped here, so a saturated service stays inside the space. */
export const LATENCY_CLIP = 100;

export function serviceObservationSpace(historyWindow: number, services: number): Box<Float32Array> {
  const w = historyWindow;
  const size = w + 4 * services + 3;
  const low = new Array(size).fill(0);
  const high = new Array(size).fill(1);
  for (let i = 0; i < w; i++) high[i] = FLOAT32_MAX;
  high[w + 4 * services] = LATENCY_CLIP;
  low[w + 4 * services + 1] = -1;
  low[w + 4 * services + 2] = -1;
  return new Box<Float32Array>(low, high, [size], 'float32');
}
