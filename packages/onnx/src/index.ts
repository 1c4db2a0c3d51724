/**
 * @gd/onnx — export gd modules to ONNX (traced in eval mode, every recorded op written through
 * one table of gd op -> ONNX nodes), check them in onnxruntime-node, and write Triton / KServe
 * model repositories.
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { MnistCNN } from '@gd/nn';
 * import { exportOnnx, saveOnnx, verifyOnnx } from '@gd/onnx';
 *
 * const model = new MnistCNN();
 * const bytes = exportOnnx(model, randn([2, 1, 28, 28]));
 * console.log((await verifyOnnx(model, bytes, [randn([64, 1, 28, 28])])).maxAbsDiff); // ~1e-7
 * saveOnnx(bytes, 'model.onnx');
 * ```
 *
 * @packageDocumentation
 */
export { MAX_OPSET, MIN_OPSET, exportOnnx, readOnnxMetadata, saveOnnx } from './export.js';
export type { ExportOnnxOptions } from './export.js';
export { OnnxExportError } from './emit.js';
export { supportedOps } from './ops.js';
export { NOT_EXPORTED } from './not-exported.js';
export { verifyOnnx } from './verify.js';
export type { OutputComparison, VerifyOnnxOptions, VerifyResult } from './verify.js';
export { tritonConfig, writeTritonRepository } from './triton.js';
export type {
  TritonRepositoryFiles,
  TritonRepositoryOptions,
  TritonTensorConfig,
} from './triton.js';
export { decodeOnnx } from './proto.js';
export type {
  AttributeProto,
  DimensionProto,
  GraphProto,
  ModelProto,
  NodeProto,
  StringStringEntryProto,
  TensorProto,
  ValueInfoProto,
} from './proto.js';
export { GD_ONNX_VERSION } from './version.js';
