/**
 * Turning a traced autograd graph into ONNX nodes. Values are produced on demand, starting from
 * the outputs: asking for an op's value runs that op's row of the table ({@link OP_TABLE} in
 * ops.ts), which asks for its inputs' values in turn. So the nodes come out in topological order,
 * and ops that a pattern folded into another node (the matmul and transpose inside a Gemm, the
 * unfold inside a Conv) are never emitted.
 *
 * Every value carries where the (dynamic) batch size sits in its shape ({@link BatchDim}).
 * Shape-changing nodes use it to keep the batch size symbolic (0 or -1 in Reshape shapes).
 */
import type { DType, NDArray } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import type { Origin } from '@gd/autograd';
import { AccumulateGrad, OpNode, originOf } from '@gd/autograd';
import type { AttrValue, ElemType } from './graph.js';
import { GraphBuilder, attr, onnxDataType } from './graph.js';
import type { ModuleSite, Trace } from './trace.js';
import { describeSite } from './trace.js';
import { NOT_EXPORTED } from './not-exported.js';

/** A value of the ONNX graph, with what gd knew about it at trace time. */
export interface Value {
  /** The ONNX value name. */
  readonly name: string;
  /** Its shape at trace time. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Where the batch size sits in this value's shape (null: nowhere). */
  readonly batch: BatchDim | null;
  /** Dims whose size depends on the input's values (symbolic in graph outputs). */
  readonly dataDims?: readonly number[];
  /** The values of a constant leaf (not a parameter, buffer or graph input). */
  readonly constant?: NDArray;
}

/**
 * Where the (dynamic) batch size sits in a value's shape: dim `axis` has size
 * `outer * batch * inner` at run time (outer and inner are fixed; both 1 unless reshapes merged
 * the batch dim with others). `inner` locates the batch factor inside a merged dim.
 */
export interface BatchDim {
  readonly axis: number;
  readonly inner: number;
}

/** What an op's row returns: the output value's name and where its batch dim is. */
export interface Emitted {
  readonly name: string;
  readonly batch: BatchDim | null;
  /** The op's further outputs, for ops with several (sort's indices, unique's counts). */
  readonly more?: readonly Emitted[];
  /** Dims whose size depends on the input's values (unique, bincount): symbolic in the graph. */
  readonly dataDims?: readonly number[];
}

/** `b` moved to another axis (null stays null). */
export function atAxis(b: BatchDim | null, axis: number | null): BatchDim | null {
  return b === null || axis === null ? null : { axis, inner: b.inner };
}

/** One row of the op table: emits the ONNX nodes for one recorded op. */
export type OpEmitter = (c: NodeContext) => Emitted;

/**
 * An export that cannot be written faithfully: an op with no row in the table (or a form its row
 * does not cover), or a graph that depends on the example input's values. The message names
 * the gd op and the module path it was recorded in.
 *
 * @example
 * ```ts
 * try {
 *   exportOnnx(model, x);
 * } catch (e) {
 *   if (e instanceof OnnxExportError) console.error(e.message); // ... gd op 'atan2' ... module 'head' (Head)
 * }
 * ```
 */
export class OnnxExportError extends Error {
  /** The class's name, which stack traces and `String(error)` show. */
  override readonly name = 'OnnxExportError';
}

/** Options the exporter runs with. */
export interface EmitOptions {
  readonly opset: number;
  readonly dynamicBatch: boolean;
  readonly inputNames: readonly string[];
}

/** The state of one export: the graph being built and the values made so far. */
export class Exporter {
  readonly graph: GraphBuilder;
  private readonly nodeValues = new Map<OpNode<unknown>, Value>();
  private readonly moreOutputs = new Map<OpNode<unknown>, readonly Emitted[]>();
  private readonly leafValues = new Map<Tensor, Value>();

  constructor(
    readonly trace: Trace,
    readonly table: Readonly<Record<string, OpEmitter>>,
    readonly options: EmitOptions,
  ) {
    this.graph = new GraphBuilder(options.opset);
  }

  get opset(): number {
    return this.options.opset;
  }

  /** The value of a traced tensor (a graph output). */
  valueOfTensor(t: Tensor): Value {
    if (t.gradFn instanceof OpNode) return this.valueOfNode(t.gradFn, t.shape, t.dtype);
    if (t.gradFn === null) return this.valueOfLeaf(t);
    throw new OnnxExportError(`exportOnnx: cannot export a tensor computed by ${t.gradFn.name}`);
  }

  /** The value computed by `node` (emitted on first use). */
  valueOfNode(node: OpNode<unknown>, shape: readonly number[], dtype: DType): Value {
    const known = this.nodeValues.get(node);
    if (known) return known;
    const emitter = this.table[node.op];
    const c = new NodeContext(this, node, shape, dtype);
    if (!emitter) {
      const why = NOT_EXPORTED[node.op];
      throw new OnnxExportError(
        `exportOnnx: gd op '${node.op}' (${node.name}) has no ONNX mapping${why ? ` (${why})` : ''}; it was recorded in module ${describeSite(c.site)}. ` +
          `Ops with a mapping: ${Object.keys(this.table).sort().join(', ')}.`,
      );
    }
    const previous = this.graph.origin;
    this.graph.origin = () => `gd op '${node.op}' (${node.name}) in module ${describeSite(c.site)}`;
    let out: Emitted;
    try {
      out = emitter(c);
    } finally {
      this.graph.origin = previous;
    }
    const value: Value = {
      name: out.name,
      shape,
      dtype,
      batch: out.batch,
      ...(out.dataDims ? { dataDims: out.dataDims } : {}),
    };
    this.nodeValues.set(node, value);
    if (out.more) this.moreOutputs.set(node, out.more);
    return value;
  }

  /** The value of output `o.output` of the op a tensor without a gradFn came from. */
  valueOfOrigin(o: Origin): Value {
    const first = this.valueOfNode(o.node, o.shapes[0]!, o.dtypes[0]!);
    if (o.output === 0) return first;
    const out = this.moreOutputs.get(o.node)?.[o.output - 1];
    if (!out)
      throw new OnnxExportError(
        `exportOnnx: the ONNX mapping of gd op '${o.node.op}' writes no output ${o.output}`,
      );
    return {
      name: out.name,
      shape: o.shapes[o.output]!,
      dtype: o.dtypes[o.output]!,
      batch: out.batch,
      ...(out.dataDims ? { dataDims: out.dataDims } : {}),
    };
  }

  /** The value of a leaf: a graph input, a parameter or buffer, a view of one, or a constant. */
  valueOfLeaf(t: Tensor): Value {
    const known = this.leafValues.get(t);
    if (known) return known;
    const origin = originOf(t);
    const value = origin ? this.valueOfOrigin(origin) : this.makeLeaf(t);
    this.leafValues.set(t, value);
    return value;
  }

  private makeLeaf(t: Tensor): Value {
    const base = { shape: t.shape, dtype: t.dtype };
    const k = this.trace.inputs.indexOf(t);
    if (k >= 0) {
      return {
        ...base,
        name: this.options.inputNames[k]!,
        batch: this.options.dynamicBatch ? { axis: 0, inner: 1 } : null,
      };
    }
    const named = this.trace.named.get(t);
    if (named !== undefined) {
      const values = t.value.contiguous().data;
      this.graph.initializer(named, t.dtype, t.shape, values);
      return { ...base, name: named, batch: null };
    }
    // A view of a parameter or buffer that was not recorded (e.g. `buffer.reshape(...)`): the
    // named initializer, reshaped.
    const owner = t.base ? this.trace.named.get(t.base) : undefined;
    if (owner !== undefined && t.base && t.value.isContiguous() && t.numel() === t.base.numel()) {
      const whole = this.valueOfLeaf(t.base);
      const [name] = this.graph.node(
        'Reshape',
        [whole.name, this.graph.int64s(t.shape)],
        {},
        {
          name: `/${owner}/Reshape`,
        },
      );
      return { ...base, name: name!, batch: null };
    }
    const array = t.value.contiguous();
    return {
      ...base,
      name: this.graph.constant(t.dtype, t.shape, array.data),
      batch: null,
      constant: array,
    };
  }
}

/** The ONNX name prefix of nodes recorded in the module at `path`. */
function prefixOf(path: string): string {
  return path === '' ? '' : `/${path.split('.').join('/')}`;
}

/** What one op's row sees: its node, its inputs (made on demand) and the graph. */
export class NodeContext {
  private siteCache: ModuleSite | null = null;

  constructor(
    readonly exporter: Exporter,
    /** The recorded op. */
    readonly node: OpNode<unknown>,
    /** The op's output shape and dtype (as its consumer saw them). */
    readonly outShape: readonly number[],
    readonly outDtype: DType,
  ) {}

  /** The op's name in its table. */
  get op(): string {
    return this.node.op;
  }

  /** The op's attributes. */
  attrs<A>(): A {
    return this.node.attrs as A;
  }

  /** The module the op was recorded in. */
  get site(): ModuleSite {
    this.siteCache ??= this.exporter.trace.siteOf(this.node);
    return this.siteCache;
  }

  get opset(): number {
    return this.exporter.opset;
  }

  get graph(): GraphBuilder {
    return this.exporter.graph;
  }

  /** Whether dim 0 of the inputs is symbolic. */
  get dynamicBatch(): boolean {
    return this.exporter.options.dynamicBatch;
  }

  /** Number of inputs. */
  get arity(): number {
    return this.node.inputs.length;
  }

  /** Shape of input i at trace time. */
  shape(i: number): readonly number[] {
    return this.node.shapes[i]!;
  }

  /** Dtype of input i. */
  dtype(i: number): DType {
    return this.node.dtypes[i]!;
  }

  /** The recorded op that produced input i, or null for leaves and constants. */
  producer(i: number): OpNode<unknown> | null {
    const edge = this.node.next[i];
    return edge instanceof OpNode ? edge : null;
  }

  /** The leaf tensor at input i (graph input, parameter or constant), or null. */
  leaf(i: number): Tensor | null {
    const edge = this.node.next[i];
    if (edge instanceof AccumulateGrad) return edge.variable;
    if (edge === null || edge === undefined) return this.node.inputs[i] ?? null;
    return null;
  }

  /** Whether input i is a parameter, a buffer or a constant (fixed at export time). */
  isFixed(i: number): boolean {
    const t = this.leaf(i);
    return t !== null && !this.exporter.trace.inputs.includes(t) && originOf(t) === null;
  }

  /** A context for another recorded op (to look into patterns, and to make its inputs). */
  at(node: OpNode<unknown>, outShape: readonly number[] = [], outDtype?: DType): NodeContext {
    return new NodeContext(this.exporter, node, outShape, outDtype ?? this.outDtype);
  }

  /** The value of input i (emitting what computes it, once). */
  value(i: number): Value {
    const edge = this.node.next[i];
    if (edge instanceof OpNode)
      return this.exporter.valueOfNode(edge, this.shape(i), this.dtype(i));
    const t = this.leaf(i);
    if (t) return this.exporter.valueOfLeaf(t);
    throw this.error(`input ${i} comes from ${edge?.name ?? 'nothing'}`);
  }

  /** The ONNX name of input i. */
  name(i: number): string {
    return this.value(i).name;
  }

  /** The ONNX name of input i in `dtype` (a Cast, or a converted constant, when needed). */
  nameAs(i: number, dtype: ElemType): string {
    return this.cast(this.value(i), dtype);
  }

  /** `v` converted to `dtype`. */
  cast(v: Value, dtype: ElemType): string {
    if (v.dtype === dtype) return v.name;
    if (v.constant) {
      const values = v.constant.to(dtype === 'int64' ? 'int32' : dtype).data;
      return this.graph.constant(dtype, v.shape, values);
    }
    return this.emit('Cast', [v.name], { to: attr.int(onnxDataType(dtype)) });
  }

  /** Adds a node named after the op's module and returns its outputs. */
  emitMany(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttrValue>> = {},
    outputs = 1,
  ): string[] {
    return this.graph.node(opType, inputs, attributes, {
      name: `${prefixOf(this.site.path)}/${opType}`,
      outputs,
    });
  }

  /** Adds a one-output node and returns its output. */
  emit(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttrValue>> = {},
  ): string {
    return this.emitMany(opType, inputs, attributes, 1)[0]!;
  }

  /** A 1-d int64 constant. */
  int64s(values: readonly number[]): string {
    return this.graph.int64s(values);
  }

  /** A 0-d constant. */
  scalar(value: number, dtype: ElemType): string {
    return this.graph.scalar(value, dtype);
  }

  /**
   * The batch dim of an elementwise result: that of the first input having one, aligned from
   * the right (broadcasting).
   */
  broadcastBatch(values: readonly Value[], rank = this.outShape.length): BatchDim | null {
    for (const v of values) {
      if (v.batch !== null) return atAxis(v.batch, v.batch.axis + (rank - v.shape.length));
    }
    return null;
  }

  /** An error naming the op and the module it was recorded in. */
  error(message: string): OnnxExportError {
    return new OnnxExportError(
      `exportOnnx: cannot export gd op '${this.op}' (${this.node.name}) recorded in module ${describeSite(this.site)}: ${message}`,
    );
  }
}
