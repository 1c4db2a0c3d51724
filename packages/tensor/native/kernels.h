// Kernels of the native backend (float32 unless noted). All take element strides, so
// transposed and broadcast views need no copy.
#pragma once
#include <cstdint>

// DT, the SLOT_* constants and the elementwise ops, generated from the registry (build/generated).
#include "elementwise.h"

namespace gd {

// C[m, n] (row stride ldc) = A[m, k] x B[k, n] (+ C when accumulate), A and B read through
// (row, column) strides. Splits the work across the pool when it is large enough.
void sgemm(int m, int n, int k, const float* a, long ars, long acs, const float* b, long brs,
           long bcs, float* c, long ldc, bool accumulate);
// The same product on the calling thread only (for kernels that split work themselves).
void sgemm_serial(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                  long brs, long bcs, float* c, long ldc, bool accumulate);
// Where the products of a batched GEMM sit: `outer` x `inner` of them, product (i, j) at
// a + i*a_outer + j*a_inner (and the same for b and c). Two levels, so the per-head products of
// attention ([batch, heads] over a [batch, seq, heads, dim] tensor) need no copy.
struct BatchNest {
  int outer, inner;
  long a_outer, a_inner, b_outer, b_inner, c_outer, c_inner;
};
// The nest's outer*inner products, each C[m, n] = A[m, k] x B[k, n] (+ C when accumulate).
void sgemm_batched(const BatchNest& nest, int m, int n, int k, const float* a, long ars, long acs,
                   const float* b, long brs, long bcs, float* c, long ldc, bool accumulate);

}  // namespace gd

namespace gd {

struct View2 {
  void* data;
  int dt;
  long off, s0, s1;
};

// Elementwise kernels over a 2-d loop nest [n0, n1]; ops compute in double, as the reference
// backend does, and round once on store. Return false when the dtype combination is not
// handled (the caller then falls back to the reference backend).
bool binary(int op, long n0, long n1, const View2& a, const View2& b, const View2& out, double p);
bool unary(int op, long n0, long n1, const View2& x, const View2& out, double p0, double p1);
bool where(long n0, long n1, const View2& c, const View2& a, const View2& b, const View2& out);
bool copy(long n0, long n1, const View2& x, const View2& out);
// out[p] = reduce over q, then r, of x[off + p*ps + q*qs + r*rs] (nq = 1: one reduced run);
// out[p] at out.off + p*out.s0.
bool reduce(int op, long np, long nr, const View2& x, const View2& out, long nq, long qs);
// Softmax over lines of length len (stride x.s1 / out.s1), np lines (stride s0).
bool softmax(long np, long len, const View2& x, const View2& out, bool log);

// Gather and scatter along one dim over a 2-d loop nest [n0, n1] of the index (int32): the
// element of `line` at line.off + i*s0 + j*s1 + index * step is read (gather, into values) or
// written from values (scatter; += with accumulate), in row-major order. Every index is checked
// against size before anything is written: false for one out of range (or for dtypes not
// handled), and nothing was written.
bool gather(long n0, long n1, const View2& index, const View2& values, const View2& line,
            long step, long size);
bool scatter(long n0, long n1, const View2& index, const View2& values, const View2& line,
             long step, long size, bool accumulate);

// A 4-d view (a 3-d one leaves n[3] = 1): sizes and strides in elements.
struct View4 {
  void* data;
  int dt;
  long off;
  long n[4];
  long s[4];
};

// Window geometry of convolution and pooling, as PyTorch names it.
struct Geometry {
  long kh, kw, sh, sw, ph, pw, dh, dw;
};

// Convolution (float32, one group) without a column matrix: per group of images, im2col into a
// per-thread buffer and a GEMM. conv2d: x [N, C, H, W] (a view), w [O, C*kh*kw] and bias [O]
// (or null) contiguous, into contiguous out [N, O, oh*ow]. Its input gradient from contiguous
// grad [N, O, oh*ow] into contiguous out [N, C, H, W] (written, not accumulated); its weight
// gradient into dw [O, C*kh*kw], summed over fixed chunks of images so the result does not
// depend on the thread count. False for dtypes not handled.
bool conv2d(const View4& x, const Geometry& g, const float* w, long o, const float* bias,
            float* out, long oh, long ow);
bool conv2d_backward_input(const float* grad, const float* w, long o, const Geometry& g, long n,
                           long c, long h, long wd, long oh, long ow, float* out);
bool conv2d_backward_weight(const float* grad, const View4& x, const Geometry& g, long o,
                            long oh, long ow, float* dw);

// im2col: x [N, C, H, W] into contiguous cols [N, C*kh*kw, L]; col2im sums cols back into out
// (zero-filled by the caller). Pooling: max (with flat h*W + w indices, int32) and average, and
// average pooling's gradient accumulated into out. All return false for dtypes they do not
// handle (float32 and float64 are).
bool im2col(const View4& x, const Geometry& g, const View4& cols);
bool col2im(const View4& cols, const Geometry& g, const View4& out);
bool max_pool2d(const View4& x, const Geometry& g, const View4& out, const View4& indices);
// Max pooling's gradient: grad and indices [N, C, oh, ow] into out [N, C, H, W] (planes
// contiguous; written, not accumulated). False, having written nothing, for an index out of
// range or dtypes not handled.
bool max_pool2d_backward(const View4& grad, const View4& idx, const View4& out);
bool avg_pool2d(const View4& x, const Geometry& g, const View4& out, bool include_pad);
bool avg_pool2d_backward(const View4& grad, const Geometry& g, const View4& out,
                         bool include_pad);

// The LSTM cell's pointwise part, float32: gates [n, 4h] and c [n, h] (views with unit column
// stride; c's row stride may be 0) into contiguous hc [n, 2h] = [h1 | c1] and act [n, 4h]; and
// its gradients from contiguous grad [n, 2h], act, c, hc into contiguous dgates and dc [n, h].
bool lstm_cell(long n, long h, const View2& gates, const View2& c, float* hc, float* act);
bool lstm_cell_backward(long n, long h, const float* grad, const float* act, const View2& c,
                        const float* hc, float* dgates, float* dc);

// Layer normalisation of contiguous float32 rows [rows, d]: out, and each row's mean and rstd;
// w and b are [d] or null. Its backward writes dx [rows, d], dw and db [d] where not null.
bool layer_norm(long rows, long d, const float* x, const float* w, const float* b, double eps,
                float* out, float* mean, float* rstd);
bool layer_norm_backward(long rows, long d, const float* g, const float* x, const float* mean,
                         const float* rstd, const float* w, float* dx, float* dw, float* db);

// One Adam/AdamW update in place over n contiguous elements (float32 or float64, all of one
// dtype); max_sq is null without amsgrad. flags: 1 decoupled weight decay, 2 maximize.
bool adam_step(long n, int dt, void* p, const void* g, void* m, void* v, void* max_sq, double lr,
               double beta1, double beta2, double eps, double wd, double step, int flags);

// One SGD update in place over n contiguous elements (float32 or float64, all of one dtype);
// buf (the momentum buffer) is null without momentum. flags: 1 nesterov, 2 maximize, 4 first
// step (the buffer becomes the gradient).
bool sgd_step(long n, int dt, void* p, const void* g, void* buf, double lr, double momentum,
              double dampening, double wd, int flags);

// Bernoulli(p) samples into out (n elements of dtype dt) from the mt19937 engine whose 624
// state words and (left, next) counters are given, as PyTorch's scalar-p CPU kernel draws them;
// threshold is p * 2^53. Advances the state and counters; false for a dtype not handled or
// counters out of range (nothing drawn).
bool mt_bernoulli(uint32_t* state, int32_t* counters, void* out, int dt, long n, double threshold);

}  // namespace gd
