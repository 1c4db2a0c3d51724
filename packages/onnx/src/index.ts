/**
 * @gd/onnx — export gd modules to ONNX (traced in eval mode, every recorded op written through
 * one table of gd op -> ONNX nodes), check them in onnxruntime-node, and write Triton / KServe
 * model repositories.
 *
 * The entry point works in browsers too (`exportOnnx` returns bytes); what writes files
 * (`saveOnnx`, `writeTritonRepository`) needs Node, is chosen by the package's `#platform`
 * import condition, and is also exported alone by `@gd/onnx/node`.
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { MnistCNN } from '@gd/nn/models';
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
export { MAX_OPSET, MIN_OPSET, exportOnnx, readOnnxMetadata } from './export.js';
export { saveOnnx } from '#platform';
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
