/** exportOnnx: trace a module, map its ops through the table, and serialise the ONNX model. */
import { Tensor, cat, noGrad, originOf } from '@gd/autograd';
import { Module as ModuleClass } from '@gd/nn';
import type { Module } from '@gd/nn';
import type { ArgKind } from '@gd/tensor';
import { NDArray, checkOptionsSchema, describe } from '@gd/tensor';
import type { Value } from './emit.js';
import { Exporter, OnnxExportError } from './emit.js';
import type { GraphBuilder } from './graph.js';
import { onnxDataType } from './graph.js';
import { OP_TABLE } from './ops.js';
import type { DimensionProto, ModelProto, TensorProto, ValueInfoProto } from './proto.js';
import { decodeOnnx, encodeModel } from './proto.js';
import type { AnyModule, Trace } from './trace.js';
import { traceModule } from './trace.js';
import { GD_ONNX_VERSION } from './version.js';

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = {
 *   opset: 17,
 *   inputNames: ['input'],
 *   outputNames: ['logits'],
 *   metadata: { normalization_mean: '[0.1307]', normalization_std: '[0.3081]' },
 * };
 * ```
 */
export interface ExportOnnxOptions {
  /** The ONNX opset (default 17; 13 to 22 are supported). */
  opset?: number;
  /** Graph input names (default `input`, or `input_0`, `input_1`, ... for several inputs). */
  inputNames?: string[];
  /** Graph output names (default `output`, or `output_0`, ... for several outputs). */
  outputNames?: string[];
  /** Make dim 0 of every input and output the symbolic `batch` dim (default true). */
  dynamicBatch?: boolean;
  /**
   * More symbolic dims, as PyTorch's `dynamic_axes`: by input or output name, dim -> its name,
   * e.g. `{ input: { 1: 'seq' }, output_0: { 1: 'seq' } }` for a batchFirst LSTM, whose ONNX
   * LSTM node runs on any sequence length. With `checkConstants`, the second trace also grows
   * each such input dim by one, so an export whose nodes bake in its traced size throws.
   */
  dynamicAxes?: Record<string, Record<number, string>>;
  /**
   * Metadata props stored in the model (`ModelProto.metadata_props`), e.g. the input
   * normalisation, class labels and a training summary. The keys `producer` and
   * `producer_version` are set by the exporter unless given here.
   */
  metadata?: Record<string, string>;
  /** The model's doc string (default: the module printed). */
  docString?: string;
  /**
   * Trace a second time, on the example with its batch rows rotated (and one row more with
   * `dynamicBatch`), and throw if the graph changed: a constant computed from the input by ops
   * autograd does not record (e.g. `where(x.gt(0), ...)`) would be frozen, and one holding the
   * traced batch size would break other batch sizes (default true; doubles the export time).
   */
  checkConstants?: boolean;
}

// What each export option takes, checked with @gd/tensor's shared checker.
const EXPORT_OPTIONS = {
  opset: 'int',
  inputNames: 'strings',
  outputNames: 'strings',
  dynamicBatch: 'bool',
  dynamicAxes: 'axes',
  metadata: 'record',
  docString: 'string',
  checkConstants: 'bool',
};
const EXPORT_KINDS: Readonly<Record<string, ArgKind>> = {
  strings: {
    test: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
    accepts: 'an array of strings',
    wrong: 'input',
  },
  axes: {
    test: (v) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.values(v).every(
        (dims) =>
          typeof dims === 'object' &&
          dims !== null &&
          !Array.isArray(dims) &&
          Object.entries(dims as object).every(
            ([d, n]) => /^\d+$/.test(d) && typeof n === 'string' && n !== '',
          ),
      ),
    accepts: 'an object of { dim: name } objects by input or output name',
    wrong: { input: [1] },
  },
  record: {
    test: (v) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.values(v).every((e) => typeof e === 'string'),
    accepts: 'an object of string values',
    wrong: { epochs: 3 },
  },
};

/**
 * The module and example inputs of an export or a check, checked: NDArray inputs are taken as
 * Tensors (the model's input as data).
 */
export function checkModelInputs(fn: string, module: unknown, inputs: unknown): Tensor[] {
  if (!(module instanceof ModuleClass))
    throw new TypeError(`${fn}: module must be an nn Module, got ${describe(module)}`);
  const list: unknown[] = Array.isArray(inputs) ? [...(inputs as unknown[])] : [inputs];
  return list.map((x, i) => {
    if (x instanceof Tensor) return x;
    if (x instanceof NDArray) return Tensor.fromArray(x);
    throw new TypeError(
      `${fn}: ${Array.isArray(inputs) ? `input ${i}` : 'input'} must be a Tensor or an NDArray, got ${describe(x)}`,
    );
  });
}

/**
 * Another example for the second trace: the batch rows rotated by one, plus (with a dynamic
 * batch) one more row, so that constants derived from the values or from the batch size change.
 */
function perturbed(input: Tensor, dynamicBatch: boolean, grow: readonly number[]): Tensor {
  return noGrad(() => {
    let x = input;
    for (const d of grow) {
      if (d === 0 && dynamicBatch) continue;
      const one = x.narrow(d, 0, 1);
      const floating = x.dtype === 'float32' || x.dtype === 'float64';
      x = cat([x, floating ? one.mul(1.5) : one], d);
    }
    const n = x.ndim > 0 ? x.shape[0]! : 0;
    if (n === 0) return x.clone();
    const floating = x.dtype === 'float32' || x.dtype === 'float64';
    const rotated = n >= 2 ? cat([x.narrow(0, 1, n - 1), x.narrow(0, 0, 1)], 0) : x.clone();
    if (!dynamicBatch) return n >= 2 || !floating ? rotated : x.mul(1.5);
    const extra = x.narrow(0, 0, 1);
    return cat([rotated, floating ? extra.mul(1.5) : extra], 0);
  });
}

/** Throws when the exports of the same module on the two examples differ. */
function checkSameGraph(
  a: GraphBuilder,
  b: GraphBuilder,
  batchSize: number | null,
  dynamicAxes: boolean,
): void {
  const grown = dynamicAxes ? ', its dynamicAxes dims one longer' : '';
  const ops = (g: GraphBuilder): string => g.nodes.map((n) => n.op_type).join(' ');
  const constants = (g: GraphBuilder): TensorProto[] =>
    g.initializers.filter((t) => g.constantOrigins.has(t.name!));
  const ca = constants(a);
  const cb = constants(b);
  if (ops(a) !== ops(b) || ca.length !== cb.length) {
    throw new OnnxExportError(
      "exportOnnx: the traced graph depends on the example input (a second trace, on the example's rows rotated" +
        (batchSize !== null ? ' and one row more' : '') +
        grown +
        ', recorded different ops): control flow that reads tensor values, the batch size or a dynamic dim cannot be exported',
    );
  }
  ca.forEach((t, i) => {
    const u = cb[i]!;
    const origin = (): string => a.constantOrigins.get(t.name!)!();
    const [ra, rb] = [t.raw_data!, u.raw_data!];
    const n = Math.min(ra.length, rb.length);
    let sameValues = true;
    for (let k = 0; k < n && sameValues; k++) sameValues = ra[k] === rb[k];
    if (!sameValues && dynamicAxes && t.dims.join() === u.dims.join()) {
      throw new OnnxExportError(
        `exportOnnx: a constant of shape [${t.dims.join(', ')}] used by ${origin()} differs when traced on another example (rows rotated${grown}): ` +
          'it holds the traced size of a dynamic dim (e.g. an index like out.select(1, L - 1)), or was computed from the input by ops autograd does not record. ' +
          'Keep the dim out of dynamicAxes, or compute it with recorded ops (for the last step of an RNN, its final state hN).',
      );
    }
    if (!sameValues) {
      throw new OnnxExportError(
        `exportOnnx: a constant of shape [${t.dims.join(', ')}] used by ${origin()} depends on the example input's values: ` +
          'it was computed from the input by ops autograd does not record (comparisons such as x.gt(0), argmax, integer arithmetic, .item()), so the exported model would freeze it. ' +
          'Compute it with recorded ops instead (relu, clamp, maximum, ...), or pass checkConstants: false if it really is constant.',
      );
    }
    if (t.dims.join() !== u.dims.join() && dynamicAxes) {
      throw new OnnxExportError(
        `exportOnnx: a constant used by ${origin()} has a traced size in its shape ([${t.dims.join(', ')}], but [${u.dims.join(', ')}] when traced with one row more${grown}), ` +
          'so the model would only run at that size. Derive it from the input with recorded ops, or keep the dim static.',
      );
    }
    if (t.dims.join() !== u.dims.join()) {
      throw new OnnxExportError(
        `exportOnnx: a constant used by ${origin()} has the traced batch size in its shape ([${t.dims.join(', ')}], but [${u.dims.join(', ')}] when traced with one row more), ` +
          `so the model would only run at batch ${batchSize}. Derive it from the input with recorded ops, or export with dynamicBatch: false.`,
      );
    }
  });
}

/**
 * The lowest opset the op table is written for (Squeeze/Unsqueeze/ReduceSum axes as inputs).
 *
 * @example
 * ```ts
 * exportOnnx(model, x, { opset: MIN_OPSET });
 * ```
 */
export const MIN_OPSET = 13;
/**
 * The highest opset the op table is written for (the IR version follows the opset).
 *
 * @example
 * ```ts
 * exportOnnx(model, x, { opset: MAX_OPSET }); // GELU as one Gelu node (opset 20+)
 * ```
 */
export const MAX_OPSET = 22;

/** IR version by opset (onnx/onnx's docs/Versioning.md). */
function irVersion(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function names(
  given: readonly string[] | undefined,
  count: number,
  stem: string,
  what: string,
): string[] {
  const out = given
    ? [...given]
    : count === 1
      ? [stem]
      : Array.from({ length: count }, (_, i) => `${stem}_${i}`);
  if (out.length !== count)
    throw new RangeError(`exportOnnx: ${out.length} ${what} names for ${count} ${what}s`);
  for (const n of out) {
    if (typeof n !== 'string' || n === '')
      throw new TypeError(`exportOnnx: ${what} names must be non-empty strings`);
  }
  return out;
}

function valueInfo(
  name: string,
  v: Value,
  batchSize: number | null,
  axes: Readonly<Record<number, string>> = {},
): ValueInfoProto {
  const dim0 = (d: number): DimensionProto => {
    const b = v.batch;
    if (batchSize === null || b === null || b.axis !== 0) return { dim_value: d };
    // dim 0 holds the batch, possibly merged with fixed factors by reshapes.
    const factor = d / batchSize;
    return { dim_param: factor === 1 ? 'batch' : `batch*${factor}` };
  };
  const info: ValueInfoProto = {
    name,
    type: {
      tensor_type: {
        elem_type: onnxDataType(v.dtype),
        shape: {
          dim: v.shape.map((d, i) =>
            v.dataDims?.includes(i)
              ? { dim_param: `${name}_${i}` }
              : i === 0
                ? dim0(d)
                : { dim_value: d },
          ),
        },
      },
    },
  };
  return withDynamicDims(info, v, batchSize, axes);
}

/**
 * `info` with the batch on the dim the ops put it when that is not dim 0 (dim 1 of an LSTM's
 * hN), and the dims named in `dynamicAxes`.
 */
function withDynamicDims(
  info: ValueInfoProto,
  v: Value,
  batchSize: number | null,
  axes: Readonly<Record<number, string>>,
): ValueInfoProto {
  const dims = info.type.tensor_type.shape.dim;
  const b = v.batch;
  if (batchSize !== null && b !== null && b.axis !== 0) {
    const factor = v.shape[b.axis]! / batchSize;
    dims[b.axis] = { dim_param: factor === 1 ? 'batch' : `batch*${factor}` };
  }
  for (const [i, n] of Object.entries(axes)) dims[Number(i)] = { dim_param: n };
  return info;
}

/**
 * Exports a module to ONNX. The module runs once in eval mode on a copy of `exampleInput` with
 * every op recorded by autograd; each recorded op is written through one table of gd op ->
 * ONNX nodes (Linear becomes Gemm, conv2d Conv, BatchNorm BatchNormalization, ...). Parameters
 * and buffers become initializers named by their state-dict keys. With `dynamicBatch` (the
 * default), dim 0 of inputs and outputs is the symbolic `batch` and no node bakes in the traced
 * batch size. The module's training flags are restored afterwards.
 *
 * Throws an {@link OnnxExportError} naming the op and the module path for an op that has no
 * ONNX mapping.
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { SimpleNN } from '@gd/nn/models';
 * import { exportOnnx, saveOnnx } from '@gd/onnx';
 *
 * const model = new SimpleNN();
 * const bytes = exportOnnx(model, randn([2, 1, 28, 28]), {
 *   metadata: { class_labels: JSON.stringify([...'0123456789']) },
 * });
 * saveOnnx(bytes, 'model.onnx');
 * ```
 */
export function exportOnnx(
  module: Module<never[], unknown> | Module,
  exampleInput: Tensor | readonly Tensor[],
  options: ExportOnnxOptions = {},
): Uint8Array {
  checkOptionsSchema('exportOnnx', options, EXPORT_OPTIONS, EXPORT_KINDS);
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    throw new RangeError(
      `exportOnnx: opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`,
    );
  const dynamicBatch = options.dynamicBatch ?? true;
  const examples = checkModelInputs('exportOnnx', module, exampleInput);
  if (examples.length === 0) throw new RangeError('exportOnnx: no example input');
  if (dynamicBatch) {
    for (const x of examples) {
      if (x.ndim === 0)
        throw new RangeError(
          'exportOnnx: with dynamicBatch, every input needs a batch dim (dim 0); got a 0-d input',
        );
    }
  }
  const inputNames = names(options.inputNames, examples.length, 'input', 'input');
  const model = module as unknown as AnyModule;
  const trace = traceModule(model, examples);
  const outputNames = names(options.outputNames, trace.outputs.length, 'output', 'output');
  const all = [...inputNames, ...outputNames];
  const dynamicAxes = options.dynamicAxes ?? {};
  const ranks = new Map(
    [...trace.inputs, ...trace.outputs].map((t, k) => [all[k]!, t.ndim] as const),
  );
  for (const [n, dims] of Object.entries(dynamicAxes)) {
    const rank = ranks.get(n);
    if (rank === undefined)
      throw new RangeError(
        `exportOnnx: dynamicAxes names '${n}', which is not an input or output (they are ${all.join(', ')})`,
      );
    for (const d of Object.keys(dims).map(Number)) {
      if (d >= rank)
        throw new RangeError(
          `exportOnnx: dynamicAxes['${n}'] has dim ${d}, but '${n}' has ${rank} dims`,
        );
    }
  }
  const axesOf = (n: string): Readonly<Record<number, string>> => dynamicAxes[n] ?? {};
  const grow = (k: number): number[] => Object.keys(axesOf(inputNames[k]!)).map(Number);
  const clash = all.find((n, i) => all.indexOf(n) !== i);
  if (clash !== undefined)
    throw new RangeError(`exportOnnx: duplicate input/output name '${clash}'`);
  const taken = new Set(trace.named.values());
  for (const n of all) {
    if (taken.has(n))
      throw new RangeError(
        `exportOnnx: the name '${n}' is taken by a parameter or buffer of the module`,
      );
  }

  const build = (t: Trace): { exporter: Exporter; values: Value[] } => {
    const exporter = new Exporter(t, OP_TABLE, { opset, dynamicBatch, inputNames });
    for (const n of all) exporter.graph.unique(n);
    // Emit every output first (later outputs may read earlier ones), then name them.
    const values = t.outputs.map((out, k) => {
      if (out.gradFn === null && !t.inputs.includes(out) && originOf(out) === null) {
        throw new OnnxExportError(
          `exportOnnx: output ${k} does not depend on the input through ops autograd records (it is a constant, or was computed by non-differentiable ops such as argmax or comparisons)`,
        );
      }
      return exporter.valueOfTensor(out);
    });
    return { exporter, values };
  };
  const batchSize = dynamicBatch ? examples[0]!.shape[0]! : null;
  const { exporter, values } = build(trace);
  if (options.checkConstants ?? true) {
    // Trace again on another example (rows rotated, one row more): constants computed from the
    // input by ops autograd does not record, or holding the batch size, come out different.
    let again: { exporter: Exporter } | null = null;
    try {
      again = build(
        traceModule(
          model,
          examples.map((x, k) => perturbed(x, dynamicBatch, grow(k))),
        ),
      );
    } catch {
      again = null; // the module refused the other input: nothing to compare
    }
    if (again)
      checkSameGraph(
        exporter.graph,
        again.exporter.graph,
        batchSize,
        Object.keys(dynamicAxes).length > 0,
      );
  }
  const g = exporter.graph;

  const outputs: ValueInfoProto[] = [];
  const renamed = new Map<string, string>();
  values.forEach((v, k) => {
    const outName = outputNames[k]!;
    const current = renamed.get(v.name);
    const producer =
      current === undefined ? g.nodes.find((n) => n.output.includes(v.name)) : undefined;
    if (producer) {
      // The producing node's output becomes the graph output.
      producer.output = producer.output.map((o) => (o === v.name ? outName : o));
      for (const n of g.nodes) n.input = n.input.map((i) => (i === v.name ? outName : i));
      renamed.set(v.name, outName);
    } else {
      g.node('Identity', [current ?? v.name], {}, { name: `/Identity_${outName}` });
      g.nodes[g.nodes.length - 1]!.output = [outName];
    }
    outputs.push(valueInfo(outName, v, batchSize, axesOf(outName)));
  });
  const inputs = trace.inputs.map((t, k) =>
    valueInfo(
      inputNames[k]!,
      {
        name: inputNames[k]!,
        shape: t.shape,
        dtype: t.dtype,
        batch: dynamicBatch ? { axis: 0, inner: 1 } : null,
      },
      batchSize,
      axesOf(inputNames[k]!),
    ),
  );
  // Initializers in state-dict order, then the constants.
  const order = new Map([...trace.named.values()].map((n, i) => [n, i]));
  const rank = (name: string | undefined): number => order.get(name ?? '') ?? order.size;
  g.initializers.sort((a, b) => rank(a.name) - rank(b.name));

  const metadata: Record<string, string> = {
    producer: 'gd',
    producer_version: GD_ONNX_VERSION,
    ...options.metadata,
  };
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string')
      throw new TypeError(`exportOnnx: metadata '${k}' must be a string, got ${typeof v}`);
  }
  const proto: ModelProto = {
    ir_version: irVersion(opset),
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'gd',
    producer_version: GD_ONNX_VERSION,
    doc_string: options.docString ?? model.toString(),
    graph: {
      name: model.typeName,
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: outputs,
    },
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  return encodeModel(proto);
}

/**
 * The metadata of an ONNX model: its `metadata_props`, plus `producer_name` and
 * `producer_version` when the props do not set `producer` / `producer_version`.
 *
 * @example
 * ```ts
 * const meta = readOnnxMetadata(readFileSync('model.onnx'));
 * JSON.parse(meta.class_labels!); // ['0', '1', ...]
 * ```
 */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = decodeOnnx(bytes);
  const out: Record<string, string> = {};
  if (model.producer_name) out.producer = model.producer_name;
  if (model.producer_version) out.producer_version = model.producer_version;
  for (const { key, value } of model.metadata_props) out[key] = value;
  return out;
}
