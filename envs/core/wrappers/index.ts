export * from './time-limit.js';
export * from './order-enforcing.js';
export { PassiveEnvChecker } from '../checker/passive.js';
