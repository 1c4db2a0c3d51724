/**
 * Triton / KServe model repositories: `<dir>/<name>/config.pbtxt` and
 * `<dir>/<name>/<version>/model.onnx`, served by Triton's onnxruntime backend with dynamic
 * batching.
 */
import { joinPath as join, makeDirectory, saveOnnx } from '#platform';
import { OnnxDataType } from './proto.js';
import { decodeOnnx } from './proto.js';
import type { ValueInfoProto } from './proto.js';

/** Triton's data type names (`TYPE_FP32`, ...) by ONNX element type. */
const TRITON_TYPES: Record<number, string> = {
  [OnnxDataType.FLOAT]: 'TYPE_FP32',
  [OnnxDataType.DOUBLE]: 'TYPE_FP64',
  [OnnxDataType.FLOAT16]: 'TYPE_FP16',
  [OnnxDataType.BFLOAT16]: 'TYPE_BF16',
  [OnnxDataType.INT8]: 'TYPE_INT8',
  [OnnxDataType.INT16]: 'TYPE_INT16',
  [OnnxDataType.INT32]: 'TYPE_INT32',
  [OnnxDataType.INT64]: 'TYPE_INT64',
  [OnnxDataType.UINT8]: 'TYPE_UINT8',
  [OnnxDataType.UINT16]: 'TYPE_UINT16',
  [OnnxDataType.UINT32]: 'TYPE_UINT32',
  [OnnxDataType.UINT64]: 'TYPE_UINT64',
  [OnnxDataType.BOOL]: 'TYPE_BOOL',
  [OnnxDataType.STRING]: 'TYPE_STRING',
};

/** One input or output of a Triton model config. */
export interface TritonTensorConfig {
  /** The tensor's name in the ONNX model (`input`, `output`). */
  readonly name: string;
  /** A Triton type (`TYPE_FP32`) or a gd dtype (`float32`, `float64`, `int32`, `bool`). */
  readonly dataType: string;
  /** The dims WITHOUT the batch dim (Triton adds it when `max_batch_size > 0`); -1 = any. */
  readonly dims: readonly number[];
}

/** Options of {@link writeTritonRepository}. */
export interface TritonRepositoryOptions {
  /** The model name: the directory under the repository and the name clients use. */
  name: string;
  /** `max_batch_size` (default 64); 0 turns batching off (dims then include dim 0). */
  maxBatch?: number;
  /** Inputs; by default read from the ONNX graph (dim 0 dropped when batching). */
  inputs?: readonly TritonTensorConfig[];
  /** Outputs; by default read from the ONNX graph (dim 0 dropped when batching). */
  outputs?: readonly TritonTensorConfig[];
  /** The model version directory (default 1). */
  version?: number;
  /** `dynamic_batching.max_queue_delay_microseconds` (default 2000). */
  maxQueueDelayMicroseconds?: number;
  /** `dynamic_batching.preferred_batch_size` (default none: Triton batches up to maxBatch). */
  preferredBatchSizes?: readonly number[];
  /** `instance_group`: how many model instances, on which devices (default: Triton's). */
  instanceGroup?: {
    /** Model instances per device. */
    count: number;
    /** Where they run: CPU, GPU, or Triton's choice. */
    kind: 'KIND_CPU' | 'KIND_GPU' | 'KIND_AUTO';
  };
}

/** The files {@link writeTritonRepository} wrote. */
export interface TritonRepositoryFiles {
  /** `<dir>/<name>/config.pbtxt`. */
  readonly config: string;
  /** `<dir>/<name>/<version>/model.onnx`. */
  readonly model: string;
}

const GD_TO_TRITON: Record<string, string> = {
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  int32: 'TYPE_INT32',
  int64: 'TYPE_INT64',
  bool: 'TYPE_BOOL',
};

function tritonType(dataType: string): string {
  if (dataType.startsWith('TYPE_')) return dataType;
  const t = GD_TO_TRITON[dataType];
  if (!t) throw new RangeError(`writeTritonRepository: unknown data type '${dataType}'`);
  return t;
}

function fromGraph(values: readonly ValueInfoProto[], batching: boolean, what: string) {
  return values.map((v): TritonTensorConfig => {
    const t = v.type.tensor_type;
    const dims = (t.shape?.dim ?? []).map((d) =>
      d.dim_value !== undefined && d.dim_param === undefined ? Number(d.dim_value) : -1,
    );
    const dataType = TRITON_TYPES[t.elem_type];
    if (!dataType)
      throw new RangeError(
        `writeTritonRepository: ${what} '${v.name}' has ONNX element type ${t.elem_type}, which Triton does not name`,
      );
    if (batching) {
      const first = t.shape?.dim?.[0];
      if (!first || first.dim_param === undefined)
        throw new RangeError(
          `writeTritonRepository: ${what} '${v.name}' has a fixed dim 0; export with dynamicBatch (or pass maxBatch: 0)`,
        );
      return { name: v.name, dataType, dims: dims.slice(1) };
    }
    return { name: v.name, dataType, dims };
  });
}

function tensorBlock(t: TritonTensorConfig): string {
  return [
    '  {',
    `    name: ${JSON.stringify(t.name)}`,
    `    data_type: ${tritonType(t.dataType)}`,
    `    dims: [ ${t.dims.join(', ')} ]`,
    '  }',
  ].join('\n');
}

/**
 * The text of a Triton `config.pbtxt` for an ONNX model served by the onnxruntime backend.
 *
 * @example
 * ```ts
 * tritonConfig({ name: 'mnist', maxBatch: 64, inputs: [{ name: 'input', dataType: 'float32', dims: [1, 28, 28] }],
 *   outputs: [{ name: 'output', dataType: 'float32', dims: [10] }] });
 * ```
 */
export function tritonConfig(
  options: TritonRepositoryOptions & {
    inputs: readonly TritonTensorConfig[];
    outputs: readonly TritonTensorConfig[];
  },
): string {
  const maxBatch = options.maxBatch ?? 64;
  const lines = [
    `name: ${JSON.stringify(options.name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${maxBatch}`,
    `input [\n${options.inputs.map(tensorBlock).join(',\n')}\n]`,
    `output [\n${options.outputs.map(tensorBlock).join(',\n')}\n]`,
  ];
  if (maxBatch > 0) {
    const dyn: string[] = [];
    if (options.preferredBatchSizes?.length)
      dyn.push(`  preferred_batch_size: [ ${options.preferredBatchSizes.join(', ')} ]`);
    dyn.push(`  max_queue_delay_microseconds: ${options.maxQueueDelayMicroseconds ?? 2000}`);
    lines.push(`dynamic_batching {\n${dyn.join('\n')}\n}`);
  }
  if (options.instanceGroup) {
    const { count, kind } = options.instanceGroup;
    lines.push(`instance_group [\n  {\n    count: ${count}\n    kind: ${kind}\n  }\n]`);
  }
  return `${lines.join('\n')}\n`;
}

function checkInteger(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`writeTritonRepository: ${name} must be an integer >= ${min}, got ${v}`);
}

/**
 * Writes a Triton / KServe model repository entry for ONNX `bytes`:
 * `<dir>/<name>/config.pbtxt` (platform `onnxruntime_onnx`, `max_batch_size`, dynamic batching,
 * input and output dims without the batch dim) and `<dir>/<name>/<version>/model.onnx`.
 * Inputs and outputs default to the graph's own (names, types, dims). Files are written
 * atomically. Point Triton at `dir`: `tritonserver --model-repository=<dir>`. Node only (also
 * exported by `@gd/onnx/node`); {@link tritonConfig} gives the config text anywhere.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(model, randn([2, 1, 28, 28]));
 * writeTritonRepository(bytes, 'model_repository', { name: 'mnist', maxBatch: 64 });
 * // model_repository/mnist/config.pbtxt, model_repository/mnist/1/model.onnx
 * ```
 */
export function writeTritonRepository(
  bytes: Uint8Array,
  dir: string,
  options: TritonRepositoryOptions,
): TritonRepositoryFiles {
  const { name } = options;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..')
    throw new RangeError(
      `writeTritonRepository: the model name must be letters, digits, '_', '-' or '.', got ${JSON.stringify(name)}`,
    );
  const maxBatch = options.maxBatch ?? 64;
  const version = options.version ?? 1;
  checkInteger('maxBatch', maxBatch, 0);
  checkInteger('version', version, 1);
  if (options.maxQueueDelayMicroseconds !== undefined)
    checkInteger('maxQueueDelayMicroseconds', options.maxQueueDelayMicroseconds, 0);
  const graph = options.inputs && options.outputs ? null : decodeOnnx(bytes).graph;
  const inputs = options.inputs ?? fromGraph(graph!.input, maxBatch > 0, 'input');
  const outputs = options.outputs ?? fromGraph(graph!.output, maxBatch > 0, 'output');
  const config = tritonConfig({ ...options, maxBatch, inputs, outputs });
  const modelDir = join(dir, name);
  makeDirectory(join(modelDir, String(version)));
  const files = {
    config: join(modelDir, 'config.pbtxt'),
    model: join(modelDir, String(version), 'model.onnx'),
  };
  saveOnnx(bytes, files.model);
  saveOnnx(new TextEncoder().encode(config), files.config);
  return files;
}
