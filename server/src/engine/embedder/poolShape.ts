// How many workers and how many ONNX threads each. Measured on 2 cores: oversubscribing (2 workers x 2
// threads) cost 30% throughput, while 2 x 1 reached 95% of 1 x 2. Two workers keep embedding going while
// one is being replaced, so that is the default where there are two cores or more.

import * as os from 'node:os';

export interface PoolShape {
  size: number;
  threadsPerWorker: number;
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export function choosePoolShape(requestedSize: number, cores = availableCores()): PoolShape {
  const size = requestedSize > 0 ? Math.min(requestedSize, cores) : Math.min(2, cores);
  return { size, threadsPerWorker: Math.max(1, Math.floor(cores / size)) };
}
