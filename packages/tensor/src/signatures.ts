/**
 * Method signatures as data: one table says what each public method of an array class takes,
 * and {@link installChecks} makes every listed method check its arguments from it before it
 * runs. NDArray and @gd/autograd's Tensor share the table (its `array` kind is each level's own
 * tensor type), and the misuse tests are generated from the same table.
 */
import { check, describe, isOptionsObject } from './check.js';
import { DTYPES } from './dtype.js';
import { BINARY_REGISTRY } from './ops/registry/elementwise.js';

/** A kind of argument: a test and the words an error message uses for it. */
export interface ArgKind {
  /** Whether a value is of this kind. */
  test(v: unknown): boolean;
  /** What the kind accepts, for messages (`an integer dim`). */
  readonly accepts: string;
  /** A value of the wrong kind, for the generated misuse tests. */
  readonly wrong: unknown;
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const isIntList = (v: unknown): boolean => Array.isArray(v) && v.every(isInt);
const isIntOrList = (v: unknown): boolean => isInt(v) || isIntList(v);
const isPair = (v: unknown): boolean => isInt(v) || (isIntList(v) && (v as unknown[]).length === 2);

/** The kinds that do not depend on the tensor class. */
export const BASE_KINDS = {
  int: { test: isInt, accepts: 'an integer', wrong: '1' },
  dim: { test: isInt, accepts: 'an integer dim', wrong: '1' },
  dims: {
    test: isIntOrList,
    accepts: 'an integer dim or an array of them',
    wrong: '0',
  },
  ints: {
    test: isIntOrList,
    accepts: 'an integer or an array of integers',
    wrong: '2',
  },
  shape: { test: isIntList, accepts: 'an array of integer sizes', wrong: 3 },
  number: { test: (v: unknown) => typeof v === 'number', accepts: 'a number', wrong: '1' },
  bool: { test: (v: unknown) => typeof v === 'boolean', accepts: 'a boolean', wrong: 1 },
  value: {
    test: (v: unknown) => typeof v === 'number' || typeof v === 'boolean',
    accepts: 'a number or a boolean',
    wrong: '0',
  },
  norm: {
    test: (v: unknown) => typeof v === 'number' || v === 'fro',
    accepts: "a number or 'fro'",
    wrong: 'l2',
  },
  generator: {
    test: (v: unknown) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.keys(v).every((k) => k === 'generator'),
    accepts: 'an options object { generator }',
    wrong: { seed: 1 },
  },
  pair: {
    test: isPair,
    accepts: 'an integer or a pair of integers',
    wrong: '3',
  },
  dtype: {
    test: (v: unknown) => typeof v === 'string' && [...DTYPES, 'int64'].includes(v),
    accepts: `one of ${DTYPES.join(', ')}, int64`,
    wrong: 'float16',
  },
  string: { test: (v: unknown) => typeof v === 'string', accepts: 'a string', wrong: 1 },
  options: { test: isOptionsObject, accepts: 'an options object', wrong: 'x' },
  function: { test: (v: unknown) => typeof v === 'function', accepts: 'a function', wrong: 1 },
  // A convolution's padding, as PyTorch's `padding` argument takes it.
  padding: {
    test: (v: unknown) => v === 'valid' || v === 'same' || isPair(v),
    accepts: "an integer, a pair of integers, 'valid' or 'same'",
    wrong: 'full',
  },
} satisfies Record<string, ArgKind>;

/**
 * Checks an options object against a schema of `key: 'kind'` (`'kind|null'` allows null): its
 * keys, then each value's kind. `kinds` adds the caller's own kinds (a Tensor, an enum).
 *
 * @example
 * ```ts
 * checkOptionsSchema('Conv2d', { padding: '1' }, { padding: 'pair', bias: 'bool' });
 * // TypeError: Conv2d: padding must be an integer or a pair of integers, got the string "1"
 * ```
 */
export function checkOptionsSchema<T extends object>(
  fn: string,
  options: unknown,
  schema: Readonly<Record<string, string>>,
  kinds: Readonly<Record<string, ArgKind>> = {},
): T {
  const o = check.options<Record<string, unknown>>(fn, 'options', options, Object.keys(schema));
  for (const [key, spec] of Object.entries(schema)) {
    const v = o[key];
    if (v === undefined) continue;
    const [name, nullable] = spec.split('|');
    if (v === null && nullable === 'null') continue;
    const kind = kinds[name!] ?? (BASE_KINDS as Record<string, ArgKind>)[name!];
    if (!kind) throw new Error(`unknown kind ${name}`);
    if (!kind.test(v))
      throw new TypeError(
        `${fn}: ${key} must be ${kind.accepts}${nullable ? ' or null' : ''}, got ${describe(v)}`,
      );
  }
  return o as T;
}

/**
 * A signature from its text form (`['dim:dim', 'start?:int|null', '...sizes:shape']`), for
 * {@link checkArgs} on functions outside the method table.
 *
 * @example
 * ```ts
 * const sig = signature(['inFeatures:int', 'outFeatures:int', 'bias?:bool']);
 * ```
 */
export function signature(specs: readonly string[]): ParamSig[] {
  return specs.map(parse);
}

/** The kinds a tensor class supplies: its own tensor type, and what it takes as an operand. */
export interface ArrayKinds {
  /** The class's tensor. */
  array: ArgKind;
  /** A tensor or a JS number/boolean. */
  arrayOrNumber: ArgKind;
  /** An int or bool index array (an NDArray, or at the autograd level also a Tensor). */
  index: ArgKind;
  /** Advice appended when a value is of the other level's tensor type. */
  hint?: (v: unknown) => string;
}

type KindName = string;

/** One parameter: its name, kind, and whether it may be omitted or null. */
export interface ParamSig {
  /** The parameter's name, as error messages say it. */
  readonly name: string;
  /** Its kind, a key of {@link BASE_KINDS} or of the class's extra kinds (`array`). */
  readonly kind: KindName;
  /** Whether it may be left out (`dim?:`). */
  readonly optional: boolean;
  /** Whether null is accepted (`:int|null`). */
  readonly nullable: boolean;
  /** `...name`: the rest of the arguments, either as sizes or as one array. */
  readonly rest: boolean;
}

// 'start?:int|null' -> { name: 'start', kind: 'int', optional, nullable }
function parse(spec: string): ParamSig {
  const m = /^(\.\.\.)?(\w+)(\?)?:(\w+)(\|null)?$/.exec(spec);
  if (!m) throw new Error(`bad signature ${spec}`);
  return {
    name: m[2]!,
    kind: m[4] as KindName,
    optional: m[3] === '?' || m[1] === '...',
    nullable: m[5] === '|null',
    rest: m[1] === '...',
  };
}

const RAW = {
  size: ['dim?:dim'],
  view: ['...shape:shape'],
  reshape: ['...shape:shape'],
  viewAs: ['other:array'],
  reshapeAs: ['other:array'],
  transpose: ['dim0:dim', 'dim1:dim'],
  permute: ['...dims:shape'],
  squeeze: ['dim?:dims'],
  unsqueeze: ['dim:dim'],
  expand: ['...sizes:shape'],
  expandAs: ['other:array'],
  flatten: ['startDim?:dim', 'endDim?:dim'],
  unflatten: ['dim:dim', 'sizes:shape'],
  narrow: ['dim:dim', 'start:int', 'length:int'],
  select: ['dim:dim', 'index:int'],
  slice: ['dim:dim', 'start?:int|null', 'end?:int|null', 'step?:int'],
  movedim: ['source:dims', 'destination:dims'],
  split: ['splitSize:ints', 'dim?:dim'],
  chunk: ['chunks:int', 'dim?:dim'],
  unbind: ['dim?:dim'],
  repeat: ['...sizes:shape'],
  gather: ['dim:dim', 'index:index'],
  scatter: ['dim:dim', 'index:index', 'src:arrayOrNumber'],
  scatter_: ['dim:dim', 'index:index', 'src:arrayOrNumber'],
  scatterAdd: ['dim:dim', 'index:index', 'src:array'],
  scatterAdd_: ['dim:dim', 'index:index', 'src:array'],
  indexSelect: ['dim:dim', 'index:index'],
  maskedSelect: ['mask:index'],
  maskedFill: ['mask:index', 'value:arrayOrNumber'],
  maskedFill_: ['mask:index', 'value:arrayOrNumber'],
  where: ['condition:index', 'other:arrayOrNumber'],
  equal: ['other:array'],
  allclose: ['other:array', 'rtol?:number', 'atol?:number', 'equalNan?:bool'],
  fill_: ['value:value'],
  copy_: ['src:arrayOrNumber'],
  uniform_: ['from?:number', 'to?:number', 'options?:generator'],
  normal_: ['mean?:number', 'std?:number', 'options?:generator'],
  bernoulli_: ['p?:number', 'options?:generator'],
  norm: ['p?:norm', 'dim?:dims|null', 'keepdim?:bool'],
  cumsum: ['dim:dim'],
  cumprod: ['dim:dim'],
  flip: ['dims:dims'],
  roll: ['shifts:ints', 'dims?:dims|null'],
  tril: ['diagonal?:int'],
  triu: ['diagonal?:int'],
  diag: ['diagonal?:int'],
  nanToNum: ['nan?:number', 'posinf?:number|null', 'neginf?:number|null'],
  isclose: ['other:arrayOrNumber', 'rtol?:number', 'atol?:number', 'equalNan?:bool'],
  softmax: ['dim:dim'],
  logSoftmax: ['dim:dim'],
  matmul: ['other:array'],
  mm: ['other:array'],
  bmm: ['other:array'],
  mv: ['other:array'],
  dot: ['other:array'],
  outer: ['other:array'],
} as const satisfies Record<string, readonly string[]>;

// The in-place forms of binary ops that NDArray has.
const IN_PLACE_BINARY = ['add', 'sub', 'mul', 'div', 'pow'];

// The binary ops' rows, read off their registry entries: the operand (pow's is the exponent),
// then the scalar parameters (add's and sub's alpha); an in-place form takes what its op takes.
const BINARY_ROWS = Object.entries(BINARY_REGISTRY).map(([op, entry]): [string, string[]] => [
  op,
  [
    `${op === 'pow' ? 'exponent' : 'other'}:arrayOrNumber`,
    ...('params' in entry ? entry.params.map((p) => `${p.name}?:number`) : []),
  ],
]);

/** The signature of every checked method of NDArray and Tensor, by method name. */
export const METHOD_SIGNATURES: Readonly<Record<string, readonly ParamSig[]>> = Object.fromEntries(
  [
    ...Object.entries(RAW),
    ...BINARY_ROWS,
    ...BINARY_ROWS.filter(([op]) => IN_PLACE_BINARY.includes(op)).map(([op, row]) => [
      `${op}_`,
      row,
    ]),
  ].map(([k, v]) => [k, (v as readonly string[]).map(parse)]),
);

/**
 * Methods whose bodies check their operands already (through the binary ops' operand reader,
 * once per call): they keep their table rows, for the misuse tests, without a wrapper, which
 * keeps the per-op cost of the hottest ops unchanged.
 */
export const CHECKED_IN_BODY: ReadonlySet<string> = new Set([
  // The binary ops' methods, and the in-place forms NDArray has.
  ...Object.keys(BINARY_REGISTRY),
  ...IN_PLACE_BINARY.map((op) => `${op}_`),
]);

/** Registers extra signatures (the ops added after the table, by the module that adds them). */
export function addSignatures(table: Record<string, readonly string[]>): void {
  for (const [k, v] of Object.entries(table))
    (METHOD_SIGNATURES as Record<string, readonly ParamSig[]>)[k] = v.map(parse);
}

/** The kinds a caller adds: a tensor class's ({@link ArrayKinds}) or any named ones. */
export type ExtraKinds = ArrayKinds | Readonly<Record<string, ArgKind>>;

function kindOf(p: ParamSig, kinds: ExtraKinds): ArgKind {
  const kind =
    (BASE_KINDS as Record<string, ArgKind>)[p.kind] ??
    (kinds as Readonly<Record<string, ArgKind | undefined>>)[p.kind];
  if (!kind) throw new Error(`unknown argument kind ${p.kind}`);
  return kind;
}

function bad(fn: string, p: ParamSig, kinds: ExtraKinds, v: unknown): never {
  const kind = kindOf(p, kinds);
  const accepts = p.nullable ? `${kind.accepts} or null` : kind.accepts;
  throw new TypeError(
    `${fn}: ${p.name} must be ${accepts}, got ${describe(v)}${'hint' in kinds && typeof kinds.hint === 'function' ? kinds.hint(v) : ''}`,
  );
}

/**
 * Checks `args` against a signature: kinds, nulls, and the number of arguments.
 *
 * @example
 * ```ts
 * checkArgs('transpose', METHOD_SIGNATURES.transpose!, [0, '1'], kinds);
 * // TypeError: transpose: dim1 must be an integer dim, got the string "1"
 * ```
 */
export function checkArgs(
  fn: string,
  sig: readonly ParamSig[],
  args: ArrayLike<unknown>,
  kinds: ExtraKinds,
): void {
  const n = args.length;
  for (let i = 0; i < sig.length; i++) {
    const p = sig[i]!;
    if (p.rest) {
      // Sizes as separate arguments, or one array of them.
      const one = n === i + 1 ? args[i] : undefined;
      if (Array.isArray(one)) {
        if (!one.every(isInt)) bad(fn, p, kinds, one);
        return;
      }
      for (let k = i; k < n; k++) {
        if (!isInt(args[k]))
          throw new TypeError(
            `${fn}: ${p.name} must be integers or one array of integers, got ${describe(args[k])} at position ${k}`,
          );
      }
      return;
    }
    const v = i < n ? args[i] : undefined;
    if (v === undefined) {
      if (!p.optional) throw new TypeError(`${fn}: missing argument ${p.name}`);
      continue;
    }
    if (v === null && p.nullable) continue;
    if (!kindOf(p, kinds).test(v)) bad(fn, p, kinds, v);
  }
  if (n > sig.length) {
    throw new TypeError(
      `${fn} takes at most ${sig.length} argument${sig.length === 1 ? '' : 's'} (${sig.map((p) => p.name).join(', ') || 'none'}), got ${n}`,
    );
  }
}

/** A row of a signature table: positional parameters (signature notation), the options' schema. */
export interface SignatureRow {
  /** The positional parameters (`['input:array', 'options?:options']`). */
  readonly args: readonly string[];
  /** The options object's schema (`{ stride: 'pair' }`), where the row takes options. */
  readonly options?: Readonly<Record<string, string>>;
}

const PARSED_ROWS = new WeakMap<SignatureRow, ParamSig[]>();

/**
 * Checks `args` against a row of a signature table: the kinds of the positional parameters
 * ({@link checkArgs}), then the options object's keys and kinds ({@link checkOptionsSchema}).
 * Errors are named `fn`. Returns the row's parsed signature.
 *
 * @example
 * ```ts
 * const row = { args: ['inFeatures:int', 'options?:options'], options: { bias: 'bool' } };
 * checkRow('Linear', row, [784, { bias: 1 }], {});
 * // TypeError: Linear: bias must be a boolean, got number 1
 * ```
 */
export function checkRow(
  fn: string,
  row: SignatureRow,
  args: ArrayLike<unknown>,
  kinds: Readonly<Record<string, ArgKind>>,
): readonly ParamSig[] {
  let sig = PARSED_ROWS.get(row);
  if (!sig) PARSED_ROWS.set(row, (sig = row.args.map(parse)));
  checkArgs(fn, sig, args, kinds);
  const at = sig.findIndex((p) => p.name === 'options');
  if (row.options && at >= 0) checkOptionsSchema(fn, args[at], row.options, kinds);
  return sig;
}

// Whether one argument passes its parameter's check (the fast path; failures go to checkArgs
// for the message).
type Ok = (v: unknown) => boolean;
function okFor(p: ParamSig, kinds: ArrayKinds): Ok {
  const test = kindOf(p, kinds).test;
  const { optional, nullable } = p;
  if (!optional && !nullable) return test;
  if (!nullable) return (v) => v === undefined || test(v);
  return (v) => (v === undefined ? optional : v === null || test(v));
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

// A checking wrapper of fixed arity: no rest array or apply on the hot path, since every op
// of a training step goes through one.
function checkedMethod(name: string, sig: readonly ParamSig[], fn: Method, kinds: ArrayKinds) {
  const slow = (args: ArrayLike<unknown>): void => checkArgs(name, sig, args, kinds);
  if (sig.some((p) => p.rest) || sig.length > 4) {
    return function checked(this: unknown, ...args: unknown[]) {
      slow(args);
      return fn.apply(this, args);
    };
  }
  const [o0, o1, o2, o3] = sig.map((p) => okFor(p, kinds));
  // `arguments` (not a rest array) keeps the hot path allocation-free.
  /* eslint-disable prefer-rest-params */
  switch (sig.length) {
    case 0:
      return function checked(this: unknown) {
        if (arguments.length > 0) slow(arguments);
        return fn.call(this);
      };
    case 1:
      return function checked(this: unknown, a: unknown) {
        if (arguments.length > 1 || !o0!(a)) slow(arguments);
        return fn.call(this, a);
      };
    case 2:
      return function checked(this: unknown, a: unknown, b: unknown) {
        if (arguments.length > 2 || !o0!(a) || !o1!(b)) slow(arguments);
        return fn.call(this, a, b);
      };
    case 3:
      return function checked(this: unknown, a: unknown, b: unknown, c: unknown) {
        if (arguments.length > 3 || !o0!(a) || !o1!(b) || !o2!(c)) slow(arguments);
        return fn.call(this, a, b, c);
      };
    default:
      return function checked(this: unknown, a: unknown, b: unknown, c: unknown, d: unknown) {
        if (arguments.length > 4 || !o0!(a) || !o1!(b) || !o2!(c) || !o3!(d)) slow(arguments);
        return fn.call(this, a, b, c, d);
      };
  }
  /* eslint-enable prefer-rest-params */
}

/**
 * Wraps each method of `proto` listed in {@link METHOD_SIGNATURES} so that it checks its
 * arguments first. Called once per class at load time.
 *
 * @example
 * ```ts
 * installChecks(MyArray.prototype, kinds); // x.transpose(0, '1') now throws a TypeError
 * ```
 */
export function installChecks(
  proto: object,
  kinds: ArrayKinds,
  names: readonly string[] = Object.keys(METHOD_SIGNATURES).filter((n) => !CHECKED_IN_BODY.has(n)),
): void {
  const target = proto as Record<string, unknown>;
  for (const name of names) {
    const sig = METHOD_SIGNATURES[name];
    const original = target[name];
    if (!sig || typeof original !== 'function') continue;
    Object.defineProperty(proto, name, {
      value: checkedMethod(name, sig, original as Method, kinds),
      writable: true,
      configurable: true,
    });
  }
}
