// Convolution's im2col/col2im and 2-d pooling kernels of the native backend (NCHW, float32 and
// float64). Each (image, channel) plane is independent, so planes are split across the pool.
// Loops, accumulation order and precision follow the reference backend (src/backend/
// reference/conv.ts), so results are bit-identical to it.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "kernels.h"
#include "pool.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace gd {

namespace {

// Runs body(i0, i1) over [0, count) in chunks across the pool (about four per thread), or in
// one call on this thread when the work is too small to pay for the hand-off.
template <class Body>
void for_chunks(long count, bool worth_splitting, Body& body) {
  Pool& p = pool();
  if (p.threads() == 1 || !worth_splitting || count < 2) {
    body(0, count);
    return;
  }
  struct Ctx {
    Body* body;
    long count, chunk;
  } ctx{&body, count, 0};
  const long tasks = std::min<long>(count, p.threads() * 4);
  ctx.chunk = (count + tasks - 1) / tasks;
  p.run(
      (int)((count + ctx.chunk - 1) / ctx.chunk),
      [](void* c, int t) {
        Ctx& x = *static_cast<Ctx*>(c);
        const long s = t * x.chunk;
        (*x.body)(s, std::min(x.count, s + x.chunk));
      },
      &ctx);
}

// Runs body(p0, p1) over the planes [0, planes), split when there are enough elements.
template <class Body>
void for_planes(long planes, long work_per_plane, Body& body) {
  for_chunks(planes, planes * std::max(work_per_plane, 1L) >= (1 << 15), body);
}

template <class T>
void im2col_t(const View4& x, const Geometry& g, const View4& cols) {
  const long c = x.n[1], h = x.n[2], w = x.n[3];
  const long l = cols.n[2];
  const long ow = (w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw + 1;
  const long oh = l / ow;
  const T* xd = (const T*)x.data;
  T* cd = (T*)cols.data;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      const T* plane = xd + x.off + b * x.s[0] + ch * x.s[1];
      T* o = cd + cols.off + b * cols.s[0] + ch * g.kh * g.kw * cols.s[1];
      for (long ki = 0; ki < g.kh; ki++) {
        for (long kj = 0; kj < g.kw; kj++, o += cols.s[1]) {
          T* r = o;
          for (long oy = 0; oy < oh; oy++, r += ow) {
            const long iy = oy * g.sh - g.ph + ki * g.dh;
            if (iy < 0 || iy >= h) {
              std::fill(r, r + ow, T(0));
              continue;
            }
            const T* row = plane + iy * x.s[2];
            for (long ox = 0; ox < ow; ox++) {
              const long ix = ox * g.sw - g.pw + kj * g.dw;
              r[ox] = ix >= 0 && ix < w ? row[ix * x.s[3]] : T(0);
            }
          }
        }
      }
    }
  };
  for_planes(x.n[0] * c, g.kh * g.kw * l, body);
}

template <class T>
void col2im_t(const View4& cols, const Geometry& g, const View4& out) {
  const long c = out.n[1], h = out.n[2], w = out.n[3];
  const long l = cols.n[2];
  const long ow = (w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw + 1;
  const long oh = l / ow;
  const T* cd = (const T*)cols.data;
  T* od = (T*)out.data;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      T* plane = od + out.off + b * out.s[0] + ch * out.s[1];
      for (long ki = 0; ki < g.kh; ki++) {
        for (long kj = 0; kj < g.kw; kj++) {
          const T* row = cd + cols.off + b * cols.s[0] + ((ch * g.kh + ki) * g.kw + kj) * cols.s[1];
          for (long oy = 0; oy < oh; oy++) {
            const long iy = oy * g.sh - g.ph + ki * g.dh;
            if (iy < 0 || iy >= h) continue;
            T* orow = plane + iy * out.s[2];
            for (long ox = 0; ox < ow; ox++) {
              const long ix = ox * g.sw - g.pw + kj * g.dw;
              if (ix >= 0 && ix < w) orow[ix * out.s[3]] += row[(oy * ow + ox) * cols.s[2]];
            }
          }
        }
      }
    }
  };
  for_planes(out.n[0] * c, g.kh * g.kw * l, body);
}

// PyTorch's CPU max pooling: the first maximum wins ties, NaN beats everything (the last NaN
// of a window is reported), a window of only -Infinity reports its first valid position.
#if defined(__AVX512F__)
// Masks for n of 16 lanes, and for the two halves of 2n consecutive floats.
inline __mmask16 lanes(long n) {
  return (__mmask16)(n >= 16 ? 0xFFFF : n <= 0 ? 0 : (1u << n) - 1);
}

// The 2x2, stride-2 window over float rows r0 and r1, 16 outputs at a time: the even and odd
// columns of both rows are split out with permutes, then the scalar loop's comparisons in its
// order (a later NaN wins), so the values and indices are the same.
void max_pool_2x2_row(const float* r0, const float* r1, long ow, int32_t row0, int32_t w,
                      float* orow, int32_t* irow) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  for (long ox = 0; ox < ow; ox += 16) {
    const long n = std::min(16L, ow - ox);
    const __mmask16 m = lanes(n), lo = lanes(2 * n), hi = lanes(2 * n - 16);
    const float* p0 = r0 + 2 * ox;
    const float* p1 = r1 + 2 * ox;
    const __m512 a0 = _mm512_maskz_loadu_ps(lo, p0), a1 = _mm512_maskz_loadu_ps(hi, p0 + 16);
    const __m512 b0 = _mm512_maskz_loadu_ps(lo, p1), b1 = _mm512_maskz_loadu_ps(hi, p1 + 16);
    const __m512 v1 = _mm512_permutex2var_ps(a0, odd, a1);
    const __m512 v2 = _mm512_permutex2var_ps(b0, even, b1);
    const __m512 v3 = _mm512_permutex2var_ps(b0, odd, b1);
    const __m512i base = _mm512_add_epi32(_mm512_set1_epi32(row0 + 2 * (int32_t)ox), even);
    __m512 best = _mm512_permutex2var_ps(a0, even, a1);
    __m512i bi = base;
    auto step = [&](__m512 v, int32_t offset) {
      const __mmask16 take =
          _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
      best = _mm512_mask_mov_ps(best, take, v);
      bi = _mm512_mask_add_epi32(bi, take, base, _mm512_set1_epi32(offset));
    };
    step(v1, 1);
    step(v2, w);
    step(v3, w + 1);
    _mm512_mask_storeu_ps(orow + ox, m, best);
    _mm512_mask_storeu_epi32(irow + ox, m, bi);
  }
}

// Max pooling's gradient for a float plane [2 oh, 2 ow] whose every index lies in its own 2x2
// block (as a 2x2, stride-2 pool's do): each input element is written once, 0 + gradient at the
// block's maximum and 0 elsewhere, the values the zero fill and scatter-add give. Returns false
// at the first index outside its block; the caller then does the whole plane the general way.
bool max_pool_2x2_backward_plane(const float* gp, long gs, const int32_t* ip, long is, long oh,
                                 long ow, float* op) {
  const long w = 2 * ow;
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i first = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i second = _mm512_add_epi32(first, _mm512_set1_epi32(8));
  for (long oy = 0; oy < oh; oy++) {
    float* o0 = op + 2 * oy * w;
    float* o1 = o0 + w;
    for (long ox = 0; ox < ow; ox += 16) {
      const long n = std::min(16L, ow - ox);
      const __mmask16 m = lanes(n), lo = lanes(2 * n), hi = lanes(2 * n - 16);
      const __m512i id = _mm512_maskz_loadu_epi32(m, ip + oy * is + ox);
      const __m512 g = _mm512_add_ps(_mm512_setzero_ps(), _mm512_maskz_loadu_ps(m, gp + oy * gs + ox));
      const __m512i base =
          _mm512_add_epi32(_mm512_set1_epi32((int32_t)(2 * oy * w + 2 * ox)), even);
      const __mmask16 t0 = _mm512_cmpeq_epi32_mask(id, base);
      const __mmask16 t1 = _mm512_cmpeq_epi32_mask(id, _mm512_add_epi32(base, _mm512_set1_epi32(1)));
      const __mmask16 t2 =
          _mm512_cmpeq_epi32_mask(id, _mm512_add_epi32(base, _mm512_set1_epi32((int32_t)w)));
      const __mmask16 t3 =
          _mm512_cmpeq_epi32_mask(id, _mm512_add_epi32(base, _mm512_set1_epi32((int32_t)w + 1)));
      if (((t0 | t1 | t2 | t3) & m) != m) return false;
      const __m512 e0 = _mm512_maskz_mov_ps(t0, g), d0 = _mm512_maskz_mov_ps(t1, g);
      const __m512 e1 = _mm512_maskz_mov_ps(t2, g), d1 = _mm512_maskz_mov_ps(t3, g);
      _mm512_mask_storeu_ps(o0 + 2 * ox, lo, _mm512_permutex2var_ps(e0, first, d0));
      _mm512_mask_storeu_ps(o0 + 2 * ox + 16, hi, _mm512_permutex2var_ps(e0, second, d0));
      _mm512_mask_storeu_ps(o1 + 2 * ox, lo, _mm512_permutex2var_ps(e1, first, d1));
      _mm512_mask_storeu_ps(o1 + 2 * ox + 16, hi, _mm512_permutex2var_ps(e1, second, d1));
    }
  }
  return true;
}
#endif

template <class T>
void max_pool_t(const View4& x, const Geometry& g, const View4& out, const View4& idx) {
  const long c = x.n[1], h = x.n[2], w = x.n[3];
  const long oh = out.n[2], ow = out.n[3];
  const T* xd = (const T*)x.data;
  T* od = (T*)out.data;
  int32_t* id = (int32_t*)idx.data;
  // The CNN's 2x2, stride-2 window without padding on unit-stride rows: straight-line code the
  // compiler can vectorise, with the generic loop's order and NaN rule (a later NaN wins).
  const bool two_by_two = g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 &&
                          g.pw == 0 && g.dh == 1 && g.dw == 1 && x.s[3] == 1 && out.s[3] == 1 &&
                          idx.s[3] == 1 && 2 * oh <= h && 2 * ow <= w;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      const T* xp = xd + x.off + b * x.s[0] + ch * x.s[1];
      T* op = od + out.off + b * out.s[0] + ch * out.s[1];
      int32_t* ip = id + idx.off + b * idx.s[0] + ch * idx.s[1];
      if (two_by_two) {
#if defined(__AVX512F__)
        if constexpr (std::is_same<T, float>::value) {
          for (long oy = 0; oy < oh; oy++)
            max_pool_2x2_row(xp + 2 * oy * x.s[2], xp + (2 * oy + 1) * x.s[2], ow,
                             (int32_t)(2 * oy * w), (int32_t)w, op + oy * out.s[2],
                             ip + oy * idx.s[2]);
          continue;
        }
#endif
        for (long oy = 0; oy < oh; oy++) {
          const T* r0 = xp + 2 * oy * x.s[2];
          const T* r1 = r0 + x.s[2];
          T* orow = op + oy * out.s[2];
          int32_t* irow = ip + oy * idx.s[2];
          for (long ox = 0; ox < ow; ox++) {
            const int32_t i0 = (int32_t)(2 * oy * w + 2 * ox);
            T best = r0[2 * ox];
            int32_t bi = i0;
            const T v1 = r0[2 * ox + 1], v2 = r1[2 * ox], v3 = r1[2 * ox + 1];
            bool take = v1 > best || v1 != v1;
            best = take ? v1 : best;
            bi = take ? i0 + 1 : bi;
            take = v2 > best || v2 != v2;
            best = take ? v2 : best;
            bi = take ? i0 + (int32_t)w : bi;
            take = v3 > best || v3 != v3;
            best = take ? v3 : best;
            bi = take ? i0 + (int32_t)w + 1 : bi;
            orow[ox] = best;
            irow[ox] = bi;
          }
        }
        continue;
      }
      for (long oy = 0; oy < oh; oy++) {
        long y0 = oy * g.sh - g.ph;
        const long y1 = std::min(y0 + (g.kh - 1) * g.dh + 1, h);
        while (y0 < 0) y0 += g.dh;
        for (long ox = 0; ox < ow; ox++) {
          long x0 = ox * g.sw - g.pw;
          const long x1 = std::min(x0 + (g.kw - 1) * g.dw + 1, w);
          while (x0 < 0) x0 += g.dw;
          T best = -INFINITY;
          long bi = y0 * w + x0;
          for (long iy = y0; iy < y1; iy += g.dh) {
            const T* row = xp + iy * x.s[2];
            for (long ix = x0; ix < x1; ix += g.dw) {
              const T v = row[ix * x.s[3]];
              // Branch-free (a data-dependent branch mispredicts half the time).
              const bool take = v > best || v != v;
              best = take ? v : best;
              bi = take ? iy * w + ix : bi;
            }
          }
          op[oy * out.s[2] + ox * out.s[3]] = (T)best;
          ip[oy * idx.s[2] + ox * idx.s[3]] = (int32_t)bi;
        }
      }
    }
  };
  for_planes(x.n[0] * c, oh * ow * g.kh * g.kw, body);
}

// Max pooling's gradient, one plane at a time: the plane is zeroed (in cache) and each window's
// gradient added at its maximum, in row-major window order, as a scatter-add over the plane.
template <class T>
void max_pool_backward_t(const View4& grad, const View4& idx, const View4& out) {
  const long c = out.n[1], hw = out.n[2] * out.n[3];
  const long oh = grad.n[2], ow = grad.n[3];
  const T* gd = (const T*)grad.data;
  const int32_t* id = (const int32_t*)idx.data;
  T* od = (T*)out.data;
  // Each input element in one 2x2 block of a unit-stride gradient row (the CNN's pools). Rows
  // of under 8 windows are faster the general way (28 -> 14: 1.3 -> 1.1 ms; 14 -> 7: 0.6 ->
  // 0.7 ms with the blocks).
  const bool blocks = out.n[2] == 2 * oh && out.n[3] == 2 * ow && ow >= 8 && grad.s[3] == 1 &&
                      idx.s[3] == 1;
  (void)blocks;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      const T* gp = gd + grad.off + b * grad.s[0] + ch * grad.s[1];
      const int32_t* ip = id + idx.off + b * idx.s[0] + ch * idx.s[1];
      T* op = od + out.off + b * out.s[0] + ch * out.s[1];
#if defined(__AVX512F__)
      if constexpr (std::is_same<T, float>::value)
        if (blocks && max_pool_2x2_backward_plane(gp, grad.s[2], ip, idx.s[2], oh, ow, op))
          continue;
#endif
      std::fill(op, op + hw, T(0));
      for (long oy = 0; oy < oh; oy++)
        for (long ox = 0; ox < ow; ox++) {
          T& at = op[ip[oy * idx.s[2] + ox * idx.s[3]]];
          at = at + gp[oy * grad.s[2] + ox * grad.s[3]];
        }
    }
  };
  for_planes(out.n[0] * c, oh * ow, body);
}

// PyTorch's window bounds and divisor for average pooling.
inline void avg_window(long o, long stride, long pad, long k, long size, long& start, long& end,
                       long& padded) {
  start = o * stride - pad;
  end = std::min(start + k, size + pad);
  padded = end - start;
  start = std::max(start, 0L);
  end = std::min(end, size);
}

template <class T>
void avg_pool_t(const View4& x, const Geometry& g, const View4& out, bool include_pad) {
  const long c = x.n[1], h = x.n[2], w = x.n[3];
  const long oh = out.n[2], ow = out.n[3];
  const T* xd = (const T*)x.data;
  T* od = (T*)out.data;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      const T* xp = xd + x.off + b * x.s[0] + ch * x.s[1];
      T* op = od + out.off + b * out.s[0] + ch * out.s[1];
      for (long oy = 0; oy < oh; oy++) {
        long y0, y1, ph;
        avg_window(oy, g.sh, g.ph, g.kh, h, y0, y1, ph);
        for (long ox = 0; ox < ow; ox++) {
          long x0, x1, pw;
          avg_window(ox, g.sw, g.pw, g.kw, w, x0, x1, pw);
          double sum = 0;
          for (long iy = y0; iy < y1; iy++)
            for (long ix = x0; ix < x1; ix++) sum += xp[iy * x.s[2] + ix * x.s[3]];
          const double div = include_pad ? (double)(ph * pw) : (double)((y1 - y0) * (x1 - x0));
          op[oy * out.s[2] + ox * out.s[3]] = (T)(sum / div);
        }
      }
    }
  };
  for_planes(x.n[0] * c, oh * ow * g.kh * g.kw, body);
}

template <class T>
void avg_pool_backward_t(const View4& grad, const Geometry& g, const View4& out,
                         bool include_pad) {
  const long c = out.n[1], h = out.n[2], w = out.n[3];
  const long oh = grad.n[2], ow = grad.n[3];
  const T* gd = (const T*)grad.data;
  T* od = (T*)out.data;
  auto body = [&](long p0, long p1) {
    for (long p = p0; p < p1; p++) {
      const long b = p / c, ch = p % c;
      const T* gp = gd + grad.off + b * grad.s[0] + ch * grad.s[1];
      T* xp = od + out.off + b * out.s[0] + ch * out.s[1];
      for (long oy = 0; oy < oh; oy++) {
        long y0, y1, ph;
        avg_window(oy, g.sh, g.ph, g.kh, h, y0, y1, ph);
        for (long ox = 0; ox < ow; ox++) {
          long x0, x1, pw;
          avg_window(ox, g.sw, g.pw, g.kw, w, x0, x1, pw);
          const double div = include_pad ? (double)(ph * pw) : (double)((y1 - y0) * (x1 - x0));
          const double v = (double)gp[oy * grad.s[2] + ox * grad.s[3]] / div;
          for (long iy = y0; iy < y1; iy++) {
            for (long ix = x0; ix < x1; ix++) {
              T& at = xp[iy * out.s[2] + ix * out.s[3]];
              at = (T)((double)at + v);
            }
          }
        }
      }
    }
  };
  for_planes(out.n[0] * c, oh * ow * g.kh * g.kw, body);
}

template <class T>
void gather_t(long n0, long n1, const int32_t* id, const View2& index, const View2& values,
              const View2& line, long step) {
  const T* ld = (const T*)line.data + line.off;
  T* vd = (T*)values.data + values.off;
  if (index.s1 == 0 && values.s1 == 1 && line.s1 == 1) {
    // One index per row of contiguous elements (index_select of rows, an embedding lookup, a
    // batch of images picked from a dataset): a copy per row.
    for (long i = 0; i < n0; i++)
      std::memcpy(vd + i * values.s0, ld + i * line.s0 + (long)id[i * index.s0] * step,
                  sizeof(T) * n1);
    return;
  }
  for (long i = 0; i < n0; i++)
    for (long j = 0; j < n1; j++)
      vd[i * values.s0 + j * values.s1] =
          ld[i * line.s0 + j * line.s1 + (long)id[i * index.s0 + j * index.s1] * step];
}

template <class T>
void scatter_t(long n0, long n1, const int32_t* id, const View2& index, const View2& values,
               const View2& line, long step, bool accumulate) {
  T* ld = (T*)line.data + line.off;
  const T* vd = (const T*)values.data + values.off;
  for (long i = 0; i < n0; i++) {
    for (long j = 0; j < n1; j++) {
      T& at = ld[i * line.s0 + j * line.s1 + (long)id[i * index.s0 + j * index.s1] * step];
      const T v = vd[i * values.s0 + j * values.s1];
      at = accumulate ? at + v : v;
    }
  }
}

// Every index in [0, size).
bool indices_in_range(long n0, long n1, const int32_t* id, const View2& index, long size) {
  if (index.s1 == 0) n1 = std::min(n1, 1L);  // one index per row: check it once
  for (long i = 0; i < n0; i++)
    for (long j = 0; j < n1; j++) {
      const long k = id[i * index.s0 + j * index.s1];
      if (k < 0 || k >= size) return false;
    }
  return true;
}

// Every index of a [N, C, oh, ow] view in [0, size), plane by plane.
bool plane_indices_in_range(const View4& idx, long size) {
  const int32_t* id = (const int32_t*)idx.data + idx.off;
  const View2 plane{idx.data, idx.dt, 0, idx.s[2], idx.s[3]};
  for (long a = 0; a < idx.n[0]; a++)
    for (long b = 0; b < idx.n[1]; b++)
      if (!indices_in_range(idx.n[2], idx.n[3], id + a * idx.s[0] + b * idx.s[1], plane, size))
        return false;
  return true;
}

// ---- fused convolution (float32, one group): per image (or four side by side), im2col into a
// per-thread buffer and a GEMM on it, so the [N, C*kh*kw, L] column matrix never exists. Each
// image's arithmetic is the same as the composition's (im2col + the same GEMM + col2im),
// whatever thread runs it.

// One tap's row of columns (oh x ow) for a stride-1, undilated window over a contiguous plane
// [h, w] with ow == w: the row is the plane shifted by (dy, dx), so it is one copy; the rows
// that hang over the top or bottom and the columns that wrapped around a side are zeroed.
void shifted_plane(const float* plane, long h, long w, long oh, long dy, long dx, float* r) {
  const long n = oh * w, off = dy * w + dx;
  // Output rows whose input row exists, then the flat range whose source lies in the plane.
  const long y0 = std::min(oh, std::max(0L, -dy)), y1 = std::max(y0, std::min(oh, h - dy));
  const long lo = std::min(y1 * w, std::max(y0 * w, -off));
  const long hi = std::max(lo, std::min(y1 * w, h * w - off));
  std::fill(r, r + lo, 0.0f);
  std::copy(plane + lo + off, plane + hi + off, r + lo);
  std::fill(r + hi, r + n, 0.0f);
  if (dx == 0) return;
  const long z0 = dx < 0 ? 0 : std::max(0L, w - dx), z1 = dx < 0 ? std::min(w, -dx) : w;
  for (long oy = y0; oy < y1; oy++) std::fill(r + oy * w + z0, r + oy * w + z1, 0.0f);
}

// Columns [C*kh*kw, L] of image b of x, into buf (row stride ldb).
void im2col_image(const View4& x, const Geometry& g, long b, long oh, long ow, float* buf,
                  long ldb) {
  const long c = x.n[1], h = x.n[2], w = x.n[3];
  const float* xd = (const float*)x.data;
  const bool shifted = g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && ow == w &&
                       x.s[3] == 1 && x.s[2] == w;
  if (shifted) {
    for (long ch = 0; ch < c; ch++) {
      const float* plane = xd + x.off + b * x.s[0] + ch * x.s[1];
      for (long ki = 0; ki < g.kh; ki++)
        for (long kj = 0; kj < g.kw; kj++)
          shifted_plane(plane, h, w, oh, ki - g.ph, kj - g.pw,
                        buf + ((ch * g.kh + ki) * g.kw + kj) * ldb);
    }
    return;
  }
  for (long ch = 0; ch < c; ch++) {
    const float* plane = xd + x.off + b * x.s[0] + ch * x.s[1];
    float* o = buf + ch * g.kh * g.kw * ldb;
    for (long ki = 0; ki < g.kh; ki++) {
      for (long kj = 0; kj < g.kw; kj++, o += ldb) {
        float* r = o;
        for (long oy = 0; oy < oh; oy++, r += ow) {
          const long iy = oy * g.sh - g.ph + ki * g.dh;
          if (iy < 0 || iy >= h) {
            std::fill(r, r + ow, 0.0f);
            continue;
          }
          const float* row = plane + iy * x.s[2];
          if (g.sw == 1 && g.dw == 1 && x.s[3] == 1) {
            // A unit-stride row: zeros where the window hangs over the edge, a copy in between.
            const long shift = kj - g.pw;
            const long lo = std::min(ow, std::max(0L, -shift));
            const long hi = std::max(lo, std::min(ow, w - shift));
            std::fill(r, r + lo, 0.0f);
            std::copy(row + lo + shift, row + hi + shift, r + lo);
            std::fill(r + hi, r + ow, 0.0f);
            continue;
          }
          for (long ox = 0; ox < ow; ox++) {
            const long ix = ox * g.sw - g.pw + kj * g.dw;
            r[ox] = ix >= 0 && ix < w ? row[ix * x.s[3]] : 0.0f;
          }
        }
      }
    }
  }
}

// col2im's side of shifted_plane: adds one tap's row of columns (oh x w) into a contiguous
// plane [h, w] shifted by (dy, dx) as one flat run; the columns that wrapped around a side keep
// the plane's value through a select (keep[i] == 0), so the run vectorises and the sums are
// the same as the per-row loop's.
void add_shifted_plane(const float* r, long h, long w, long oh, long dy, long dx,
                       const uint8_t* keep, float* plane) {
  const long off = dy * w + dx;
  const long y0 = std::min(oh, std::max(0L, -dy)), y1 = std::max(y0, std::min(oh, h - dy));
  const long lo = std::min(y1 * w, std::max(y0 * w, -off));
  const long hi = std::max(lo, std::min(y1 * w, h * w - off));
  float* dst = plane + off;
  if (dx == 0) {
    for (long i = lo; i < hi; i++) dst[i] += r[i];
    return;
  }
  for (long i = lo; i < hi; i++) {
    const float v = dst[i];
    dst[i] = keep[i] ? v + r[i] : v;
  }
}

// Sums columns buf [C*kh*kw, L] (row stride ldb) of one image into its planes (contiguous
// [C, H, W] at img, zero-filled here first), in col2im's order.
void col2im_image(const float* buf, long ldb, const Geometry& g, long c, long h, long w, long oh,
                  long ow, float* img) {
  std::fill(img, img + c * h * w, 0.0f);
  if (g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && ow == w) {
    // keep[kj][i]: whether flat position i of a row lands inside the plane for tap column kj.
    const long n = oh * w;
    static thread_local std::vector<uint8_t> keep;
    keep.resize(g.kw * n);
    for (long kj = 0; kj < g.kw; kj++)
      for (long i = 0; i < n; i++) {
        const long ix = i % w + kj - g.pw;
        keep[kj * n + i] = ix >= 0 && ix < w;
      }
    for (long ch = 0; ch < c; ch++)
      for (long ki = 0; ki < g.kh; ki++)
        for (long kj = 0; kj < g.kw; kj++)
          add_shifted_plane(buf + ((ch * g.kh + ki) * g.kw + kj) * ldb, h, w, oh, ki - g.ph,
                            kj - g.pw, keep.data() + kj * n, img + ch * h * w);
    return;
  }
  for (long ch = 0; ch < c; ch++) {
    float* plane = img + ch * h * w;
    for (long ki = 0; ki < g.kh; ki++) {
      for (long kj = 0; kj < g.kw; kj++) {
        const float* row = buf + ((ch * g.kh + ki) * g.kw + kj) * ldb;
        for (long oy = 0; oy < oh; oy++) {
          const long iy = oy * g.sh - g.ph + ki * g.dh;
          if (iy < 0 || iy >= h) continue;
          float* orow = plane + iy * w;
          if (g.sw == 1 && g.dw == 1) {
            // Unit stride: the columns inside the plane are one run, added without a branch
            // (each element gets one term per tap, so the order within the run is free).
            const long shift = kj - g.pw;
            const long lo = std::min(ow, std::max(0L, -shift));
            const long hi = std::max(lo, std::min(ow, w - shift));
            const float* src = row + oy * ow;
            for (long ox = lo; ox < hi; ox++) orow[ox + shift] += src[ox];
            continue;
          }
          for (long ox = 0; ox < ow; ox++) {
            const long ix = ox * g.sw - g.pw + kj * g.dw;
            if (ix >= 0 && ix < w) orow[ix] += row[oy * ow + ox];
          }
        }
      }
    }
  }
}

// A per-thread scratch buffer of at least n floats, kept between calls.
float* conv_scratch(long n) {
  static thread_local float* buf = nullptr;
  static thread_local long size = 0;
  if (n > size) {
    std::free(buf);
    buf = static_cast<float*>(std::malloc(sizeof(float) * n));
    if (!buf) std::abort();
    size = n;
  }
  return buf;
}

// Runs body(i) for each of `count` independent items, spread over the pool in fixed chunks.
template <class Body>
void for_items(long count, double flops_per_item, Body& body) {
  auto range = [&](long i0, long i1) {
    for (long i = i0; i < i1; i++) body(i);
  };
  for_chunks(count, flops_per_item * count >= 2e6, range);
}

// Images per partial sum of the weight gradient: fixed, so the order of additions (and the
// result) does not depend on the thread count.
constexpr long WEIGHT_CHUNK = 8;
// Images side by side in one GEMM (columns [C*kh*kw, 4L]) where the products are deep enough
// to pay for gathering and scattering their rows: a wider product packs the weights once for
// four images and wastes less of its last column tile (the CNN's second layer: ~12% faster).
// A shallow one (one input channel) runs an image at a time. Each output element's sum is the
// same either way.
long image_group(long kk, long o) { return kk >= 64 && o >= 16 ? 4 : 1; }

// Gathers rows [O, L] of images b0..b0+nb of grad [N, O, L] side by side into g [O, nb*L].
void gather_rows(const float* grad, long b0, long nb, long o, long l, float* g) {
  for (long q = 0; q < o; q++)
    for (long i = 0; i < nb; i++)
      std::copy(grad + ((b0 + i) * o + q) * l, grad + ((b0 + i) * o + q + 1) * l,
                g + q * nb * l + i * l);
}

}  // namespace

bool conv2d(const View4& x, const Geometry& g, const float* w, long o, const float* bias,
            float* out, long oh, long ow) {
  if (x.dt != F32) return false;
  const long n = x.n[0], kk = x.n[1] * g.kh * g.kw, l = oh * ow, group = image_group(kk, o);
  auto body = [&](long gi) {
    const long b0 = gi * group, nb = std::min(group, n - b0), ld = nb * l;
    float* cols = conv_scratch(kk * ld + (nb > 1 ? o * ld : 0));
    // One image writes its rows in place; a group's land in a buffer, then in each image.
    float* y = nb > 1 ? cols + kk * ld : out + b0 * o * l;
    for (long i = 0; i < nb; i++) im2col_image(x, g, b0 + i, oh, ow, cols + i * l, ld);
    sgemm_serial((int)o, (int)ld, (int)kk, w, kk, 1, cols, ld, 1, y, ld, false);
    for (long i = 0; i < nb; i++)
      for (long q = 0; q < o; q++) {
        const float* r = y + q * ld + i * l;
        float* dst = out + ((b0 + i) * o + q) * l;
        if (!bias) {
          if (r != dst) std::copy(r, r + l, dst);
          continue;
        }
        // A float add: rounding the exact double sum of two floats to float gives the same
        // bits (53 >= 2 x 24 + 2 bits), and this form vectorises.
        const float bq = bias[q];
        for (long j = 0; j < l; j++) dst[j] = r[j] + bq;
      }
  };
  for_items((n + group - 1) / group, 2.0 * group * o * l * kk, body);
  return true;
}

bool conv2d_backward_input(const float* grad, const float* w, long o, const Geometry& g, long n,
                           long c, long h, long wd, long oh, long ow, float* out) {
  const long kk = c * g.kh * g.kw, l = oh * ow, group = image_group(kk, o);
  auto body = [&](long gi) {
    const long b0 = gi * group, nb = std::min(group, n - b0), ld = nb * l;
    float* cols = conv_scratch(kk * ld + (nb > 1 ? o * ld : 0));
    // One image's gradient rows are read in place; a group's are gathered side by side.
    const float* gr = grad + b0 * o * l;
    if (nb > 1) {
      gather_rows(grad, b0, nb, o, l, cols + kk * ld);
      gr = cols + kk * ld;
    }
    // columns = W^T [kk, o] x grad rows [o, nb*l]
    sgemm_serial((int)kk, (int)ld, (int)o, w, 1, kk, gr, ld, 1, cols, ld, false);
    for (long i = 0; i < nb; i++)
      col2im_image(cols + i * l, ld, g, c, h, wd, oh, ow, out + (b0 + i) * c * h * wd);
  };
  for_items((n + group - 1) / group, 2.0 * group * o * l * kk, body);
  return true;
}

bool conv2d_backward_weight(const float* grad, const View4& x, const Geometry& g, long o,
                            long oh, long ow, float* dw) {
  if (x.dt != F32) return false;
  const long n = x.n[0], kk = x.n[1] * g.kh * g.kw, l = oh * ow;
  const long chunks = (n + WEIGHT_CHUNK - 1) / WEIGHT_CHUNK;
  float* partial = static_cast<float*>(std::malloc(sizeof(float) * chunks * o * kk));
  if (!partial) std::abort();
  auto body = [&](long ci) {
    float* acc = partial + ci * o * kk;
    const long end = std::min(n, (ci + 1) * WEIGHT_CHUNK);
    float* cols = conv_scratch(kk * l);
    // An image at a time: its gradient rows [o, l] are read in place (gathering several
    // images' rows measured slower here).
    for (long b = ci * WEIGHT_CHUNK; b < end; b++) {
      im2col_image(x, g, b, oh, ow, cols, l);
      // dW += grad_b [o, l] x columns^T [l, kk]
      sgemm_serial((int)o, (int)kk, (int)l, grad + b * o * l, l, 1, cols, 1, l, acc, kk,
                   b > ci * WEIGHT_CHUNK);
    }
  };
  for_items(chunks, 2.0 * WEIGHT_CHUNK * o * l * kk, body);
  for (long e = 0; e < o * kk; e++) {
    double s = 0;
    for (long ci = 0; ci < chunks; ci++) s += partial[ci * o * kk + e];
    dw[e] = (float)s;
  }
  std::free(partial);
  return true;
}

bool gather(long n0, long n1, const View2& index, const View2& values, const View2& line,
            long step, long size) {
  if (index.dt != I32 || values.dt != line.dt) return false;
  const int32_t* id = (const int32_t*)index.data + index.off;
  if (!indices_in_range(n0, n1, id, index, size)) return false;
  if (line.dt == F32) return gather_t<float>(n0, n1, id, index, values, line, step), true;
  if (line.dt == F64) return gather_t<double>(n0, n1, id, index, values, line, step), true;
  return false;
}

// Sequential, in the reference backend's order: with accumulate, indices may repeat.
bool scatter(long n0, long n1, const View2& index, const View2& values, const View2& line,
             long step, long size, bool accumulate) {
  if (index.dt != I32 || values.dt != line.dt) return false;
  const int32_t* id = (const int32_t*)index.data + index.off;
  if (!indices_in_range(n0, n1, id, index, size)) return false;
  if (line.dt == F32)
    return scatter_t<float>(n0, n1, id, index, values, line, step, accumulate), true;
  if (line.dt == F64)
    return scatter_t<double>(n0, n1, id, index, values, line, step, accumulate), true;
  return false;
}

bool im2col(const View4& x, const Geometry& g, const View4& cols) {
  if (x.dt != cols.dt) return false;
  if (x.dt == F32) return im2col_t<float>(x, g, cols), true;
  if (x.dt == F64) return im2col_t<double>(x, g, cols), true;
  return false;
}

bool col2im(const View4& cols, const Geometry& g, const View4& out) {
  if (cols.dt != out.dt) return false;
  if (out.dt == F32) return col2im_t<float>(cols, g, out), true;
  if (out.dt == F64) return col2im_t<double>(cols, g, out), true;
  return false;
}

bool max_pool2d(const View4& x, const Geometry& g, const View4& out, const View4& idx) {
  if (x.dt != out.dt || idx.dt != I32) return false;
  if (x.dt == F32) return max_pool_t<float>(x, g, out, idx), true;
  if (x.dt == F64) return max_pool_t<double>(x, g, out, idx), true;
  return false;
}

bool max_pool2d_backward(const View4& grad, const View4& idx, const View4& out) {
  if (grad.dt != out.dt || idx.dt != I32 || out.s[3] != 1 || out.s[2] != out.n[3]) return false;
  if (!plane_indices_in_range(idx, out.n[2] * out.n[3])) return false;
  if (out.dt == F32) return max_pool_backward_t<float>(grad, idx, out), true;
  if (out.dt == F64) return max_pool_backward_t<double>(grad, idx, out), true;
  return false;
}

bool avg_pool2d(const View4& x, const Geometry& g, const View4& out, bool include_pad) {
  if (x.dt != out.dt) return false;
  if (x.dt == F32) return avg_pool_t<float>(x, g, out, include_pad), true;
  if (x.dt == F64) return avg_pool_t<double>(x, g, out, include_pad), true;
  return false;
}

bool avg_pool2d_backward(const View4& grad, const Geometry& g, const View4& out,
                         bool include_pad) {
  if (grad.dt != out.dt) return false;
  if (out.dt == F32) return avg_pool_backward_t<float>(grad, g, out, include_pad), true;
  if (out.dt == F64) return avg_pool_backward_t<double>(grad, g, out, include_pad), true;
  return false;
}

}  // namespace gd
