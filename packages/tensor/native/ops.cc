// Elementwise, reduction and softmax kernels of the native backend. They compute in double and
// round once when storing, like the reference backend, so results match it (bit for bit for
// arithmetic; within an ulp of the math library for transcendental functions).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace gd {

namespace {

// Runs body(i0, i1, j0, j1) over [0, n0) x [0, n1), split across the pool when large.
template <class Body>
void for_2d(long n0, long n1, Body& body, long grain = 1 << 15) {
  Pool& p = pool();
  const long total = n0 * n1;
  const int threads = p.threads();
  if (threads == 1 || total < grain * 2) {
    body(0, n0, 0, n1);
    return;
  }
  struct Ctx {
    Body* body;
    long n0, n1, chunk;
    bool rows;
  } ctx{&body, n0, n1, 0, n0 >= threads};
  long tasks = std::min<long>(threads * 4, total / grain);
  if (tasks < 2) tasks = 2;
  if (ctx.rows) {
    if (tasks > n0) tasks = n0;
    ctx.chunk = (n0 + tasks - 1) / tasks;
  } else {
    ctx.chunk = ((n1 + tasks - 1) / tasks + 63) & ~63L;
  }
  const long len = ctx.rows ? n0 : n1;
  const int ntasks = (int)((len + ctx.chunk - 1) / ctx.chunk);
  p.run(
      ntasks,
      [](void* c, int t) {
        Ctx& x = *static_cast<Ctx*>(c);
        const long s = t * x.chunk;
        if (x.rows) {
          (*x.body)(s, std::min(x.n0, s + x.chunk), 0, x.n1);
        } else {
          (*x.body)(0, x.n0, s, std::min(x.n1, s + x.chunk));
        }
      },
      &ctx);
}

template <class T>
inline double ld(const T* p) {
  return (double)*p;
}

template <class T>
inline T st(double v);
template <>
inline float st<float>(double v) {
  return (float)v;
}
template <>
inline double st<double>(double v) {
  return v;
}
template <>
inline uint8_t st<uint8_t>(double v) {
  return v != 0 ? 1 : 0;
}
template <>
inline int32_t st<int32_t>(double v) {
  return (int32_t)v;
}

// ---- binary ---------------------------------------------------------------------------------

template <class C, class O>
inline O store(C v) {
  return st<O>((double)v);
}
template <>
inline float store<float, float>(float v) {
  return v;
}

template <class Op, class A, class B, class O>
struct BinaryBody {
  // float arithmetic where it is exact, double otherwise (as the reference backend).
  typedef typename std::conditional<Op::exact && std::is_same<O, float>::value, float,
                                    double>::type C;
  const A* a;
  const B* b;
  O* o;
  long as0, as1, bs0, bs1, os0, os1;
  double p;
  void operator()(long i0, long i1, long j0, long j1) {
    const C pc = (C)p;
    for (long i = i0; i < i1; i++) {
      const A* ar = a + i * as0;
      const B* br = b + i * bs0;
      O* orow = o + i * os0;
      if (as1 == 1 && bs1 == 1 && os1 == 1) {
        for (long j = j0; j < j1; j++) orow[j] = store<C, O>(Op::f((C)ar[j], (C)br[j], pc));
      } else if (as1 == 1 && bs1 == 0 && os1 == 1) {
        const C bv = (C)br[0];
        for (long j = j0; j < j1; j++) orow[j] = store<C, O>(Op::f((C)ar[j], bv, pc));
      } else if (as1 == 0 && bs1 == 1 && os1 == 1) {
        const C av = (C)ar[0];
        for (long j = j0; j < j1; j++) orow[j] = store<C, O>(Op::f(av, (C)br[j], pc));
      } else {
        for (long j = j0; j < j1; j++)
          orow[j * os1] = store<C, O>(Op::f((C)ar[j * as1], (C)br[j * bs1], pc));
      }
    }
  }
};

template <class Op, class A, class B, class O>
void run_binary(long n0, long n1, const View2& a, const View2& b, const View2& o, double p) {
  BinaryBody<Op, A, B, O> body{(const A*)a.data + a.off,
                               (const B*)b.data + b.off,
                               (O*)o.data + o.off,
                               a.s0,
                               a.s1,
                               b.s0,
                               b.s1,
                               o.s0,
                               o.s1,
                               p};
  for_2d(n0, n1, body);
}

template <class Op>
bool binary_types(long n0, long n1, const View2& a, const View2& b, const View2& o, double p,
                  bool cmp) {
  if (!cmp) {
    if (o.dt == F32) {
      if (a.dt == F32 && b.dt == F32) return run_binary<Op, float, float, float>(n0, n1, a, b, o, p), true;
      if (a.dt == F32 && b.dt == U8) return run_binary<Op, float, uint8_t, float>(n0, n1, a, b, o, p), true;
      if (a.dt == U8 && b.dt == F32) return run_binary<Op, uint8_t, float, float>(n0, n1, a, b, o, p), true;
    } else if (o.dt == F64) {
      if (a.dt == F64 && b.dt == F64) return run_binary<Op, double, double, double>(n0, n1, a, b, o, p), true;
    }
    return false;
  }
  if (o.dt != U8) return false;
  if (a.dt == F32 && b.dt == F32) return run_binary<Op, float, float, uint8_t>(n0, n1, a, b, o, p), true;
  if (a.dt == F64 && b.dt == F64) return run_binary<Op, double, double, uint8_t>(n0, n1, a, b, o, p), true;
  return false;
}

// ---- unary ----------------------------------------------------------------------------------

// The ops themselves (structs with `exact` and `f`) are generated from the op registry
// into elementwise.h (see src/backend/fast/codegen.ts).

template <class Op, class T>
struct UnaryBody {
  typedef typename std::conditional<Op::exact && std::is_same<T, float>::value, float,
                                    double>::type C;
  const T* x;
  T* o;
  long xs0, xs1, os0, os1;
  double p0, p1;
  void operator()(long i0, long i1, long j0, long j1) {
    const C q0 = (C)p0, q1 = (C)p1;
    for (long i = i0; i < i1; i++) {
      const T* xr = x + i * xs0;
      T* orow = o + i * os0;
      if (xs1 == 1 && os1 == 1) {
        for (long j = j0; j < j1; j++) orow[j] = (T)Op::f((C)xr[j], q0, q1);
      } else {
        for (long j = j0; j < j1; j++) orow[j * os1] = (T)Op::f((C)xr[j * xs1], q0, q1);
      }
    }
  }
};

// float32 tanh and sigmoid are the activations of every recurrent step: rather than one call
// to std::tanh / std::exp in double per element, a branch-free exp in double that the compiler
// vectorises (Cody-Waite reduction by ln 2, a degree-11 polynomial, the power of two built from
// the bits), accurate to a few double ulps, so the float results are still correctly rounded
// or within one float ulp. float64 keeps std:: (its tests ask for 1e-12).
namespace fastexp {
inline double exp(double x) {
  x = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  const double magic = 6755399441055744.0;  // 2^52 + 2^51: adding it rounds to an integer
  const double kd = x * 1.4426950408889634 + magic;
  const double k = kd - magic;
  const double r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  double p = 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  int64_t bits;
  std::memcpy(&bits, &kd, 8);
  const int64_t e = (bits - (int64_t)0x4338000000000000LL + 1023) << 52;
  double scale;
  std::memcpy(&scale, &e, 8);
  return p * scale;
}
inline float tanh(float xf) {
  const double x = xf;
  const double e = exp(2.0 * x);
  const double t = (e - 1.0) / (e + 1.0);
  // Near zero e - 1 cancels: the series is exact to float precision there.
  const double small = x * (1.0 - x * x / 3.0);  // keeps the sign of -0
  const double ax = x < 0 ? -x : x;
  double v = ax < 1e-4 ? small : t;
  v = ax > 20.0 ? (x < 0 ? -1.0 : 1.0) : v;
  return (float)(x != x ? x : v);
}
inline float sigmoid(float xf) {
  const double x = xf;
  const double v = 1.0 / (1.0 + exp(-x));
  return (float)(x != x ? x : v);
}
}  // namespace fastexp

}  // namespace

// The LSTM cell's pointwise part, float32 (the formulas of the reference kernel in
// src/backend/reference/rnn.ts), rows split across the pool. One row: each loop is a straight
// pass the compiler vectorises, the activations being the unary kernels' float32 sigmoid and
// tanh, the products and sums in double.
static void lstm_row(long h, const float* __restrict g, const float* __restrict c,
                     float* __restrict hc, float* __restrict a) {
  for (long j = 0; j < h; j++) a[j] = fastexp::sigmoid(g[j]);
  for (long j = h; j < 2 * h; j++) a[j] = fastexp::sigmoid(g[j]);
  for (long j = 2 * h; j < 3 * h; j++) a[j] = fastexp::tanh(g[j]);
  for (long j = 3 * h; j < 4 * h; j++) a[j] = fastexp::sigmoid(g[j]);
  for (long j = 0; j < h; j++)
    hc[h + j] = (float)((double)a[h + j] * c[j] + (double)a[j] * a[2 * h + j]);
  for (long j = 0; j < h; j++) hc[j] = (float)((double)a[3 * h + j] * fastexp::tanh(hc[h + j]));
}

bool lstm_cell(long n, long h, const View2& gates, const View2& c, float* hc, float* act) {
  if (gates.dt != F32 || c.dt != F32 || gates.s1 != 1 || c.s1 != 1) return false;
  const float* g = (const float*)gates.data + gates.off;
  const float* cd = (const float*)c.data + c.off;
  auto body = [&](long r0, long r1, long, long) {
    for (long r = r0; r < r1; r++)
      lstm_row(h, g + r * gates.s0, cd + r * c.s0, hc + r * 2 * h, act + r * 4 * h);
  };
  for_2d(n, 1, body, std::max(1L, 16384 / (4 * h)));  // tasks of >= 16K gates
  return true;
}

static void lstm_row_backward(long h, const float* __restrict gr, const float* __restrict a,
                              const float* __restrict c, const float* __restrict hc,
                              float* __restrict d, float* __restrict dc, float* __restrict tc) {
  for (long j = 0; j < h; j++) tc[j] = fastexp::tanh(hc[h + j]);
  for (long j = 0; j < h; j++) {
    const double i = a[j], f = a[h + j], gg = a[2 * h + j], og = a[3 * h + j];
    const double t = tc[j], dh = gr[j];
    const double dct = gr[h + j] + dh * og * (1.0 - t * t);
    d[j] = (float)(dct * gg * i * (1.0 - i));
    d[h + j] = (float)(dct * c[j] * f * (1.0 - f));
    d[2 * h + j] = (float)(dct * i * (1.0 - gg * gg));
    d[3 * h + j] = (float)(dh * t * og * (1.0 - og));
    dc[j] = (float)(dct * f);
  }
}

bool lstm_cell_backward(long n, long h, const float* grad, const float* act, const View2& c,
                        const float* hc, float* dgates, float* dc) {
  if (c.dt != F32 || c.s1 != 1) return false;
  const float* cd = (const float*)c.data + c.off;
  auto body = [&](long r0, long r1, long, long) {
    std::vector<float> tc(h);
    for (long r = r0; r < r1; r++)
      lstm_row_backward(h, grad + r * 2 * h, act + r * 4 * h, cd + r * c.s0, hc + r * 2 * h,
                        dgates + r * 4 * h, dc + r * h, tc.data());
  };
  for_2d(n, 1, body, std::max(1L, 16384 / (4 * h)));
  return true;
}

// Layer normalisation over contiguous float32 rows [rows, d] (double statistics; the formulas
// are the reference kernel's, src/backend/reference/layer-norm.ts). One thread: the rows of a
// transformer's activations are a few thousand elements each way.
// Sum of term(j) over j < d in 8 interleaved partial sums, so the compiler can keep them in one
// vector register instead of a chain of dependent adds. The order is fixed by d alone: every
// thread count gives the same bits (the reference backend sums in order; tests compare within
// a tolerance).
template <class Term>
inline double lane_sum(long d, Term term) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  long j = 0;
  for (; j + 8 <= d; j += 8)
    for (int q = 0; q < 8; q++) acc[q] += term(j + q);
  double tail = 0;
  for (; j < d; j++) tail += term(j);
  return (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) +
         tail;
}

bool layer_norm(long rows, long d, const float* x, const float* w, const float* b, double eps,
                float* out, float* mean, float* rstd) {
  for (long r = 0; r < rows; r++) {
    const float* xr = x + r * d;
    const double mu = lane_sum(d, [&](long j) { return (double)xr[j]; }) / d;
    const double sq = lane_sum(d, [&](long j) {
      const double c = xr[j] - mu;
      return c * c;
    });
    const double rs = 1.0 / std::sqrt(sq / d + eps);
    mean[r] = (float)mu;
    rstd[r] = (float)rs;
    float* o = out + r * d;
    for (long j = 0; j < d; j++) {
      double v = (xr[j] - mu) * rs;
      if (w) v *= w[j];
      if (b) v += b[j];
      o[j] = (float)v;
    }
  }
  return true;
}

namespace {
// One row's input gradient; HasWeight picked outside the loops so they vectorise.
template <bool HasWeight>
void layer_norm_dx_row(long d, const float* gr, const float* xr, const float* w, double mu,
                       double rs, float* o) {
  auto xhat = [&](long j) { return (xr[j] - mu) * rs; };
  auto dxhat = [&](long j) { return HasWeight ? (double)gr[j] * w[j] : (double)gr[j]; };
  const double m1 = lane_sum(d, dxhat) / d;
  const double m2 = lane_sum(d, [&](long j) { return dxhat(j) * xhat(j); }) / d;
  for (long j = 0; j < d; j++) o[j] = (float)(rs * (dxhat(j) - m1 - xhat(j) * m2));
}
}  // namespace

bool layer_norm_backward(long rows, long d, const float* g, const float* x, const float* mean,
                         const float* rstd, const float* w, float* dx, float* dw, float* db) {
  std::vector<double> sw(dw ? d : 0, 0.0), sb(db ? d : 0, 0.0);
  for (long r = 0; r < rows; r++) {
    const float* gr = g + r * d;
    const float* xr = x + r * d;
    const double mu = mean[r], rs = rstd[r];
    // The parameters' gradients sum over rows, each column on its own (vectorised over j).
    if (dw)
      for (long j = 0; j < d; j++) sw[j] += gr[j] * ((xr[j] - mu) * rs);
    if (db)
      for (long j = 0; j < d; j++) sb[j] += gr[j];
    if (!dx) continue;
    if (w)
      layer_norm_dx_row<true>(d, gr, xr, w, mu, rs, dx + r * d);
    else
      layer_norm_dx_row<false>(d, gr, xr, w, mu, rs, dx + r * d);
  }
  for (long j = 0; dw && j < d; j++) dw[j] = (float)sw[j];
  for (long j = 0; db && j < d; j++) db[j] = (float)sb[j];
  return true;
}

// Adam (see src/backend/reference/optim.ts for the formulas), double inside, split across the
// pool in element ranges.
template <class T>
void adam_typed(long n, T* p, const T* g, T* m, T* v, T* max_sq, double lr, double beta1,
                double beta2, double eps, double wd, double step, int flags) {
  const double step_size = lr / (1.0 - std::pow(beta1, step));
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(beta2, step));
  const bool decoupled = flags & 1, maximize = flags & 2;
  const double shrink = decoupled ? 1.0 - lr * wd : 1.0;
  const double l2 = decoupled ? 0.0 : wd;
  auto body = [&](long, long, long j0, long j1) {
    for (long i = j0; i < j1; i++) {
      const double p0 = p[i];
      double gi = maximize ? -(double)g[i] : (double)g[i];
      gi += l2 * p0;
      m[i] = (T)(m[i] * beta1 + (1.0 - beta1) * gi);
      v[i] = (T)(v[i] * beta2 + (1.0 - beta2) * gi * gi);
      double vh = v[i];
      if (max_sq) {
        const double a = max_sq[i];
        vh = (a != a || vh != vh) ? a + vh : (a > vh ? a : vh);  // NaN wins, as Math.max
        max_sq[i] = (T)vh;
      }
      p[i] = (T)(p0 * shrink - (step_size * (double)m[i]) / (std::sqrt(vh) / bc2_sqrt + eps));
    }
  };
  for_2d(1, n, body);
}

bool adam_step(long n, int dt, void* p, const void* g, void* m, void* v, void* max_sq, double lr,
               double beta1, double beta2, double eps, double wd, double step, int flags) {
  if (dt == F32)
    adam_typed(n, (float*)p, (const float*)g, (float*)m, (float*)v, (float*)max_sq, lr, beta1,
               beta2, eps, wd, step, flags);
  else if (dt == F64)
    adam_typed(n, (double*)p, (const double*)g, (double*)m, (double*)v, (double*)max_sq, lr,
               beta1, beta2, eps, wd, step, flags);
  else
    return false;
  return true;
}

// SGD (see src/backend/reference/optim.ts): each intermediate rounded to T, as the update
// written with elementwise ops (each computed in double, rounded once) stores it.
template <class T>
void sgd_typed(long n, T* p, const T* g, T* buf, double lr, double momentum, double dampening,
               double wd, int flags) {
  const bool nesterov = flags & 1, maximize = flags & 2, first = flags & 4;
  // buf.mul_(momentum) takes the scalar as a T; the ops' alphas stay double.
  const double momentum_t = (double)(T)momentum;
  auto body = [&](long, long, long j0, long j1) {
    for (long i = j0; i < j1; i++) {
      double d = maximize ? -(double)g[i] : (double)g[i];
      if (wd != 0) d = (double)(T)(d + wd * (double)p[i]);
      if (buf) {
        const double b = first ? d
                               : (double)(T)((double)(T)((double)buf[i] * momentum_t) +
                                             (1.0 - dampening) * d);
        buf[i] = (T)b;
        d = nesterov ? (double)(T)(d + momentum * b) : b;
      }
      p[i] = (T)((double)p[i] + -lr * d);
    }
  };
  for_2d(1, n, body);
}

bool sgd_step(long n, int dt, void* p, const void* g, void* buf, double lr, double momentum,
              double dampening, double wd, int flags) {
  if (dt == F32)
    sgd_typed(n, (float*)p, (const float*)g, (float*)buf, lr, momentum, dampening, wd, flags);
  else if (dt == F64)
    sgd_typed(n, (double*)p, (const double*)g, (double*)buf, lr, momentum, dampening, wd, flags);
  else
    return false;
  return true;
}

namespace {

template <float (*F)(float)>
struct FastUnaryF32 {
  const float* x;
  float* o;
  long xs0, xs1, os0, os1;
  void operator()(long i0, long i1, long j0, long j1) {
    for (long i = i0; i < i1; i++) {
      const float* xr = x + i * xs0;
      float* orow = o + i * os0;
      if (xs1 == 1 && os1 == 1) {
        for (long j = j0; j < j1; j++) orow[j] = F(xr[j]);
      } else {
        for (long j = j0; j < j1; j++) orow[j * os1] = F(xr[j * xs1]);
      }
    }
  }
};

template <class Op>
struct FastF32 {
  static constexpr bool has = false;
  static float f(float) { return 0; }
};
template <>
struct FastF32<ops::U_tanh> {
  static constexpr bool has = true;
  static float f(float x) { return fastexp::tanh(x); }
};
template <>
struct FastF32<ops::U_sigmoid> {
  static constexpr bool has = true;
  static float f(float x) { return fastexp::sigmoid(x); }
};

template <class Op>
bool unary_types(long n0, long n1, const View2& x, const View2& o, double p0, double p1) {
  if (x.dt != o.dt) return false;
  if (x.dt == F32 && FastF32<Op>::has) {
    FastUnaryF32<FastF32<Op>::f> body{(const float*)x.data + x.off, (float*)o.data + o.off, x.s0, x.s1, o.s0, o.s1};
    for_2d(n0, n1, body);
    return true;
  }
  if (x.dt == F32) {
    UnaryBody<Op, float> body{(const float*)x.data + x.off, (float*)o.data + o.off, x.s0, x.s1, o.s0, o.s1, p0, p1};
    for_2d(n0, n1, body);
    return true;
  }
  if (x.dt == F64) {
    UnaryBody<Op, double> body{(const double*)x.data + x.off, (double*)o.data + o.off, x.s0, x.s1, o.s0, o.s1, p0, p1};
    for_2d(n0, n1, body);
    return true;
  }
  return false;
}

// ---- where / copy ---------------------------------------------------------------------------

template <class T>
struct WhereBody {
  const uint8_t* c;
  const T* a;
  const T* b;
  T* o;
  long cs0, cs1, as0, as1, bs0, bs1, os0, os1;
  void operator()(long i0, long i1, long j0, long j1) {
    for (long i = i0; i < i1; i++)
      for (long j = j0; j < j1; j++)
        o[i * os0 + j * os1] = c[i * cs0 + j * cs1] ? a[i * as0 + j * as1] : b[i * bs0 + j * bs1];
  }
};

template <class S, class D>
struct CopyBody {
  const S* x;
  D* o;
  long xs0, xs1, os0, os1;
  void transpose(long i0, long i1, long j0, long j1) {
    constexpr long T = 32;
    for (long ib = i0; ib < i1; ib += T)
      for (long jb = j0; jb < j1; jb += T) {
        const long ie = std::min(i1, ib + T), je = std::min(j1, jb + T);
        for (long j = jb; j < je; j++)
          for (long i = ib; i < ie; i++) o[i * os0 + j] = st<D>((double)x[i + j * xs1]);
      }
  }
  void operator()(long i0, long i1, long j0, long j1) {
    for (long i = i0; i < i1; i++) {
      const S* xr = x + i * xs0;
      D* orow = o + i * os0;
      if (xs1 == 1 && os1 == 1) {
        for (long j = j0; j < j1; j++) orow[j] = st<D>((double)xr[j]);
      } else if (xs0 == 1 && os1 == 1 && xs1 > 1 && i1 - i0 > 1) {
        // A transpose: 32x32 tiles keep both sides in cache.
        transpose(i0, i1, j0, j1);
        return;
      } else if (xs1 == 0 && os1 == 1) {
        const D v = st<D>((double)xr[0]);
        for (long j = j0; j < j1; j++) orow[j] = v;
      } else {
        for (long j = j0; j < j1; j++) orow[j * os1] = st<D>((double)xr[j * xs1]);
      }
    }
  }
};

template <class S, class D>
void run_copy(long n0, long n1, const View2& x, const View2& o) {
  CopyBody<S, D> body{(const S*)x.data + x.off, (D*)o.data + o.off, x.s0, x.s1, o.s0, o.s1};
  for_2d(n0, n1, body);
}

template <class S>
bool copy_to(long n0, long n1, const View2& x, const View2& o) {
  switch (o.dt) {
    case F32: return run_copy<S, float>(n0, n1, x, o), true;
    case F64: return run_copy<S, double>(n0, n1, x, o), true;
    case U8: return run_copy<S, uint8_t>(n0, n1, x, o), true;
    default: return false;  // int32 truncation rules stay with the reference backend
  }
}

// ---- reductions -----------------------------------------------------------------------------

typedef double vd4 __attribute__((vector_size(32)));
typedef float vf4u __attribute__((vector_size(16), aligned(4)));
typedef double vd4u __attribute__((vector_size(32), aligned(8)));

inline double sum_contig(const float* x, long n) {
  vd4 s0 = {}, s1 = {};
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 += __builtin_convertvector(*(const vf4u*)(x + i), vd4);
    s1 += __builtin_convertvector(*(const vf4u*)(x + i + 4), vd4);
  }
  vd4 s = s0 + s1;
  double t = (s[0] + s[1]) + (s[2] + s[3]);
  for (; i < n; i++) t += x[i];
  return t;
}
inline double sum_contig(const double* x, long n) {
  vd4 s0 = {}, s1 = {};
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 += *(const vd4u*)(x + i);
    s1 += *(const vd4u*)(x + i + 4);
  }
  vd4 s = s0 + s1;
  double t = (s[0] + s[1]) + (s[2] + s[3]);
  for (; i < n; i++) t += x[i];
  return t;
}

template <class T>
struct ReduceBody {
  int op;  // REDUCE_SUM, REDUCE_MAX or REDUCE_MIN
  const T* x;
  T* o;
  long nr, ps, rs, os;
  void operator()(long i0, long i1, long, long) {
    if (op == REDUCE_SUM && ps == 1 && rs != 1) {
      // Column sums: walk rows in order, accumulate a strip of outputs in double.
      constexpr long STRIP = 512;
      double acc[STRIP];
      for (long p0 = i0; p0 < i1; p0 += STRIP) {
        const long w = std::min(STRIP, i1 - p0);
        for (long q = 0; q < w; q++) acc[q] = 0;
        for (long r = 0; r < nr; r++) {
          const T* xr = x + r * rs + p0;
          for (long q = 0; q < w; q++) acc[q] += (double)xr[q];
        }
        for (long q = 0; q < w; q++) o[(p0 + q) * os] = st<T>(acc[q]);
      }
      return;
    }
    for (long p = i0; p < i1; p++) {
      const T* xp = x + p * ps;
      double s;
      if (op == REDUCE_SUM) {
        if (rs == 1) {
          s = sum_contig(xp, nr);
        } else {
          s = 0;
          for (long r = 0; r < nr; r++) s += (double)xp[r * rs];
        }
      } else if (op == REDUCE_MAX) {
        s = -INFINITY;
        for (long r = 0; r < nr; r++) {
          const double v = xp[r * rs];
          if (v > s || v != v) s = v;
        }
      } else {
        s = INFINITY;
        for (long r = 0; r < nr; r++) {
          const double v = xp[r * rs];
          if (v < s || v != v) s = v;
        }
      }
      o[p * os] = st<T>(s);
    }
  }
};

template <class T>
struct SoftmaxBody {
  const T* x;
  T* o;
  long len, xps, xls, ops, ols;
  bool log;
  void operator()(long i0, long i1, long, long) {
    std::vector<double> e;
    for (long p = i0; p < i1; p++) {
      const T* xr = x + p * xps;
      T* orow = o + p * ops;
      double m = -INFINITY;
      for (long i = 0; i < len; i++) {
        const double v = xr[i * xls];
        if (v > m || v != v) m = v;
      }
      double sum = 0;
      if (sizeof(T) == 4 && xls == 1 && ols == 1) {
        // float32 rows: the exponentials in a vectorised pass (fastexp, a few double ulps),
        // then summed in order as the reference does.
        e.resize(len);
        for (long i = 0; i < len; i++) e[i] = fastexp::exp((double)xr[i] - m);
        for (long i = 0; i < len; i++) sum += e[i];
        if (log) {
          const double lse = std::log(sum) + m;
          for (long i = 0; i < len; i++) orow[i] = st<T>((double)xr[i] - lse);
        } else {
          const double inv = 1 / sum;
          for (long i = 0; i < len; i++) orow[i] = st<T>(e[i] * inv);
        }
        continue;
      }
      for (long i = 0; i < len; i++) sum += std::exp((double)xr[i * xls] - m);
      if (log) {
        const double lse = std::log(sum) + m;
        for (long i = 0; i < len; i++) orow[i * ols] = st<T>((double)xr[i * xls] - lse);
      } else {
        const double inv = 1 / sum;
        for (long i = 0; i < len; i++) orow[i * ols] = st<T>(std::exp((double)xr[i * xls] - m) * inv);
      }
    }
  }
};

}  // namespace

bool binary(int op, long n0, long n1, const View2& a, const View2& b, const View2& o, double p) {
#define GD_RUN_BINARY(Op, cmp) binary_types<Op>(n0, n1, a, b, o, p, cmp)
  GD_BINARY_SWITCH(GD_RUN_BINARY)
#undef GD_RUN_BINARY
}

bool unary(int op, long n0, long n1, const View2& x, const View2& o, double p0, double p1) {
#define GD_RUN_UNARY(Op) unary_types<Op>(n0, n1, x, o, p0, p1)
  GD_UNARY_SWITCH(GD_RUN_UNARY)
#undef GD_RUN_UNARY
}

bool where(long n0, long n1, const View2& c, const View2& a, const View2& b, const View2& o) {
  if (c.dt != U8 || a.dt != o.dt || b.dt != o.dt) return false;
  if (o.dt == F32) {
    WhereBody<float> body{(const uint8_t*)c.data + c.off, (const float*)a.data + a.off,
                          (const float*)b.data + b.off, (float*)o.data + o.off,
                          c.s0, c.s1, a.s0, a.s1, b.s0, b.s1, o.s0, o.s1};
    for_2d(n0, n1, body);
    return true;
  }
  if (o.dt == F64) {
    WhereBody<double> body{(const uint8_t*)c.data + c.off, (const double*)a.data + a.off,
                           (const double*)b.data + b.off, (double*)o.data + o.off,
                           c.s0, c.s1, a.s0, a.s1, b.s0, b.s1, o.s0, o.s1};
    for_2d(n0, n1, body);
    return true;
  }
  return false;
}

bool copy(long n0, long n1, const View2& x, const View2& o) {
  switch (x.dt) {
    case F32: return copy_to<float>(n0, n1, x, o);
    case F64: return copy_to<double>(n0, n1, x, o);
    case U8: return copy_to<uint8_t>(n0, n1, x, o);
    case I32: return copy_to<int32_t>(n0, n1, x, o);
    default: return false;
  }
}

// out[p] = reduce over q (outer) then r (inner) of x[p*ps + q*qs + r*rs], in double, in that
// order: a reduction over dims that do not collapse into one run (a conv bias gradient sums
// [N, C, H, W] over N and H*W), the same order as the reference backend's walk.
template <class T>
struct ReduceOuterBody {
  int op;
  const T* x;
  T* o;
  long nq, qs, nr, ps, rs, os;
  void operator()(long i0, long i1, long, long) {
    for (long p = i0; p < i1; p++) {
      double s = op == REDUCE_SUM ? 0.0 : op == REDUCE_MAX ? -INFINITY : INFINITY;
      for (long q = 0; q < nq; q++) {
        const T* xq = x + p * ps + q * qs;
        if (op == REDUCE_SUM) {
          if (rs == 1) {
            // Each contiguous run with sum_contig's partial sums, as a one-run reduction does.
            s += sum_contig(xq, nr);
          } else {
            for (long r = 0; r < nr; r++) s += (double)xq[r * rs];
          }
        } else {
          for (long r = 0; r < nr; r++) {
            const double v = xq[r * rs];
            if (op == REDUCE_MAX ? (v > s || v != v) : (v < s || v != v)) s = v;
          }
        }
      }
      o[p * os] = st<T>(s);
    }
  }
};

bool reduce(int op, long np, long nr, const View2& x, const View2& o, long nq, long qs) {
  if (x.dt != o.dt || (op != REDUCE_SUM && op != REDUCE_MAX && op != REDUCE_MIN)) return false;
  if (nq > 1) {
    const long grain = std::max<long>(1, (1 << 15) / std::max<long>(nr * nq, 1));
    if (x.dt == F32) {
      ReduceOuterBody<float> body{op, (const float*)x.data + x.off, (float*)o.data + o.off, nq, qs, nr, x.s0, x.s1, o.s0};
      for_2d(np, 1, body, grain);
      return true;
    }
    if (x.dt == F64) {
      ReduceOuterBody<double> body{op, (const double*)x.data + x.off, (double*)o.data + o.off, nq, qs, nr, x.s0, x.s1, o.s0};
      for_2d(np, 1, body, grain);
      return true;
    }
    return false;
  }
  const long grain = std::max<long>(1, (1 << 15) / std::max<long>(nr, 1));
  if (x.dt == F32) {
    ReduceBody<float> body{op, (const float*)x.data + x.off, (float*)o.data + o.off, nr, x.s0, x.s1, o.s0};
    for_2d(np, 1, body, grain);
    return true;
  }
  if (x.dt == F64) {
    ReduceBody<double> body{op, (const double*)x.data + x.off, (double*)o.data + o.off, nr, x.s0, x.s1, o.s0};
    for_2d(np, 1, body, grain);
    return true;
  }
  return false;
}

bool softmax(long np, long len, const View2& x, const View2& o, bool log) {
  if (x.dt != o.dt) return false;
  const long grain = std::max<long>(1, (1 << 14) / std::max<long>(len, 1));
  if (x.dt == F32) {
    SoftmaxBody<float> body{(const float*)x.data + x.off, (float*)o.data + o.off, len, x.s0, x.s1, o.s0, o.s1, log};
    for_2d(np, 1, body, grain);
    return true;
  }
  if (x.dt == F64) {
    SoftmaxBody<double> body{(const double*)x.data + x.off, (double*)o.data + o.off, len, x.s0, x.s1, o.s0, o.s1, log};
    for_2d(np, 1, body, grain);
    return true;
  }
  return false;
}

}  // namespace gd
