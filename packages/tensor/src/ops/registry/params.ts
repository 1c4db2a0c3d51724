/**
 * Argument checking for registry ops, generated from their typed parameters: every method and
 * function made from an entry reads its arguments through {@link resolveParams}, so a wrong
 * kind, an unknown option or an out-of-range value throws an error that names the op and the
 * parameter, in every layer alike.
 */
import type { GeneratedUnaryOp, ParamSpec, UnaryOp } from './elementwise.js';
import type { UNARY_REGISTRY } from './elementwise.js';
import { unaryEntry } from './elementwise.js';
import { describe } from '../../check.js';

type EntryOf<K extends UnaryOp> = (typeof UNARY_REGISTRY)[K];
type ParamsOf<K extends UnaryOp> =
  EntryOf<K> extends { readonly params: infer P extends readonly ParamSpec[] } ? P : readonly [];
type Positional<P extends readonly ParamSpec[]> = { -readonly [I in keyof P]?: number };
type Named<P extends readonly ParamSpec[]> = { readonly [S in P[number] as S['name']]?: number };

/** The arguments of a generated op: its parameters positionally, or as one options object. */
export type OpArgs<K extends UnaryOp> =
  ParamsOf<K> extends readonly [] ? [] : Positional<ParamsOf<K>> | [options: Named<ParamsOf<K>>];

/** The generated unary methods of a tensor class `T`: `x.elu(alpha)` and in place `x.elu_(alpha)`. */
export type GeneratedUnaryMethods<T> = {
  [K in GeneratedUnaryOp]: (...args: OpArgs<K>) => T;
} & {
  [K in GeneratedUnaryOp as `${K}_`]: (...args: OpArgs<K>) => T;
};

function checkValue(op: string, spec: ParamSpec, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${op}: ${spec.name} must be a number, got ${describe(value)}`);
  }
  if (spec.range === 'finite' && !Number.isFinite(value)) {
    throw new RangeError(`${op}: ${spec.name} must be finite, got ${value}`);
  }
  if (spec.range === 'positive' && !(value > 0)) {
    throw new RangeError(`${op}: ${spec.name} must be positive, got ${value}`);
  }
  if (spec.range === 'nonNegative' && !(value >= 0)) {
    throw new RangeError(`${op}: ${spec.name} must be >= 0, got ${value}`);
  }
  return value;
}

const isOptions = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * The parameter values of a call to `op` (positional numbers or one options object), with the
 * defaults filled in, in the entry's order (the kernels' slot order).
 *
 * @example
 * ```ts
 * resolveParams('elu', [{ alpha: 0.5 }]); // [0.5]
 * resolveParams('elu', ['a']); // TypeError: elu: alpha must be a number, got the string "a"
 * ```
 */
export function resolveParams(op: UnaryOp, args: readonly unknown[]): number[] {
  const specs = unaryEntry(op).params ?? [];
  const names = specs.map((p) => p.name);
  const accepted = names.length ? names.join(', ') : 'none';
  if (args.length === 1 && isOptions(args[0]) && specs.length > 0) {
    const options = args[0];
    for (const key of Object.keys(options)) {
      if (!names.includes(key)) {
        throw new TypeError(`${op}: unknown option '${key}' (accepted: ${accepted})`);
      }
    }
    return specs.map((p) =>
      options[p.name] === undefined ? p.default : checkValue(op, p, options[p.name]),
    );
  }
  if (args.length > specs.length) {
    throw new TypeError(
      `${op} takes ${specs.length === 0 ? 'no arguments' : `at most ${specs.length} argument${specs.length > 1 ? 's' : ''} (${accepted})`}, got ${args.length}: ${args.map(describe).join(', ')}`,
    );
  }
  return specs.map((p, i) => (args[i] === undefined ? p.default : checkValue(op, p, args[i])));
}
