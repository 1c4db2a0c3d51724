/**
 * gd-serve — ONNX models over HTTP with onnxruntime-node in worker threads: the Open Inference
 * Protocol v2, micro-batching, Prometheus metrics and a digit-drawing page on onnxruntime-web.
 *
 * @example
 * ```ts
 * import { startServer } from '@gd/serve';
 * const server = await startServer({ model: 'runs/mnist/model.onnx', port: 8000 });
 * await server.ready; // models loaded and warmed up
 * // ... later
 * await server.close(); // answers requests in flight, then stops
 * ```
 *
 * @packageDocumentation
 */
export { DEFAULTS, HttpError, startServer } from './server.js';
export type { GdServer, ServeOptions } from './server.js';
export { ServeCore, SERVER_NAME, SERVER_VERSION } from './core.js';
export type { CoreOptions } from './core.js';
export { WorkerPool, WorkerDiedError } from './pool.js';
export type { PoolOptions, SessionPool } from './pool.js';
export { InlinePool } from './inline.js';
export { SessionHost } from './sessions.js';
export type { InferResult, ModelReport, WireTensor, WorkerConfig } from './sessions.js';
export { ModelStats, mergeStats } from './stats.js';
export type { BatchTimes, Duration, TritonModelStats } from './stats.js';
export { clusterProcess, runPrimary } from './cluster.js';
export type { ClusterProcess, GatherKind, PrimaryOptions } from './cluster.js';
export { decodeInputs, resolveOutputs } from './infer-request.js';
export type { RequestTensor } from './infer-request.js';
export { PROTO_FILE, PROTO_OPTIONS, loadInferenceService, startGrpc } from './grpc/server.js';
export type { GrpcFrontEnd } from './grpc/server.js';
export { MODEL_CONTROLS, ModelRepository } from './repository.js';
export type { IndexEntry, ModelControl } from './repository.js';
export { DEFAULT_INLINE_MAX_MS, Runtime } from './runtime.js';
export type { LoadedModel, RuntimeOptions, TensorSpec } from './runtime.js';
export { MicroBatcher, QueueFullError, ShuttingDownError } from './batcher.js';
export type { BatchLane, BatcherOptions } from './batcher.js';
export { modelDirs, parsePbtxt, readModelDir, resolveModels } from './model-repo.js';
export type { ModelSource, PbtxtMessage, PbtxtValue, VersionPolicy } from './model-repo.js';
export { preprocessingFrom, readOnnxModelInfo } from './onnx-metadata.js';
export type { OnnxModelInfo, Preprocessing } from './onnx-metadata.js';
export {
  EXECUTION_PROVIDERS,
  parseEpList,
  providerMissing,
  providerPlan,
  sessionProviders,
} from './providers.js';
export type { ExecutionProvider } from './providers.js';
export { Counter, Gauge, Histogram, Registry } from './metrics.js';
export type { MetricText } from './metrics.js';
export { pngToMnist } from './png.js';
export { DATATYPES, InputError, jsonDataText, toTypedData } from './tensors.js';
export type { TypedData, V2Datatype } from './tensors.js';
export {
  argmax,
  normalize,
  rgbaToInk,
  softmax,
  toMnist,
  toProbabilities,
} from './web/preprocess.js';
