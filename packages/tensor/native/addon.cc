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

gd::View2 view(void* data, int dt, int at) {
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

// P: m n k ao ars acs bo brs bcs oo ldc accumulate
napi_value Gemm(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t) || t[0] != gd::F32 || t[1] != gd::F32 || t[2] != gd::F32)
    return boolean(env, false);
  const float* a = static_cast<const float*>(d[0]) + (long)P[3];
  const float* b = static_cast<const float*>(d[1]) + (long)P[6];
  float* c = static_cast<float*>(d[2]) + (long)P[9];
  gd::sgemm((int)P[0], (int)P[1], (int)P[2], a, (long)P[4], (long)P[5], b, (long)P[7],
            (long)P[8], c, (long)P[10], P[11] != 0);
  return boolean(env, true);
}

// P: op n0 n1 | a(off s0 s1) | b(off s0 s1) | out(off s0 s1) | p
napi_value Binary(napi_env env, napi_callback_info info) {
  void* d[3];
  int t[3];
  if (!args<3>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::binary((int)P[0], (long)P[1], (long)P[2], view(d[0], t[0], 3),
                                 view(d[1], t[1], 6), view(d[2], t[2], 9), P[12]));
}

// P: op n0 n1 | x | out | p0 p1
napi_value Unary(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::unary((int)P[0], (long)P[1], (long)P[2], view(d[0], t[0], 3),
                                view(d[1], t[1], 6), P[9], P[10]));
}

// P: - n0 n1 | cond | a | b | out
napi_value Where(napi_env env, napi_callback_info info) {
  void* d[4];
  int t[4];
  if (!args<4>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::where((long)P[1], (long)P[2], view(d[0], t[0], 3), view(d[1], t[1], 6),
                                view(d[2], t[2], 9), view(d[3], t[3], 12)));
}

// P: - n0 n1 | x | out
napi_value Copy(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::copy((long)P[1], (long)P[2], view(d[0], t[0], 3), view(d[1], t[1], 6)));
}

// P: op np nr | x(off ps rs) | out(off os -)
napi_value Reduce(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::reduce((int)P[0], (long)P[1], (long)P[2], view(d[0], t[0], 3),
                                 view(d[1], t[1], 6)));
}

// P: log np len | x(off ps ls) | out(off ps ls)
napi_value Softmax(napi_env env, napi_callback_info info) {
  void* d[2];
  int t[2];
  if (!args<2>(env, info, d, t)) return boolean(env, false);
  return boolean(env, gd::softmax((long)P[1], (long)P[2], view(d[0], t[0], 3),
                                  view(d[1], t[1], 6), P[0] != 0));
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
