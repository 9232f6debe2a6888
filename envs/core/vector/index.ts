export * from './types.js';
export { SyncVectorEnv, type VectorEnvOptions } from './sync.js';
export * from './parallel.js';
export * from './make-vec.js';
