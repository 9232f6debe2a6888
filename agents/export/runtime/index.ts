/** The dependency-free policy runtime (no imports outside this folder): copy it into a service as is. */
export { ExportedPolicy, PolicyInputError, type PolicyOutput } from './policy.js';
export { MASKED_LOGIT, POLICY_FILE, POLICY_FORMAT, type DenseLayerJSON, type NetworkJSON, type PolicyJSON } from './format.js';
