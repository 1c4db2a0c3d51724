/**
 * WGSL sources of the WebGPU backend's kernels. Elementwise bodies come from the op registry's
 * formulas (rendered with `render(f, WGSL)`, the language of kernel-languages.ts), the rest are
 * templates over a `meta` block of u32 words that the backend fills per dispatch (shapes,
 * strides, offsets, parameters), so one compiled pipeline serves every shape. Layouts of the
 * meta blocks are the `*_META` constants, shared with the code that fills them (index.ts).
 */
import type { DType } from '../../dtype.js';

/** The most dims a strided operand may have on the GPU (more falls back to the CPU). */
export const MAX_DIMS = 8;
/** Threads per workgroup of the one-thread-per-element kernels. */
export const WORKGROUP = 256;
/** Threads per workgroup of the reductions (one workgroup per output element). */
export const REDUCE_WORKGROUP = 64;
/** Side of the matmul tiles. */
export const TILE = 32;

/** The WGSL element type that holds each dtype on the device (bool as one u32 per element). */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  if (dtype === 'bool') return 'u32';
  throw new Error(`webgpu: ${dtype} has no device type (WGSL has no f64)`);
}

/**
 * Helpers for the formula functions WGSL lacks, with C semantics where the built-ins leave
 * cases undefined (pow of a negative base, tanh of large arguments).
 */
export const WGSL_HELPERS = /* wgsl */ `
// Non-finite constants go through a function call: WGSL rejects them in constant expressions.
fn gd_u(x: u32) -> u32 { return x; }
fn gd_nan() -> f32 { return bitcast<f32>(gd_u(0x7fc00000u)); }
fn gd_inf() -> f32 { return bitcast<f32>(gd_u(0x7f800000u)); }
// Special values are tested on the bits: a compiler assuming finite math may fold x != x.
fn gd_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn gd_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn gd_isfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn gd_signbit(x: f32) -> bool { return (bitcast<u32>(x) >> 31u) == 1u; }
fn gd_copysign(v: f32, s: f32) -> f32 { return select(abs(v), -abs(v), gd_signbit(s)); }
fn gd_unordered(a: f32, b: f32) -> bool { return gd_isnan(a) || gd_isnan(b); }
fn gd_lt(a: f32, b: f32) -> bool { return !gd_unordered(a, b) && a < b; }
fn gd_le(a: f32, b: f32) -> bool { return !gd_unordered(a, b) && a <= b; }
fn gd_gt(a: f32, b: f32) -> bool { return !gd_unordered(a, b) && a > b; }
fn gd_ge(a: f32, b: f32) -> bool { return !gd_unordered(a, b) && a >= b; }
fn gd_eq(a: f32, b: f32) -> bool { return !gd_unordered(a, b) && a == b; }
fn gd_ne(a: f32, b: f32) -> bool { return gd_unordered(a, b) || !(a == b); }
fn gd_exp(x: f32) -> f32 {
  if (gd_isnan(x)) { return x; }
  if (x > 88.72283935546875f) { return gd_inf(); }
  if (x < -103.97208f) { return 0.0f; }
  return exp(x);
}
fn gd_log(x: f32) -> f32 {
  if (gd_isnan(x) || x == gd_inf()) { return x; }
  if (x < 0.0f) { return gd_nan(); }
  if (x == 0.0f) { return -gd_inf(); }
  return log(x);
}
fn gd_log2(x: f32) -> f32 {
  if (gd_isnan(x) || x == gd_inf()) { return x; }
  if (x < 0.0f) { return gd_nan(); }
  if (x == 0.0f) { return -gd_inf(); }
  return log2(x);
}
fn gd_sqrt(x: f32) -> f32 {
  if (gd_isnan(x) || x == 0.0f || x == gd_inf()) { return x; }
  if (x < 0.0f) { return gd_nan(); }
  return sqrt(x);
}
// sin and cos: a Cody-Waite reduction by pi/2 in three parts, then Cephes' single-precision
// polynomials on [-pi/4, pi/4] (the built-ins may be off by 2^-11 even there); q is the quadrant.
fn gd_sin_poly(x: f32) -> f32 {
  let z = x * x;
  return ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * x + x;
}
fn gd_cos_poly(x: f32) -> f32 {
  let z = x * x;
  return ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) * z * z -
    0.5f * z + 1.0f;
}
fn gd_reduce(x: f32) -> vec2f {
  let k = round(x * 0.6366197723675814f);
  let r = ((x - k * 1.5703125f) - k * 4.837512969970703125e-4f) - k * 7.549789948768648e-8f;
  return vec2f(r, k);
}
fn gd_sin(x: f32) -> f32 {
  if (!gd_isfinite(x)) { return gd_nan(); }
  if (x == 0.0f) { return x; }
  let rk = gd_reduce(x);
  let q = i32(rk.y) & 3;
  var v: f32;
  if (q == 0) { v = gd_sin_poly(rk.x); } else if (q == 1) { v = gd_cos_poly(rk.x); }
  else if (q == 2) { v = -gd_sin_poly(rk.x); } else { v = -gd_cos_poly(rk.x); }
  return v;
}
fn gd_cos(x: f32) -> f32 {
  if (!gd_isfinite(x)) { return gd_nan(); }
  let rk = gd_reduce(x);
  let q = i32(rk.y) & 3;
  var v: f32;
  if (q == 0) { v = gd_cos_poly(rk.x); } else if (q == 1) { v = -gd_sin_poly(rk.x); }
  else if (q == 2) { v = -gd_cos_poly(rk.x); } else { v = gd_sin_poly(rk.x); }
  return v;
}
fn gd_tan(x: f32) -> f32 {
  if (x == 0.0f) { return x; }
  return gd_sin(x) / gd_cos(x);
}
fn gd_atan2(y: f32, x: f32) -> f32 {
  let pi = 3.1415927410125732f;
  if (gd_unordered(y, x)) { return gd_nan(); }
  if (y == 0.0f) {
    if (x > 0.0f || (x == 0.0f && !gd_signbit(x))) { return y; }
    return gd_copysign(pi, y);
  }
  if (gd_isinf(x)) {
    if (gd_isinf(y)) { return gd_copysign(select(2.356194496154785f, 0.7853981852531433f, x > 0.0f), y); }
    return gd_copysign(select(pi, 0.0f, x > 0.0f), y);
  }
  if (gd_isinf(y) || x == 0.0f) { return gd_copysign(1.5707963705062866f, y); }
  return atan2(y, x);
}
fn gd_expm1(x: f32) -> f32 {
  if (gd_isnan(x) || x == 0.0f) { return x; }
  if (abs(x) < 1e-3f) { return x + x * x * (0.5f + x * (1.0f / 6.0f)); }
  return gd_exp(x) - 1.0f;
}
fn gd_log1p(x: f32) -> f32 {
  if (gd_isnan(x) || x == gd_inf() || x == 0.0f) { return x; }
  if (x < -1.0f) { return gd_nan(); }
  if (x == -1.0f) { return -gd_inf(); }
  let u = 1.0f + x;
  if (u == 1.0f) { return x; }
  return log(u) * (x / (u - 1.0f));
}
fn gd_tanh(x: f32) -> f32 {
  if (gd_isnan(x) || x == 0.0f) { return x; }
  if (abs(x) > 10.0f) { return gd_copysign(1.0f, x); }
  if (abs(x) < 1e-3f) { return x - x * x * x / 3.0f; }
  let e = exp(2.0f * x);
  return (e - 1.0f) / (e + 1.0f);
}
fn gd_erf(x: f32) -> f32 {
  if (gd_isnan(x) || x == 0.0f) { return x; }
  let z = abs(x);
  if (z > 4.0f) { return gd_copysign(1.0f, x); }
  var e: f32;
  if (z < 0.5f) {
    // Near zero the Maclaurin series is exact to float precision.
    let z2 = z * z;
    e = z * (1.1283791671f + z2 * (-0.3761263890f + z2 * (0.1128379167f + z2 * (-0.0268661706f +
      z2 * 0.0052239776f))));
  } else {
    // erfc by its Chebyshev fit (Numerical Recipes erfcc), relative error below 1.2e-7.
    let t = 1.0f / (1.0f + 0.5f * z);
    let r = t * exp(-z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f +
      t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f +
      t * (-0.82215223f + t * 0.17087277f)))))))));
    e = 1.0f - r;
  }
  return gd_copysign(e, x);
}
fn gd_pow(x: f32, y: f32) -> f32 {
  // C's pow, special cases first (C11 F.10.4.4).
  if (y == 0.0f || x == 1.0f) { return 1.0f; }
  if (gd_unordered(x, y)) { return gd_nan(); }
  let ax = abs(x);
  if (gd_isinf(y)) {
    if (ax == 1.0f) { return 1.0f; }
    return select(0.0f, gd_inf(), (ax > 1.0f) == (y > 0.0f));
  }
  let yi = trunc(y) == y;
  let odd = yi && abs(y) < 16777216.0f && (u32(abs(y)) & 1u) == 1u;
  var r: f32;
  if (ax == 0.0f) {
    r = select(0.0f, gd_inf(), y < 0.0f);
    return select(r, gd_copysign(r, x), odd);
  }
  if (gd_isinf(x)) {
    r = select(gd_inf(), 0.0f, y < 0.0f);
    return select(r, gd_copysign(r, x), odd);
  }
  if (x < 0.0f && !yi) { return gd_nan(); }
  if (yi && abs(y) <= 64.0f) {
    // Repeated squaring for small integer exponents (x*x, x^3 ...), close to C's pow.
    var n = u32(abs(y));
    var b = ax;
    r = 1.0f;
    loop {
      if (n == 0u) { break; }
      if ((n & 1u) == 1u) { r = r * b; }
      b = b * b;
      n = n >> 1u;
    }
    if (y < 0.0f) { r = 1.0f / r; }
  } else {
    r = exp2(y * log2(ax));
  }
  return select(r, -r, x < 0.0f && odd);
}
// C's fmod (exact): the quotient rounded toward zero, the remainder by a fused multiply-add,
// then corrected where a / b rounded across an integer.
fn gd_fmod(a: f32, b: f32) -> f32 {
  if (gd_unordered(a, b) || gd_isinf(a) || b == 0.0f) { return gd_nan(); }
  if (gd_isinf(b) || a == 0.0f) { return a; }
  let ab = abs(b);
  var r = fma(-b, trunc(a / b), a);
  if (r != 0.0f && gd_signbit(r) != gd_signbit(a)) { r = r + gd_copysign(ab, a); }
  if (abs(r) >= ab) { r = r - gd_copysign(ab, r); }
  return select(r, gd_copysign(0.0f, a), r == 0.0f);
}
fn gd_py_mod(a: f32, b: f32) -> f32 {
  let r = gd_fmod(a, b);
  if (r != 0.0f && (r < 0.0f) != (b < 0.0f)) { return r + b; }
  return r;
}
fn gd_py_floor_div(a: f32, b: f32) -> f32 {
  if (b == 0.0f || gd_unordered(a, b)) { return a / b; }
  let m = gd_fmod(a, b);
  var d = (a - m) / b;
  if (m != 0.0f && !gd_isnan(m) && (b < 0.0f) != (m < 0.0f)) { d = d - 1.0f; }
  if (d == 0.0f) {
    let q = a / b;
    return select(0.0f, -0.0f, q < 0.0f || gd_signbit(q));
  }
  var f = floor(d);
  if (d - f > 0.5f) { f = f + 1.0f; }
  return f;
}
`;

const META = '@group(0) @binding(0) var<storage, read> gd_meta: array<u32>;';
const MI = 'fn mi(i: u32) -> i32 { return bitcast<i32>(gd_meta[i]); }';
const MF = 'fn mf(i: u32) -> f32 { return bitcast<f32>(gd_meta[i]); }';
// The element index of a thread, over a 2-d grid of workgroups (the x dim caps at 65535).
const ELEMENT_INDEX = `let i = gid.x + gid.y * nw.x * ${WORKGROUP}u;`;
const ELEMENT_ENTRY = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u)`;

/**
 * WGSL that walks a linear index over a strided shape held in the meta block, last dim
 * fastest, adding each operand's stride times the coordinate to its offset variable (the one
 * loop every kernel here uses to find its elements).
 */
function walkDims(
  index: string,
  ndimSlot: number,
  shapeSlot: number,
  operands: readonly { offset: string; strides: number }[],
): string {
  const steps = operands.map((o) => `${o.offset} += c * mi(${o.strides}u + du);`).join(' ');
  return `var rem = ${index};
  for (var d = i32(gd_meta[${ndimSlot}u]) - 1; d >= 0; d--) {
    let du = u32(d);
    let sz = gd_meta[${shapeSlot}u + du];
    let c = i32(rem % sz);
    rem = rem / sz;
    ${steps}
  }`;
}

/**
 * Meta layout of the strided elementwise kernels: count, rank, shape, two float parameters,
 * then per operand (out first) its offset and strides.
 */
export const ELEMENTWISE_META = {
  count: 0,
  ndim: 1,
  shape: 2,
  p0: 2 + MAX_DIMS,
  p1: 3 + MAX_DIMS,
  operand: (k: number) => 4 + MAX_DIMS + k * (1 + MAX_DIMS),
  size: (operands: number) => 4 + MAX_DIMS + operands * (1 + MAX_DIMS),
} as const;

function operandOffsets(operands: number): string {
  const E = ELEMENTWISE_META;
  const offsets = Array.from({ length: operands }, (_, k) => ({
    offset: `o${k}`,
    strides: E.operand(k) + 1,
  }));
  const inits = offsets.map((o, k) => `var ${o.offset} = mi(${E.operand(k)}u);`).join(' ');
  return `${inits}\n  ${walkDims('i', E.ndim, E.shape, offsets)}`;
}

/**
 * An elementwise kernel: `out = body(inputs)` with each operand strided and broadcast.
 * `inputs` name the bindings in order; `body` is a WGSL expression over them (already loaded
 * as values of their types) and `p0`/`p1`.
 */
export function elementwiseSource(
  out: DType,
  inputs: readonly { name: string; dtype: DType }[],
  body: string,
): string {
  const bindings = inputs
    .map(
      (a, k) =>
        `@group(0) @binding(${k + 2}) var<storage, read> in_${a.name}: array<${wgslType(a.dtype)}>;`,
    )
    .join('\n');
  const loads = inputs.map((a, k) => `let ${a.name} = in_${a.name}[u32(o${k + 1})];`).join('\n  ');
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<${wgslType(out)}>;
${bindings}
${MI}
${MF}
${WGSL_HELPERS}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${ELEMENTWISE_META.count}u]) { return; }
  ${operandOffsets(inputs.length + 1)}
  let p0 = mf(${ELEMENTWISE_META.p0}u);
  let p1 = mf(${ELEMENTWISE_META.p1}u);
  ${loads}
  out[u32(o0)] = ${body};
}
`;
}

/** Converts a value of one device type to another with JavaScript typed-array semantics. */
export function convertExpr(value: string, from: DType, to: DType): string {
  const f = wgslType(from);
  const t = wgslType(to);
  if (to === 'bool') {
    return f === 'f32'
      ? `select(0u, 1u, gd_ne(${value}, 0.0f))`
      : `select(0u, 1u, ${value} != ${f}(0))`;
  }
  if (f === t) return value;
  return `${t}(${value})`;
}

/** The body of fill: the p0 slot holds the value's bits in out's type. */
export function fillValue(out: DType): string {
  const t = wgslType(out);
  return t === 'f32' ? 'p0' : `bitcast<${t}>(p0)`;
}

/** Meta layout of the reductions (one workgroup per output element). */
export const REDUCE_META = {
  count: 0,
  reduced: 1,
  keepDims: 2,
  redDims: 3,
  keepShape: 4,
  keepX: 4 + MAX_DIMS,
  keepOut: 4 + 2 * MAX_DIMS,
  redShape: 4 + 3 * MAX_DIMS,
  redX: 4 + 4 * MAX_DIMS,
  xOffset: 4 + 5 * MAX_DIMS,
  outOffset: 5 + 5 * MAX_DIMS,
  size: 6 + 5 * MAX_DIMS,
} as const;

const REDUCE_COMBINE = {
  sum: { init: '0.0f', f: 's + v' },
  prod: { init: '1.0f', f: 's * v' },
  // NaN propagates: once the accumulator is NaN no comparison replaces it.
  max: { init: 'bitcast<f32>(gd_u(0xff800000u))', f: 'select(s, v, gd_gt(v, s) || gd_isnan(v))' },
  min: { init: 'bitcast<f32>(gd_u(0x7f800000u))', f: 'select(s, v, gd_lt(v, s) || gd_isnan(v))' },
} as const;

// Integer reductions (of int32 or bool): wrapping int32 arithmetic, as the CPU backends.
const INT_REDUCE_COMBINE = {
  sum: { init: '0i', f: 's + v' },
  prod: { init: '1i', f: 's * v' },
  max: { init: 'bitcast<i32>(0x80000000u)', f: 'max(s, v)' },
  min: { init: '2147483647i', f: 'min(s, v)' },
} as const;

/** The reductions the GPU runs (logsumexp on float32 only). */
export type GpuReduceOp = keyof typeof REDUCE_COMBINE | 'logsumexp';

function reducePass(
  name: string,
  combine: { init: string; f: string },
  value: string,
  acc: 'f32' | 'i32' = 'f32',
): string {
  const M = REDUCE_META;
  return `fn ${name}(o: u32, lid: u32, xbase: i32, shift: f32) -> ${acc} {
  var s = ${combine.init};
  for (var j = lid; j < gd_meta[${M.reduced}u]; j += ${REDUCE_WORKGROUP}u) {
    var xo = xbase;
    ${walkDims('j', M.redDims, M.redShape, [{ offset: 'xo', strides: M.redX }])}
    let v = ${value};
    s = ${combine.f};
  }
  scratch[lid] = s;
  workgroupBarrier();
  for (var w = ${REDUCE_WORKGROUP / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w) {
      let v = scratch[lid + w];
      let s2 = scratch[lid];
      let s = s2;
      scratch[lid] = ${combine.f};
    }
    workgroupBarrier();
  }
  let r = scratch[0];
  workgroupBarrier();
  return r;
}
`;
}

/**
 * A reduction over some dims (float32, or int32/bool into int32): one workgroup per output, a
 * tree in shared memory.
 */
export function reduceSource(op: GpuReduceOp, input: DType = 'float32'): string {
  if (input !== 'float32') return intReduceSource(op as keyof typeof INT_REDUCE_COMBINE, input);
  const passes =
    op === 'logsumexp'
      ? reducePass('pass_max', REDUCE_COMBINE.max, 'x[u32(xo)]') +
        reducePass('pass_sum', REDUCE_COMBINE.sum, 'gd_exp(x[u32(xo)] - shift)')
      : reducePass('pass_main', REDUCE_COMBINE[op], 'x[u32(xo)]');
  const body =
    op === 'logsumexp'
      ? `let m = pass_max(o, lid.x, xbase, 0.0f);
  let shift = select(0.0f, m, gd_isfinite(m));
  let r = gd_log(pass_sum(o, lid.x, xbase, shift)) + shift;`
      : `let r = pass_main(o, lid.x, xbase, 0.0f);`;
  return reduceKernel('f32', 'f32', `${WGSL_HELPERS}\n${passes}`, body);
}

/**
 * The shell of a reduction: one workgroup per output element, which finds its place in x and
 * out, runs `body` (the passes, leaving the result in `r`) and stores r from thread 0.
 */
function reduceKernel(acc: 'f32' | 'i32', input: string, functions: string, body: string): string {
  const M = REDUCE_META;
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<${acc}>;
@group(0) @binding(2) var<storage, read> x: array<${input}>;
var<workgroup> scratch: array<${acc}, ${REDUCE_WORKGROUP}>;
${MI}
${functions}
@compute @workgroup_size(${REDUCE_WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let o = wg.x + wg.y * nw.x;
  if (o >= gd_meta[${M.count}u]) { return; }
  var xbase = mi(${M.xOffset}u);
  var obase = mi(${M.outOffset}u);
  ${walkDims('o', M.keepDims, M.keepShape, [
    { offset: 'xbase', strides: M.keepX },
    { offset: 'obase', strides: M.keepOut },
  ])}
  ${body}
  if (lid.x == 0u) { out[u32(obase)] = r; }
}
`;
}

/** A sum, product, max or min of int32 or bool values into int32. */
function intReduceSource(op: keyof typeof INT_REDUCE_COMBINE, input: DType): string {
  return reduceKernel(
    'i32',
    wgslType(input),
    reducePass('pass_main', INT_REDUCE_COMBINE[op], 'i32(x[u32(xo)])', 'i32'),
    'let r = pass_main(o, lid.x, xbase, 0.0f);',
  );
}

/**
 * Meta layout of the line kernels (argmax/argmin, softmax): one thread per line along `dim`;
 * `lines` walks the other dims with up to three operands' strides.
 */
export const LINE_META = {
  count: 0,
  len: 1,
  ndim: 2,
  shape: 3,
  strides: (k: number) => 3 + (k + 1) * MAX_DIMS,
  offset: (k: number) => 3 + 4 * MAX_DIMS + k,
  step: (k: number) => 6 + 4 * MAX_DIMS + k,
  flag: 9 + 4 * MAX_DIMS,
  size: 10 + 4 * MAX_DIMS,
} as const;

function lineOffsets(operands: number): string {
  const L = LINE_META;
  const offsets = Array.from({ length: operands }, (_, k) => ({
    offset: `o${k}`,
    strides: L.strides(k),
  }));
  const inits = offsets.map((o, k) => `var ${o.offset} = mi(${L.offset(k)}u);`).join(' ');
  return `${inits}
  ${walkDims('i', L.ndim, L.shape, offsets)}
  let len = gd_meta[${L.len}u];`;
}

/**
 * argmax/argmin along a dim: the first extreme element, NaN counting as the extreme (as the
 * reference backend). Operands: x (0), indices (1), values (2) when `withValues`.
 */
export function argReduceSource(op: 'max' | 'min', withValues: boolean): string {
  const L = LINE_META;
  const better = op === 'max' ? 'gd_gt(v, best)' : 'gd_lt(v, best)';
  return `${META}
@group(0) @binding(1) var<storage, read_write> indices: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${withValues ? '@group(0) @binding(3) var<storage, read_write> values: array<f32>;' : ''}
${MI}
${WGSL_HELPERS}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${L.count}u]) { return; }
  ${lineOffsets(withValues ? 3 : 2)}
  let step = mi(${L.step(0)}u);
  var best = x[u32(o0)];
  var bi = 0u;
  if (!gd_isnan(best)) {
    for (var j = 1u; j < len; j++) {
      let v = x[u32(o0 + i32(j) * step)];
      if (gd_isnan(v)) { best = v; bi = j; break; }
      if (${better}) { best = v; bi = j; }
    }
  }
  indices[u32(o1)] = i32(bi);
  ${withValues ? 'values[u32(o2)] = best;' : ''}
}
`;
}

/** Softmax or log-softmax (flag) along a dim, one thread per line. Operands: x (0), out (1). */
export function softmaxSource(): string {
  const L = LINE_META;
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${MI}
${WGSL_HELPERS}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${L.count}u]) { return; }
  ${lineOffsets(2)}
  let xs = mi(${L.step(0)}u);
  let os = mi(${L.step(1)}u);
  var m = bitcast<f32>(gd_u(0xff800000u));
  for (var j = 0u; j < len; j++) {
    let v = x[u32(o0 + i32(j) * xs)];
    if (gd_gt(v, m) || gd_isnan(v)) { m = v; }
  }
  var sum = 0.0f;
  for (var j = 0u; j < len; j++) { sum += gd_exp(x[u32(o0 + i32(j) * xs)] - m); }
  if (gd_meta[${L.flag}u] == 1u) {
    let lse = gd_log(sum) + m;
    for (var j = 0u; j < len; j++) { out[u32(o1 + i32(j) * os)] = x[u32(o0 + i32(j) * xs)] - lse; }
  } else {
    let inv = 1.0f / sum;
    for (var j = 0u; j < len; j++) {
      out[u32(o1 + i32(j) * os)] = gd_exp(x[u32(o0 + i32(j) * xs)] - m) * inv;
    }
  }
}
`;
}

/** Meta layout of the batched matmul. */
export const MATMUL_META = {
  m: 0,
  k: 1,
  n: 2,
  batch: 3,
  batchDims: 4,
  batchShape: 5,
  aBatch: 5 + MAX_DIMS,
  bBatch: 5 + 2 * MAX_DIMS,
  aRow: 5 + 3 * MAX_DIMS,
  aCol: 6 + 3 * MAX_DIMS,
  bRow: 7 + 3 * MAX_DIMS,
  bCol: 8 + 3 * MAX_DIMS,
  aOffset: 9 + 3 * MAX_DIMS,
  bOffset: 10 + 3 * MAX_DIMS,
  outOffset: 11 + 3 * MAX_DIMS,
  size: 12 + 3 * MAX_DIMS,
} as const;

/** Outputs per thread along each side in the matmul (a 4x4 register block). */
export const MATMUL_BLOCK = 4;
/** Threads per side of a matmul workgroup: it covers TILE x TILE outputs. */
const MATMUL_THREADS = TILE / MATMUL_BLOCK;

/**
 * Batched matmul with strided operands. Each thread keeps a 4x4 block of outputs in registers
 * and streams the operands from memory: no workgroup barriers (software GPUs such as
 * SwiftShader make barriers expensive, and the block's register reuse is what pays on
 * hardware). The batch index is the z workgroup.
 *
 * Measured on SwiftShader (2 cores, December 2026, CPU time per product): the same 32x32
 * workgroup tile with its A and B tiles staged in workgroup memory (k steps of 32 or 64, two
 * barriers a step, vec4 reads from the tiles) took 10-40% longer on 128x784x512, 512^3 and
 * 1024^3, and 5x longer on 1x784x512; loads without the edge clamps for inner blocks, and a
 * thread's 4 columns interleaved with its neighbours' (contiguous loads across lanes), changed
 * nothing measurable. So the barrier-free kernel stays until a hardware adapter shows the
 * tiled one ahead.
 */
export function matmulSource(): string {
  const M = MATMUL_META;
  const B = MATMUL_BLOCK;
  const idx = [0, 1, 2, 3];
  const accs = idx.map((i) => `var acc${i} = vec4f(0.0f);`).join('\n  ');
  const loadsA = idx
    .map(
      (i) =>
        `let a${i} = select(0.0f, a[u32(ao + min(r0 + ${i}, last_r) * ar + kk * ac)], r0 + ${i} < iM);`,
    )
    .join('\n    ');
  const loadB = `let bv = vec4f(${idx
    .map((j) => `select(0.0f, b[u32(bo + kk * br + min(c0 + ${j}, last_c) * bc)], c0 + ${j} < iN)`)
    .join(', ')});`;
  const fmas = idx.map((i) => `acc${i} = fma(vec4f(a${i}), bv, acc${i});`).join('\n    ');
  const stores = idx
    .map(
      (i) => `if (r0 + ${i} < iM) {
    for (var j = 0; j < ${B}; j++) {
      if (c0 + j < iN) { out[obase + u32((r0 + ${i}) * iN + c0 + j)] = acc${i}[j]; }
    }
  }`,
    )
    .join('\n  ');
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
${MI}
@compute @workgroup_size(${MATMUL_THREADS}, ${MATMUL_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let iM = i32(gd_meta[${M.m}u]);
  let K = i32(gd_meta[${M.k}u]);
  let iN = i32(gd_meta[${M.n}u]);
  var ao = mi(${M.aOffset}u);
  var bo = mi(${M.bOffset}u);
  ${walkDims('wg.z', M.batchDims, M.batchShape, [
    { offset: 'ao', strides: M.aBatch },
    { offset: 'bo', strides: M.bBatch },
  ])}
  let ar = mi(${M.aRow}u);
  let ac = mi(${M.aCol}u);
  let br = mi(${M.bRow}u);
  let bc = mi(${M.bCol}u);
  let r0 = i32(wg.y * ${TILE}u + lid.y * ${B}u);
  let c0 = i32(wg.x * ${TILE}u + lid.x * ${B}u);
  if (r0 >= iM || c0 >= iN) { return; }
  // Rows and columns past the edge are clamped for the loads and never stored.
  let last_r = iM - 1;
  let last_c = iN - 1;
  ${accs}
  for (var kk = 0; kk < K; kk++) {
    ${loadsA}
    ${loadB}
    ${fmas}
  }
  let obase = u32(mi(${M.outOffset}u)) + wg.z * u32(iM * iN);
  ${stores}
}
`;
}

/**
 * Meta layout of the convolution and pooling kernels: sizes, geometry, then up to three
 * 4-d operands' strides and offsets.
 */
export const CONV_META = {
  count: 0,
  n: 1,
  c: 2,
  h: 3,
  w: 4,
  kh: 5,
  kw: 6,
  sh: 7,
  sw: 8,
  ph: 9,
  pw: 10,
  dh: 11,
  dw: 12,
  oh: 13,
  ow: 14,
  flag: 15,
  strides: (k: number) => 16 + 5 * k,
  offset: (k: number) => 20 + 5 * k,
  size: 31,
} as const;

const CONV_PRELUDE = (() => {
  const C = CONV_META;
  const names = Object.entries(C)
    .filter(([k, v]) => typeof v === 'number' && k !== 'size' && k !== 'count' && k !== 'flag')
    .map(([k, v]) => `let ${k.toUpperCase()} = i32(gd_meta[${v as number}u]);`);
  return names.join('\n  ');
})();

function convStride(k: number, d: number): string {
  return `mi(${CONV_META.strides(k) + d}u)`;
}
function convOffset(k: number): string {
  return `mi(${CONV_META.offset(k)}u)`;
}

function convKernel(bindings: string, body: string): string {
  return `${META}
${bindings}
${MI}
${WGSL_HELPERS}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${CONV_META.count}u]) { return; }
  ${CONV_PRELUDE}
  ${body}
}
`;
}

/** im2col: one thread per element of cols [N, C*kh*kw, oh*ow]. Operands: x (0), cols (1). */
export function im2colSource(): string {
  return convKernel(
    `@group(0) @binding(1) var<storage, read_write> cols: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;`,
    `let L = OH * OW;
  var r = i32(i);
  let l = r % L; r = r / L;
  let kj = r % KW; r = r / KW;
  let ki = r % KH; r = r / KH;
  let ch = r % C; let b = r / C;
  let oy = l / OW; let ox = l % OW;
  let iy = oy * SH - PH + ki * DH;
  let ix = ox * SW - PW + kj * DW;
  var v = 0.0f;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
    v = x[u32(${convOffset(0)} + b * ${convStride(0, 0)} + ch * ${convStride(0, 1)} + iy * ${convStride(0, 2)} + ix * ${convStride(0, 3)})];
  }
  let crow = (ch * KH + ki) * KW + kj;
  cols[u32(${convOffset(1)} + b * ${convStride(1, 0)} + crow * ${convStride(1, 1)} + l * ${convStride(1, 2)})] = v;`,
  );
}

/**
 * col2im: one thread per element of out [N, C, H, W], adding every cols entry that came from
 * it (a gather, so no two threads write one element). Operands: cols (0), out (1).
 */
export function col2imSource(): string {
  return convKernel(
    `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> cols: array<f32>;`,
    `var r = i32(i);
  let ix = r % W; r = r / W;
  let iy = r % H; r = r / H;
  let ch = r % C; let b = r / C;
  var s = 0.0f;
  for (var ki = 0; ki < KH; ki++) {
    let ty = iy + PH - ki * DH;
    if (ty < 0 || ty % SH != 0) { continue; }
    let oy = ty / SH;
    if (oy >= OH) { continue; }
    for (var kj = 0; kj < KW; kj++) {
      let tx = ix + PW - kj * DW;
      if (tx < 0 || tx % SW != 0) { continue; }
      let ox = tx / SW;
      if (ox >= OW) { continue; }
      let crow = (ch * KH + ki) * KW + kj;
      s += cols[u32(${convOffset(0)} + b * ${convStride(0, 0)} + crow * ${convStride(0, 1)} + (oy * OW + ox) * ${convStride(0, 2)})];
    }
  }
  let at = u32(${convOffset(1)} + b * ${convStride(1, 0)} + ch * ${convStride(1, 1)} + iy * ${convStride(1, 2)} + ix * ${convStride(1, 3)});
  out[at] = out[at] + s;`,
  );
}

const OUT_POSITION = `var r = i32(i);
  let ox = r % OW; r = r / OW;
  let oy = r % OH; r = r / OH;
  let ch = r % C; let b = r / C;`;

/** Max pooling, one thread per output. Operands: x (0), out (1), indices (2). */
export function maxPool2dSource(): string {
  return convKernel(
    `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> indices: array<i32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;`,
    `${OUT_POSITION}
  var y0 = oy * SH - PH;
  let y1 = min(y0 + (KH - 1) * DH + 1, H);
  while (y0 < 0) { y0 += DH; }
  var x0 = ox * SW - PW;
  let x1 = min(x0 + (KW - 1) * DW + 1, W);
  while (x0 < 0) { x0 += DW; }
  let plane = ${convOffset(0)} + b * ${convStride(0, 0)} + ch * ${convStride(0, 1)};
  var best = bitcast<f32>(gd_u(0xff800000u));
  var bi = y0 * W + x0;
  for (var iy = y0; iy < y1; iy += DH) {
    for (var ix = x0; ix < x1; ix += DW) {
      let v = x[u32(plane + iy * ${convStride(0, 2)} + ix * ${convStride(0, 3)})];
      if (gd_gt(v, best) || gd_isnan(v)) { best = v; bi = iy * W + ix; }
    }
  }
  out[u32(${convOffset(1)} + b * ${convStride(1, 0)} + ch * ${convStride(1, 1)} + oy * ${convStride(1, 2)} + ox * ${convStride(1, 3)})] = best;
  indices[u32(${convOffset(2)} + b * ${convStride(2, 0)} + ch * ${convStride(2, 1)} + oy * ${convStride(2, 2)} + ox * ${convStride(2, 3)})] = bi;`,
  );
}

// PyTorch's average-pooling window along one axis: [start, end) clipped, and the padded size.
const AVG_WINDOW = `fn avg_window(o: i32, stride: i32, pad: i32, k: i32, size: i32) -> vec3i {
  var start = o * stride - pad;
  var end = min(start + k, size + pad);
  let padded = end - start;
  start = max(start, 0);
  end = min(end, size);
  return vec3i(start, end, padded);
}`;

/** Average pooling, one thread per output; flag = countIncludePad. Operands: x (0), out (1). */
export function avgPool2dSource(): string {
  return convKernel(
    `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${AVG_WINDOW}`,
    `${OUT_POSITION}
  let wy = avg_window(oy, SH, PH, KH, H);
  let wx = avg_window(ox, SW, PW, KW, W);
  let plane = ${convOffset(0)} + b * ${convStride(0, 0)} + ch * ${convStride(0, 1)};
  var s = 0.0f;
  for (var iy = wy.x; iy < wy.y; iy++) {
    for (var ix = wx.x; ix < wx.y; ix++) { s += x[u32(plane + iy * ${convStride(0, 2)} + ix * ${convStride(0, 3)})]; }
  }
  let div = select((wy.y - wy.x) * (wx.y - wx.x), wy.z * wx.z, gd_meta[${CONV_META.flag}u] == 1u);
  out[u32(${convOffset(1)} + b * ${convStride(1, 0)} + ch * ${convStride(1, 1)} + oy * ${convStride(1, 2)} + ox * ${convStride(1, 3)})] = s / f32(div);`,
  );
}

/**
 * The gradient of average pooling as a gather: one thread per input element sums the share of
 * every window that covers it. Operands: gradOut (0), out (1).
 */
export function avgPool2dBackwardSource(): string {
  return convKernel(
    `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
${AVG_WINDOW}`,
    `var r = i32(i);
  let ix = r % W; r = r / W;
  let iy = r % H; r = r / H;
  let ch = r % C; let b = r / C;
  let plane = ${convOffset(0)} + b * ${convStride(0, 0)} + ch * ${convStride(0, 1)};
  var s = 0.0f;
  let oy0 = max(0, (iy + PH - KH + SH) / SH);
  let ox0 = max(0, (ix + PW - KW + SW) / SW);
  for (var oy = oy0; oy < OH && oy * SH - PH <= iy; oy++) {
    let wy = avg_window(oy, SH, PH, KH, H);
    if (iy < wy.x || iy >= wy.y) { continue; }
    for (var ox = ox0; ox < OW && ox * SW - PW <= ix; ox++) {
      let wx = avg_window(ox, SW, PW, KW, W);
      if (ix < wx.x || ix >= wx.y) { continue; }
      let div = select((wy.y - wy.x) * (wx.y - wx.x), wy.z * wx.z, gd_meta[${CONV_META.flag}u] == 1u);
      s += g[u32(plane + oy * ${convStride(0, 2)} + ox * ${convStride(0, 3)})] / f32(div);
    }
  }
  let at = u32(${convOffset(1)} + b * ${convStride(1, 0)} + ch * ${convStride(1, 1)} + iy * ${convStride(1, 2)} + ix * ${convStride(1, 3)});
  out[at] = out[at] + s;`,
  );
}

/**
 * Meta layout of gather and scatter: one thread per index element; operand 0 is the index,
 * 1 the value side walked with the index (out for gather, src for scatter), 2 the indexed
 * side with its `dim` stride zeroed (`step` is the real one).
 */
export const INDEX_META = {
  count: 0,
  ndim: 1,
  shape: 2,
  strides: (k: number) => 2 + (k + 1) * MAX_DIMS,
  offset: (k: number) => 2 + 4 * MAX_DIMS + k,
  size_: 5 + 4 * MAX_DIMS,
  step: 6 + 4 * MAX_DIMS,
  size: 7 + 4 * MAX_DIMS,
} as const;

function indexOffsets(): string {
  const I = INDEX_META;
  const offsets = [0, 1, 2].map((k) => ({ offset: `o${k}`, strides: I.strides(k) }));
  return `var o0 = mi(${I.offset(0)}u); var o1 = mi(${I.offset(1)}u); var o2 = mi(${I.offset(2)}u);
  ${walkDims('i', I.ndim, I.shape, offsets)}
  let k = index[u32(o0)];
  if (k < 0 || k >= mi(${I.size_}u)) { return; }
  let at = u32(o2 + k * mi(${I.step}u));`;
}

/** torch.gather: out[p] = x[p with p[dim] = index[p]]. */
export function gatherSource(dtype: DType): string {
  const t = wgslType(dtype);
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> index: array<i32>;
@group(0) @binding(3) var<storage, read> x: array<${t}>;
${MI}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${INDEX_META.count}u]) { return; }
  ${indexOffsets()}
  out[u32(o1)] = x[at];
}
`;
}

/**
 * torch.scatter_ / scatter_add_. The accumulating form adds with a compare-and-swap loop on
 * the float's bits (WGSL has no atomic float add), so duplicate indices sum correctly.
 */
export function scatterSource(dtype: DType, accumulate: boolean): string {
  const t = wgslType(dtype);
  const store = accumulate
    ? dtype === 'float32'
      ? `var old = atomicLoad(&out[at]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + src[u32(o1)]);
    let r = atomicCompareExchangeWeak(&out[at], old, next);
    if (r.exchanged) { break; }
    old = r.old_value;
  }`
      : `atomicAdd(&out[at], src[u32(o1)]);`
    : `out[at] = src[u32(o1)];`;
  const outType = accumulate ? `atomic<${dtype === 'float32' ? 'u32' : t}>` : t;
  return `${META}
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<storage, read> index: array<i32>;
@group(0) @binding(3) var<storage, read> src: array<${t}>;
${MI}
${ELEMENT_ENTRY} {
  ${ELEMENT_INDEX}
  if (i >= gd_meta[${INDEX_META.count}u]) { return; }
  ${indexOffsets()}
  ${store}
}
`;
}
