/**
 * Building an ONNX graph: nodes with typed attributes, initializers stored as little-endian
 * `raw_data`, shared small constants, and unique names.
 */
import type { DType } from '@gd/tensor';
import type { AttributeProto, NodeProto, TensorProto } from './proto.js';
import { AttributeType, OnnxDataType } from './proto.js';

/** Element types the exporter writes: gd's dtypes plus int64 (ONNX's shape and index type). */
export type ElemType = DType | 'int64';

/** One attribute value, tagged with its ONNX attribute type. */
export type AttrValue =
  | { readonly f: number }
  | { readonly i: number }
  | { readonly s: string }
  | { readonly floats: readonly number[] }
  | { readonly ints: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly t: TensorProto };

/** Constructors of tagged attribute values. */
export const attr = {
  int: (i: number): AttrValue => ({ i }),
  float: (f: number): AttrValue => ({ f }),
  string: (s: string): AttrValue => ({ s }),
  ints: (ints: readonly number[]): AttrValue => ({ ints }),
  floats: (floats: readonly number[]): AttrValue => ({ floats }),
  strings: (strings: readonly string[]): AttrValue => ({ strings }),
  tensor: (t: TensorProto): AttrValue => ({ t }),
};

/** The ONNX `TensorProto.DataType` of an element type. */
export function onnxDataType(dtype: ElemType): number {
  switch (dtype) {
    case 'float32':
      return OnnxDataType.FLOAT;
    case 'float64':
      return OnnxDataType.DOUBLE;
    case 'int32':
      return OnnxDataType.INT32;
    case 'int64':
      return OnnxDataType.INT64;
    case 'bool':
      return OnnxDataType.BOOL;
  }
}

const BYTES: Record<ElemType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/** Elements as little-endian bytes (`raw_data`), whatever the host's byte order. */
export function rawData(dtype: ElemType, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n * BYTES[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    switch (dtype) {
      case 'float32':
        view.setFloat32(i * 4, v, true);
        break;
      case 'float64':
        view.setFloat64(i * 8, v, true);
        break;
      case 'int32':
        view.setInt32(i * 4, v, true);
        break;
      case 'int64':
        view.setBigInt64(i * 8, BigInt(v), true);
        break;
      case 'bool':
        out[i] = v ? 1 : 0;
        break;
    }
  }
  return out;
}

/** A TensorProto holding `values` (row-major) of `shape`. */
export function tensorProto(
  name: string,
  dtype: ElemType,
  shape: readonly number[],
  values: ArrayLike<number>,
): TensorProto {
  const n = shape.reduce((a, b) => a * b, 1);
  if (values.length !== n)
    throw new Error(
      `tensor '${name}': ${values.length} values for shape [${shape.join(', ')}] (${n} elements)`,
    );
  return {
    name,
    dims: [...shape],
    data_type: onnxDataType(dtype),
    raw_data: rawData(dtype, values),
  };
}

function attributeProto(name: string, value: AttrValue): AttributeProto {
  if ('f' in value) return { name, type: AttributeType.FLOAT, f: value.f };
  if ('i' in value) return { name, type: AttributeType.INT, i: value.i };
  if ('s' in value)
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.s) };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('strings' in value) {
    const bytes = value.strings.map((v) => new TextEncoder().encode(v));
    return { name, type: AttributeType.STRINGS, strings: bytes };
  }
  return { name, type: AttributeType.TENSOR, t: value.t };
}

/** Accumulates the nodes and initializers of one graph, with unique names. */
export class GraphBuilder {
  /** Nodes, in topological order (each added after its inputs exist). */
  readonly nodes: NodeProto[] = [];
  /** Initializers: parameters, buffers and constants. */
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly shared = new Map<string, string>();
  private constantCount = 0;
  /** What is being emitted now (set by the exporter), recorded as each new constant's origin. */
  origin: (() => string) | null = null;
  /** Where each constant came from (see {@link GraphBuilder.origin}). */
  readonly constantOrigins = new Map<string, () => string>();

  constructor(
    /** The opset version the nodes are written for. */
    readonly opset: number,
  ) {}

  /** Reserves `name`, or `name_1`, `name_2`, ... when taken. */
  unique(name: string): string {
    let candidate = name;
    for (let k = 1; this.names.has(candidate); k++) candidate = `${name}_${k}`;
    this.names.add(candidate);
    return candidate;
  }

  /** Whether a value or node name is already used. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * Adds a node named `${name}` (made unique) and returns its output names
   * (`${nodeName}_output_${k}`). An empty input name marks an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttrValue>> = {},
    options: { name?: string; outputs?: number } = {},
  ): string[] {
    const name = this.unique(options.name ?? `/${opType}`);
    const outputs = Array.from({ length: options.outputs ?? 1 }, (_, k) =>
      this.unique(`${name}_output_${k}`),
    );
    const node: NodeProto = { name, op_type: opType, input: [...inputs], output: outputs };
    const attrs = Object.entries(attributes).map(([k, v]) => attributeProto(k, v));
    if (attrs.length) node.attribute = attrs;
    this.nodes.push(node);
    return outputs;
  }

  /** Adds an initializer under exactly `name` (which must be free). */
  initializer(
    name: string,
    dtype: ElemType,
    shape: readonly number[],
    values: ArrayLike<number>,
  ): string {
    if (this.names.has(name)) throw new Error(`duplicate ONNX value name '${name}'`);
    this.names.add(name);
    this.initializers.push(tensorProto(name, dtype, shape, values));
    return name;
  }

  /**
   * A constant initializer named `const_N`. Constants of up to 64 elements with equal dtype,
   * shape and values share one initializer.
   */
  constant(dtype: ElemType, shape: readonly number[], values: ArrayLike<number>): string {
    const small = values.length <= 64;
    const key = small ? `${dtype}|${shape.join(',')}|${Array.from(values).join(',')}` : '';
    if (small) {
      const hit = this.shared.get(key);
      if (hit !== undefined) return hit;
    }
    const name = this.unique(`const_${this.constantCount++}`);
    this.names.delete(name);
    this.initializer(name, dtype, shape, values);
    if (small) this.shared.set(key, name);
    this.constantOrigins.set(name, this.origin ?? (() => 'the graph'));
    return name;
  }

  /** A 1-d int64 constant (shapes, axes, pads, starts/ends). */
  int64s(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }

  /** A 0-d constant of `dtype`. */
  scalar(value: number, dtype: ElemType): string {
    return this.constant(dtype, [], [value]);
  }
}
