/** Policy export (onnx, tfjs, json) and the 'exported' agent that runs an export. */
import './exported-agent.js';

export { ExportedAgent } from './exported-agent.js';
export { EXPORT_FORMATS, exportPolicy, type ExportOptions } from './export.js';
export { loadPolicy } from './extract.js';
export { META_FILE, type PolicyMeta } from './meta.js';
export { buildOnnx, ONNX_OPSET } from './onnx.js';
export { buildTfjsModel, loadTfjsPolicy } from './tfjs.js';
export * from './runtime/index.js';
