// N-API bindings of the native backend. Scalars travel through a Float64Array shared with JS
// (set once by setParams), so a call parses only its typed-array arguments.
#include <node_api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "kernels.h"
#include "pool.h"

namespace {

// Per JS thread: each worker_threads environment sets its own block.
thread_local double* P = nullptr;
thread_local napi_ref params_ref = nullptr;

bool typed(napi_env env, napi_value v, void** data, int* dt) {
  napi_typedarray_type t;
  size_t len;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &t, &len, data, &ab, &off) != napi_ok) return false;
  switch (t) {
    case napi_float32_array: *dt = gd::F32; return true;
    case napi_float64_array: *dt = gd::F64; return true;
    case napi_int32_array: *dt = gd::I32; return true;
    case napi_uint8_array: *dt = gd::U8; return true;
    default: return false;
  }
}

napi_value boolean(napi_env env, bool b) {
  napi_value r;
  napi_get_boolean(env, b, &r);
  return r;
}

// Reads up to 4 typed-array arguments.
template <int N>
bool args(napi_env env, napi_callback_info info, void** data, int* dt) {
  size_t argc = N;
  napi_value argv[N];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < N) return false;
  if (!P) return false;
  for (int i = 0; i < N; i++)
    if (!typed(env, argv[i], &data[i], &dt[i])) return false;
  return true;
}

// View j of the params block.
gd::View2 view(void* data, int dt, int j) {
  const int at = gd::SLOT_VIEW + 3 * j;
  return gd::View2{data, dt, (long)P[at], (long)P[at + 1], (long)P[at + 2]};
}

napi_value SetParams(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data;
  int dt;
  if (argc < 1 || !typed(env, argv[0], &data, &dt) || dt != gd::F64) {
    napi_throw_type_error(env, nullptr, "setParams expects a Float64Array");
    return nullptr;
  }
  if (params_ref) napi_delete_reference(env, params_ref);
  napi_create_reference(env, argv[0], 1, &params_ref);
  P = static_cast<double*>(data);
  return nullptr;
}

napi_value Threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc >= 1) {
    int32_t n = 0;
    if (napi_get_value_int32(env, argv[0], &n) == napi_ok && n > 0) gd::set_threads(n);
  }
  napi_value r;
  napi_create_int32(env, gd::pool().threads(), &r);
  return r;
}

napi_value Simd(napi_env env, napi_callback_info) {
  napi_value r;
#if defined(__AVX512F__)
  const char* s = "avx512";
#elif defined(__AVX2__)
  const char* s = "avx2";
#elif defined(__ARM_NEON)
  const char* s = "neon";
#else
  const char* s = "generic";
#endif
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}

// P: m n k ao ars acs bo brs bcs oo ldc accumulate | outer batches, their strides in a, b, out |
// inner batches, their strides
napi_value Gemm(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t) || t[0] != gd::F32 || t[1] != gd::F32 || t[2] != gd::F32)
    return boolean(env, false);
  const float* a = static_cast<const float*>(d[0]) + (long)P[gd::SLOT_GEMM_A];
  const float* b = static_cast<const float*>(d[1]) + (long)P[gd::SLOT_GEMM_B];
  float* c = static_cast<float*>(d[2]) + (long)P[gd::SLOT_GEMM_OUT];
  const gd::BatchNest nest{(int)P[gd::SLOT_GEMM_BATCHES],       (int)P[gd::SLOT_GEMM_INNER_BATCHES],
                           (long)P[gd::SLOT_GEMM_BATCH_A],      (long)P[gd::SLOT_GEMM_INNER_BATCH_A],
                           (long)P[gd::SLOT_GEMM_BATCH_B],      (long)P[gd::SLOT_GEMM_INNER_BATCH_B],
                           (long)P[gd::SLOT_GEMM_BATCH_OUT],    (long)P[gd::SLOT_GEMM_INNER_BATCH_OUT]};
  gd::sgemm_batched(nest, (int)P[gd::SLOT_GEMM_M], (int)P[gd::SLOT_GEMM_N], (int)P[gd::SLOT_GEMM_K],
                    a, (long)P[gd::SLOT_GEMM_A + 1], (long)P[gd::SLOT_GEMM_A + 2], b,
                    (long)P[gd::SLOT_GEMM_B + 1], (long)P[gd::SLOT_GEMM_B + 2], c,
                    (long)P[gd::SLOT_GEMM_LDC], P[gd::SLOT_GEMM_ACCUMULATE] != 0);
  return boolean(env, true);
}

// Calls `slab(v)` once per 2-d slab of the two loop levels outside the nest (slots
// SLOT_OUTER_LOOPS: per level a count, then the views' strides), each view's offset stepped.
// Only the first call can decline (every slab has the same op and dtypes): false then, nothing
// written.
template <int N, class F>
bool outer_loops(gd::View2 (&v)[N], F slab) {
  const double* level = P + gd::SLOT_OUTER_LOOPS;
  const long n0 = (long)level[0], n1 = (long)level[5];
  long base[N];
  for (int k = 0; k < N; k++) base[k] = v[k].off;
  for (long i = 0; i < n0; i++)
    for (long j = 0; j < n1; j++) {
      for (int k = 0; k < N; k++)
        v[k].off = base[k] + i * (long)level[1 + k] + j * (long)level[6 + k];
      if (!slab(v) && i == 0 && j == 0) return false;
    }
  return true;
}

// P: op n0 n1 | a(off s0 s1) | b(off s0 s1) | out(off s0 s1) | p | outer loops
napi_value Binary(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  const int op = (int)P[gd::SLOT_OP];
  const long n0 = (long)P[gd::SLOT_N0], n1 = (long)P[gd::SLOT_N1];
  const double p = P[gd::SLOT_BINARY_P];
  gd::View2 v[3] = {view(d[0], t[0], 0), view(d[1], t[1], 1), view(d[2], t[2], 2)};
  return boolean(env, outer_loops(v, [&](gd::View2(&w)[3]) {
                   return gd::binary(op, n0, n1, w[0], w[1], w[2], p);
                 }));
}

// P: op n0 n1 | x | out | p0 p1 | outer loops
napi_value Unary(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  const int op = (int)P[gd::SLOT_OP];
  const long n0 = (long)P[gd::SLOT_N0], n1 = (long)P[gd::SLOT_N1];
  const double p0 = P[gd::SLOT_UNARY_P0], p1 = P[gd::SLOT_UNARY_P1];
  gd::View2 v[2] = {view(d[0], t[0], 0), view(d[1], t[1], 1)};
  return boolean(env, outer_loops(v, [&](gd::View2(&w)[2]) {
                   return gd::unary(op, n0, n1, w[0], w[1], p0, p1);
                 }));
}

// P: - n0 n1 | cond | a | b | out | outer loops
napi_value Where(napi_env env, napi_callback_info info) {
  void* d[4];
  int t[4];
  if (!args<4>(env, info, d, t)) return boolean(env, false);
  const long n0 = (long)P[gd::SLOT_N0], n1 = (long)P[gd::SLOT_N1];
  gd::View2 v[4] = {view(d[0], t[0], 0), view(d[1], t[1], 1), view(d[2], t[2], 2),
                    view(d[3], t[3], 3)};
  return boolean(env, outer_loops(v, [&](gd::View2(&w)[4]) {
                   return gd::where(n0, n1, w[0], w[1], w[2], w[3]);
                 }));
}

// P: - n0 n1 | x | out | outer loops
napi_value Copy(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  const long n0 = (long)P[gd::SLOT_N0], n1 = (long)P[gd::SLOT_N1];
  gd::View2 v[2] = {view(d[0], t[0], 0), view(d[1], t[1], 1)};
  return boolean(env, outer_loops(v, [&](gd::View2(&w)[2]) { return gd::copy(n0, n1, w[0], w[1]); }));
}

// P: op np nr | x(off ps rs) | out(off os -)
napi_value Reduce(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::reduce((int)P[gd::SLOT_OP], (long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1], view(d[0], t[0], 0),
                                 view(d[1], t[1], 1), (long)P[gd::SLOT_REDUCE_OUTER],
                                 (long)P[gd::SLOT_REDUCE_OUTER_STRIDE]));
}

// P: log np len | x(off ps ls) | out(off ps ls)
napi_value Softmax(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::softmax((long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1], view(d[0], t[0], 0),
                                  view(d[1], t[1], 1), P[gd::SLOT_OP] != 0));
}

// View4 at slot `at` (sizes, strides, offset) over a typed array.
gd::View4 view4(void* data, int dt, int at) {
  gd::View4 v{data, dt, (long)P[at + 8], {}, {}};
  for (int i = 0; i < 4; i++) {
    v.n[i] = (long)P[at + i];
    v.s[i] = (long)P[at + 4 + i];
  }
  return v;
}

gd::Geometry geometry() {
  return gd::Geometry{(long)P[gd::SLOT_CONV_KERNEL],   (long)P[gd::SLOT_CONV_KERNEL + 1],
                      (long)P[gd::SLOT_CONV_STRIDE],   (long)P[gd::SLOT_CONV_STRIDE + 1],
                      (long)P[gd::SLOT_CONV_PADDING],  (long)P[gd::SLOT_CONV_PADDING + 1],
                      (long)P[gd::SLOT_CONV_DILATION], (long)P[gd::SLOT_CONV_DILATION + 1]};
}

// P: conv slots | in (x or cols) | out (cols or out)
napi_value Im2col(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::im2col(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                 view4(d[1], t[1], gd::SLOT_CONV_OUT)));
}

napi_value Col2im(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::col2im(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                 view4(d[1], t[1], gd::SLOT_CONV_OUT)));
}

napi_value MaxPool2d(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::max_pool2d(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                     view4(d[1], t[1], gd::SLOT_CONV_OUT),
                                     view4(d[2], t[2], gd::SLOT_CONV_INDICES)));
}

// P: conv slots | grad (convIn) | out (convOut) | indices (convIndices)   (grad indices out)
napi_value MaxPool2dBackward(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::max_pool2d_backward(view4(d[0], t[0], gd::SLOT_CONV_IN),
                                              view4(d[1], t[1], gd::SLOT_CONV_INDICES),
                                              view4(d[2], t[2], gd::SLOT_CONV_OUT)));
}

napi_value AvgPool2d(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::avg_pool2d(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                     view4(d[1], t[1], gd::SLOT_CONV_OUT),
                                     P[gd::SLOT_CONV_FLAG] != 0));
}

napi_value AvgPool2dBackward(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::avg_pool2d_backward(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                              view4(d[1], t[1], gd::SLOT_CONV_OUT),
                                              P[gd::SLOT_CONV_FLAG] != 0));
}

// Fused convolution, float32: x or grad (views4 at convIn / convOut), the geometry, and
// convFlag = has bias.
// P: conv slots | x | out [N, O, oh, ow]   (x w bias|placeholder out)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  void* d[4];
  int t[4];
  if (!args<4>(env, info, d, t)) return boolean(env, false);
  for (int i = 0; i < 4; i++)
    if (t[i] != gd::F32) return boolean(env, false);
  const gd::View4 out = view4(d[3], t[3], gd::SLOT_CONV_OUT);
  return boolean(env, gd::conv2d(view4(d[0], t[0], gd::SLOT_CONV_IN), geometry(),
                                 static_cast<const float*>(d[1]), out.n[1],
                                 P[gd::SLOT_CONV_FLAG] != 0 ? static_cast<const float*>(d[2]) : nullptr,
                                 static_cast<float*>(d[3]), out.n[2], out.n[3]));
}

// P: conv slots | grad [N, O, oh, ow] | out [N, C, H, W]   (grad w out)
napi_value Conv2dBackwardInput(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  for (int i = 0; i < 3; i++)
    if (t[i] != gd::F32) return boolean(env, false);
  const gd::View4 grad = view4(d[0], t[0], gd::SLOT_CONV_IN);
  const gd::View4 out = view4(d[2], t[2], gd::SLOT_CONV_OUT);
  return boolean(env, gd::conv2d_backward_input(static_cast<const float*>(d[0]),
                                                static_cast<const float*>(d[1]), grad.n[1],
                                                geometry(), out.n[0], out.n[1], out.n[2],
                                                out.n[3], grad.n[2], grad.n[3],
                                                static_cast<float*>(d[2])));
}

// P: conv slots | x | grad [N, O, oh, ow]   (grad x dw)
napi_value Conv2dBackwardWeight(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  for (int i = 0; i < 3; i++)
    if (t[i] != gd::F32) return boolean(env, false);
  const gd::View4 grad = view4(d[0], t[0], gd::SLOT_CONV_OUT);
  return boolean(env, gd::conv2d_backward_weight(static_cast<const float*>(d[0]),
                                                 view4(d[1], t[1], gd::SLOT_CONV_IN), geometry(),
                                                 grad.n[1], grad.n[2], grad.n[3],
                                                 static_cast<float*>(d[2])));
}

// P: - n0 n1 | index | values | line | step size accumulate
napi_value Gather(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::gather((long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1], view(d[0], t[0], 0),
                                 view(d[1], t[1], 1), view(d[2], t[2], 2),
                                 (long)P[gd::SLOT_INDEX_STEP], (long)P[gd::SLOT_INDEX_SIZE]));
}

napi_value Scatter(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::scatter((long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1], view(d[0], t[0], 0),
                                  view(d[1], t[1], 1), view(d[2], t[2], 2),
                                  (long)P[gd::SLOT_INDEX_STEP], (long)P[gd::SLOT_INDEX_SIZE],
                                  P[gd::SLOT_INDEX_ACCUMULATE] != 0));
}

// P: - n h | gates | c
napi_value LstmCell(napi_env env, napi_callback_info info) {
  void* d[4];
  int t[4];
  if (!args<4>(env, info, d, t) || t[2] != gd::F32 || t[3] != gd::F32) return boolean(env, false);
  const long n = (long)P[gd::SLOT_N0], h = (long)P[gd::SLOT_N1];
  return boolean(env, gd::lstm_cell(n, h, view(d[0], t[0], 0), view(d[1], t[1], 1),
                                    static_cast<float*>(d[2]), static_cast<float*>(d[3])));
}

// P: - n h | - | - | c   (grad, act, hc, dgates, dc contiguous)
napi_value LstmCellBackward(napi_env env, napi_callback_info info) {
  void* d[6];
  int t[6];
  if (!args<6>(env, info, d, t)) return boolean(env, false);
  for (int i : {0, 1, 3, 4, 5})
    if (t[i] != gd::F32) return boolean(env, false);
  const long n = (long)P[gd::SLOT_N0], h = (long)P[gd::SLOT_N1];
  return boolean(env, gd::lstm_cell_backward(
                          n, h, static_cast<const float*>(d[0]), static_cast<const float*>(d[1]),
                          view(d[2], t[2], 2), static_cast<const float*>(d[3]),
                          static_cast<float*>(d[4]), static_cast<float*>(d[5])));
}

// Arguments whose slot flag (P[at]) is 0 are placeholders: null for the kernel.
template <class T>
T* optional(void* d, int at) {
  return P[at] != 0 ? static_cast<T*>(d) : nullptr;
}

// P: - rows d | eps hasWeight hasBias   (x w b out mean rstd; all float32, contiguous)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  void* d[6];
  int t[6];
  if (!args<6>(env, info, d, t)) return boolean(env, false);
  for (int i = 0; i < 6; i++)
    if (t[i] != gd::F32) return boolean(env, false);
  return boolean(env, gd::layer_norm((long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1],
                                     static_cast<const float*>(d[0]),
                                     optional<const float>(d[1], gd::SLOT_NORM_HAS_WEIGHT),
                                     optional<const float>(d[2], gd::SLOT_NORM_HAS_BIAS),
                                     P[gd::SLOT_NORM_EPS], static_cast<float*>(d[3]),
                                     static_cast<float*>(d[4]), static_cast<float*>(d[5])));
}

// P: - rows d | - hasWeight - needDx needWeight needBias   (g x mean rstd w dx dw db)
napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  void* d[8];
  int t[8];
  if (!args<8>(env, info, d, t)) return boolean(env, false);
  for (int i = 0; i < 8; i++)
    if (t[i] != gd::F32) return boolean(env, false);
  return boolean(env, gd::layer_norm_backward(
                          (long)P[gd::SLOT_N0], (long)P[gd::SLOT_N1], static_cast<const float*>(d[0]),
                          static_cast<const float*>(d[1]), static_cast<const float*>(d[2]),
                          static_cast<const float*>(d[3]),
                          optional<const float>(d[4], gd::SLOT_NORM_HAS_WEIGHT),
                          optional<float>(d[5], gd::SLOT_NORM_NEED_DX),
                          optional<float>(d[6], gd::SLOT_NORM_NEED_WEIGHT),
                          optional<float>(d[7], gd::SLOT_NORM_NEED_BIAS)));
}

// P: n lr beta1 beta2 eps wd step flags   (param grad expAvg expAvgSq maxExpAvgSq|placeholder)
napi_value AdamStep(napi_env env, napi_callback_info info) {
  void* d[5];
  int t[5];
  if (!args<5>(env, info, d, t)) return boolean(env, false);
  const int flags = (int)P[gd::SLOT_ADAM_FLAGS];
  for (int i = 1; i < ((flags & 4) ? 5 : 4); i++)
    if (t[i] != t[0]) return boolean(env, false);
  return boolean(env, gd::adam_step((long)P[gd::SLOT_ADAM_LENGTH], t[0], d[0], d[1], d[2], d[3],
                                    (flags & 4) ? d[4] : nullptr, P[gd::SLOT_ADAM_LR],
                                    P[gd::SLOT_ADAM_BETA1], P[gd::SLOT_ADAM_BETA2],
                                    P[gd::SLOT_ADAM_EPS], P[gd::SLOT_ADAM_WEIGHT_DECAY],
                                    P[gd::SLOT_ADAM_STEP], flags & 3));
}

// P: n lr momentum dampening wd flags   (param grad momentumBuffer|placeholder)
napi_value SgdStep(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  const int flags = (int)P[gd::SLOT_SGD_FLAGS];
  for (int i = 1; i < ((flags & 8) ? 3 : 2); i++)
    if (t[i] != t[0]) return boolean(env, false);
  return boolean(env, gd::sgd_step((long)P[gd::SLOT_SGD_LENGTH], t[0], d[0], d[1],
                                   (flags & 8) ? d[2] : nullptr, P[gd::SLOT_SGD_LR],
                                   P[gd::SLOT_SGD_MOMENTUM], P[gd::SLOT_SGD_DAMPENING],
                                   P[gd::SLOT_SGD_WEIGHT_DECAY], flags & 7));
}

// P: threshold | state (the engine's words as int32) | counters (left, next) | out
napi_value MtBernoulli(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t) || t[0] != gd::I32 || t[1] != gd::I32) return boolean(env, false);
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_typedarray_type type;
  size_t words, counters, n;
  void* ignored;
  napi_value ab;
  size_t off;
  napi_get_typedarray_info(env, argv[0], &type, &words, &ignored, &ab, &off);
  napi_get_typedarray_info(env, argv[1], &type, &counters, &ignored, &ab, &off);
  napi_get_typedarray_info(env, argv[2], &type, &n, &ignored, &ab, &off);
  if (words != 624 || counters != 2) return boolean(env, false);
  return boolean(env, gd::mt_bernoulli(static_cast<uint32_t*>(d[0]), static_cast<int32_t*>(d[1]),
                                       d[2], t[2], (long)n, P[gd::SLOT_BERNOULLI_THRESHOLD]));
}

// The op names behind each kernel code, as the generated header has them: the TypeScript side
// takes its codes from here, so a stale addon can never run one op in place of another.
napi_value Tables(napi_env env, napi_callback_info) {
  napi_value r, u, b;
  napi_create_object(env, &r);
  napi_create_string_utf8(env, gd::UNARY_TABLE, NAPI_AUTO_LENGTH, &u);
  napi_create_string_utf8(env, gd::BINARY_TABLE, NAPI_AUTO_LENGTH, &b);
  napi_set_named_property(env, r, "unary", u);
  napi_set_named_property(env, r, "binary", b);
  return r;
}

}  // namespace

// Tensors are typed arrays that V8 allocates with calloc. glibc serves blocks over 128 KiB
// with fresh mmap()s, so every activation of a training step page-faults its memory in and
// unmaps it again. Raising the mmap and trim thresholds lets freed blocks be reused instead
// (memory is still returned when it is not needed: trimming starts past 256 MiB of slack).
// GD_MALLOC_TUNE=0 leaves malloc alone.
static void tune_malloc() {
#if defined(__GLIBC__)
  static bool done = false;
  if (done) return;
  done = true;
  const char* env = std::getenv("GD_MALLOC_TUNE");
  if (env && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

NAPI_MODULE_INIT() {
  tune_malloc();
  const napi_property_descriptor props[] = {
      {"tables", nullptr, Tables, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gather", nullptr, Gather, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"scatter", nullptr, Scatter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardInput", nullptr, Conv2dBackwardInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardWeight", nullptr, Conv2dBackwardWeight, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"im2col", nullptr, Im2col, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, Col2im, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2d", nullptr, MaxPool2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2dBackward", nullptr, MaxPool2dBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2d", nullptr, AvgPool2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2dBackward", nullptr, AvgPool2dBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgdStep", nullptr, SgdStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNorm", nullptr, LayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormBackward", nullptr, LayerNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCell", nullptr, LstmCell, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCellBackward", nullptr, LstmCellBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"mtBernoulli", nullptr, MtBernoulli, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setParams", nullptr, SetParams, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"simd", nullptr, Simd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"where", nullptr, Where, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"copy", nullptr, Copy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
