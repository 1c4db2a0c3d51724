// A packed, register-blocked SGEMM in the GotoBLAS/BLIS shape. Blocks of B (KC x NC) and A
// (MC x KC) are packed into micro-panels, and an MR x NR micro-kernel keeps its tile of C in
// vector registers. Written with GCC vector extensions, so the compiler picks the machine's
// vector unit (AVX2/AVX-512 with FMA on x86-64, NEON on arm64).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "kernels.h"
#include "pool.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace gd {

#if defined(__AVX512F__)
constexpr int VL = 16;
#else
constexpr int VL = 8;
#endif
typedef float vf __attribute__((vector_size(VL * 4)));
typedef float vfu __attribute__((vector_size(VL * 4), aligned(4)));

// Rows of the micro-tile: 8 x 2 vectors of accumulators fill half of AVX-512's 32 registers
// (measured 3-5% faster than 6 rows on 128x784x512 and 1024^3, one thread); AVX2's 16 registers
// hold 6 x 2.
constexpr int MR = VL == 16 ? 8 : 6;
constexpr int NR = 2 * VL;
// The largest K block; the one used is kc_block().
constexpr int KC = 512;
constexpr int MC = 120;  // multiple of MR
constexpr int NC = 3072;  // multiple of NR

// The K block. The micro-kernel runs a KC x NR panel of packed B against an MR x KC panel of A:
// with 256 both fit a 48 KB L1 (40 KB for AVX-512's 8 x 32 tile), so B's loads hit L1. Where
// they do not fit (AMD Zen's 32 KB L1) B comes from L2 either way, and 512 halves the passes
// over C (2 Zen 4 cores: 1024^3 177 -> 188 GFLOP/s, 512^3 178 -> 192, the lecture's layer
// shapes unchanged). Fixed for the process, so every thread count sums in the same order.
static int kc_block() {
  static const int kc = [] {
#ifdef _SC_LEVEL1_DCACHE_SIZE
    const long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE);
#else
    const long l1 = 0;  // not reported (macOS): keep 256
#endif
    const long panels = 256L * (MR + NR) * (long)sizeof(float);
    return l1 > 0 && l1 < panels ? KC : 256;
  }();
  return kc;
}

static float* aligned_floats(size_t n) {
  void* p = nullptr;
  if (posix_memalign(&p, 64, n * sizeof(float) + 64) != 0) abort();
  return static_cast<float*>(p);
}

// Per-thread packing buffers, allocated once.
struct Scratch {
  float* a;
  float* b;
};
static thread_local Scratch scratch = {nullptr, nullptr};
static Scratch& get_scratch() {
  if (!scratch.a) {
    scratch.a = aligned_floats((size_t)MC * KC);
    scratch.b = aligned_floats((size_t)KC * NC);
  }
  return scratch;
}

#if defined(__AVX512F__)
// r[j][i] = r[i][j] for 16 vectors of 16 lanes: four rounds of shuffles (pairs, quads, 128-bit
// lanes, 256-bit halves) instead of 256 scalar moves.
static inline void transpose16_regs(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 16; i += 8)
    for (int j = 0; j < 4; j++) {
      t[i + j] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0x88);
      t[i + j + 4] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0xDD);
    }
  for (int j = 0; j < 8; j++) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);
    r[j + 8] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xDD);
  }
}

// dst[j * dld + i] = src[i * ld + j] for a 16 x 16 block.
static inline void transpose16(const float* src, long ld, float* dst, long dld) {
  __m512 r[16];
  for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(src + i * ld);
  transpose16_regs(r);
  for (int j = 0; j < 16; j++) _mm512_storeu_ps(dst + j * dld, r[j]);
}

// Lane q of the result is the sum of r[q]'s lanes in hsum's order (0 + lane 0 + lane 1 + ...,
// so the same bits), for 16 vectors at once: a transpose, then 16 vertical adds.
static inline __m512 hsum16(__m512 r[16]) {
  transpose16_regs(r);
  __m512 sum = _mm512_setzero_ps();
  for (int l = 0; l < 16; l++) sum = _mm512_add_ps(sum, r[l]);
  return sum;
}
#endif

// ap[panel p][k][r] for rows i0..i0+mc of A, columns k0..k0+kc; rows past mc are zero.
static void pack_a(const float* a, long rs, long cs, int mc, int kc, float* ap) {
  for (int p = 0; p < mc; p += MR) {
    const int rows = std::min(MR, mc - p);
    float* dst = ap + (long)p * kc;
    if (cs == 1 && rows == MR) {
      const float* r0 = a + (long)p * rs;
      for (int k = 0; k < kc; k++)
        for (int r = 0; r < MR; r++) dst[k * MR + r] = r0[r * rs + k];
    } else if (rs == 1 && rows == MR) {
      for (int k = 0; k < kc; k++) {
        const float* src = a + p + (long)k * cs;
        for (int r = 0; r < MR; r++) dst[k * MR + r] = src[r];
      }
    } else {
      for (int k = 0; k < kc; k++)
        for (int r = 0; r < MR; r++)
          dst[k * MR + r] = r < rows ? a[(long)(p + r) * rs + (long)k * cs] : 0.0f;
    }
  }
}

// bp[panel q][k][c] for columns of B; columns past nc are zero.
static void pack_b(const float* b, long rs, long cs, int kc, int nc, float* bp) {
  for (int q = 0; q < nc; q += NR) {
    const int cols = std::min(NR, nc - q);
    float* dst = bp + (long)q * kc;
    if (cs == 1 && cols == NR) {
      for (int k = 0; k < kc; k++) {
        const float* src = b + (long)k * rs + q;
        vf v0 = *(const vfu*)src;
        vf v1 = *(const vfu*)(src + VL);
        *(vf*)(dst + k * NR) = v0;
        *(vf*)(dst + k * NR + VL) = v1;
      }
    } else if (rs == 1 && cols == NR) {
      // B transposed (x @ W.t(), a Linear layer's forward): each column is contiguous along k.
      // 16 x 16 blocks transposed in registers (128x784x512: 153 -> 194 GFLOP/s, one thread).
      int k0 = 0;
#if defined(__AVX512F__)
      for (; k0 + 16 <= kc; k0 += 16)
        for (int c = 0; c < NR; c += 16)
          transpose16(b + (long)(q + c) * cs + k0, cs, dst + (long)k0 * NR + c, NR);
#endif
      for (int c = 0; c < NR; c++) {
        const float* src = b + (long)(q + c) * cs;
        for (int k = k0; k < kc; k++) dst[k * NR + c] = src[k];
      }
    } else {
      for (int k = 0; k < kc; k++)
        for (int c = 0; c < NR; c++)
          dst[k * NR + c] = c < cols ? b[(long)k * rs + (long)(q + c) * cs] : 0.0f;
    }
  }
}

static inline void kernel(int kc, const float* __restrict ap, const float* __restrict bp,
                          float* c, long ldc, long ccs, int rows, int cols, bool accumulate) {
  vf acc[MR][2];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = vf{};
  for (int k = 0; k < kc; k++) {
    const vf b0 = *(const vf*)bp;
    const vf b1 = *(const vf*)(bp + VL);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const float a = ap[r];
      acc[r][0] += a * b0;
      acc[r][1] += a * b1;
    }
    ap += MR;
    bp += NR;
  }
  if (rows == MR && cols == NR && ccs == 1) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      float* cr = c + (long)r * ldc;
      if (accumulate) {
        *(vfu*)cr = *(const vfu*)cr + acc[r][0];
        *(vfu*)(cr + VL) = *(const vfu*)(cr + VL) + acc[r][1];
      } else {
        *(vfu*)cr = acc[r][0];
        *(vfu*)(cr + VL) = acc[r][1];
      }
    }
    return;
  }
  alignas(64) float tile[MR][NR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++) {
    *(vf*)&tile[r][0] = acc[r][0];
    *(vf*)&tile[r][VL] = acc[r][1];
  }
  for (int r = 0; r < rows; r++)
    for (int q = 0; q < cols; q++) {
      float* p = c + (long)r * ldc + (long)q * ccs;
      *p = accumulate ? *p + tile[r][q] : tile[r][q];
    }
}

// The single-threaded blocked GEMM over one rectangle of C.
// Blocks of at most `most` that split `size` evenly (784 = 4 x 196, not 3 x 256 + 16: a thin
// last block costs a full pass over C for little work), rounded up to a multiple of `unit`.
static int even_block(int size, int most, int unit) {
  const int blocks = (size + most - 1) / most;
  const int even = (size + blocks - 1) / blocks;
  return std::min(most, (even + unit - 1) / unit * unit);
}

#if defined(__AVX512F__)
// M (<= 12) rows of C from B's rows straight, no packing (a weight gradient dY^T X with 10
// output classes: B, the activations, is read once instead of packed, and no 8-row tile is
// mostly padding). 32 columns at a time, the last ones masked. The same K blocks and the
// same multiply-adds in the same order as the packed kernel: the same bits.
template <int M>
static void gemm_rows(int n, int k, const float* a, long ars, long acs, const float* b, long brs,
                      float* c, long ldc, bool accumulate) {
  const int kcb = even_block(k, kc_block(), 4);
  for (int j = 0; j < n; j += 2 * VL) {
    const int cols = std::min(2 * VL, n - j);
    const __mmask16 m0 = cols >= VL ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    const __mmask16 m1 = cols >= 2 * VL ? 0xFFFF : cols <= VL ? 0 : (__mmask16)((1u << (cols - VL)) - 1);
    for (int pc = 0; pc < k; pc += kcb) {
      const int kc = std::min(kcb, k - pc);
      __m512 acc[M][2];
      for (int i = 0; i < M; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
      for (int p = pc; p < pc + kc; p++) {
        const float* br = b + (long)p * brs + j;
        const __m512 b0 = _mm512_maskz_loadu_ps(m0, br);
        const __m512 b1 = _mm512_maskz_loadu_ps(m1, br + VL);
        for (int i = 0; i < M; i++) {
          const __m512 av = _mm512_set1_ps(a[(long)i * ars + (long)p * acs]);
          acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
          acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
        }
      }
      const bool add = accumulate || pc > 0;
      for (int i = 0; i < M; i++) {
        float* ci = c + (long)i * ldc + j;
        if (add) {
          acc[i][0] = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, ci), acc[i][0]);
          acc[i][1] = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, ci + VL), acc[i][1]);
        }
        _mm512_mask_storeu_ps(ci, m0, acc[i][0]);
        _mm512_mask_storeu_ps(ci + VL, m1, acc[i][1]);
      }
    }
  }
}

// gemm_rows for 2..12 rows; false where it does not apply.
static bool gemm_few_rows(int m, int n, int k, const float* a, long ars, long acs,
                          const float* b, long brs, long bcs, float* c, long ldc, long ccs,
                          bool accumulate) {
  if (bcs != 1 || ccs != 1 || n < VL) return false;
  switch (m) {
#define GD_ROWS(M) \
  case M: gemm_rows<M>(n, k, a, ars, acs, b, brs, c, ldc, accumulate); return true;
    GD_ROWS(2) GD_ROWS(3) GD_ROWS(4) GD_ROWS(5) GD_ROWS(6) GD_ROWS(7)
    GD_ROWS(8) GD_ROWS(9) GD_ROWS(10) GD_ROWS(11) GD_ROWS(12)
#undef GD_ROWS
    default: return false;
  }
}
#endif

static void gemm_block(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                       long brs, long bcs, float* c, long ldc, long ccs, bool accumulate) {
#if defined(__AVX512F__)
  if (gemm_few_rows(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, ccs, accumulate)) return;
#endif
  Scratch& s = get_scratch();
  // The K blocks depend on k alone, so every split of C across threads sums in the same order.
  const int kcb = even_block(k, kc_block(), 4);
  const int mcb = even_block(m, MC, MR);
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    for (int pc = 0; pc < k; pc += kcb) {
      const int kc = std::min(kcb, k - pc);
      pack_b(b + (long)pc * brs + (long)jc * bcs, brs, bcs, kc, nc, s.b);
      const bool acc = accumulate || pc > 0;
      for (int ic = 0; ic < m; ic += mcb) {
        const int mc = std::min(mcb, m - ic);
        pack_a(a + (long)ic * ars + (long)pc * acs, ars, acs, mc, kc, s.a);
        for (int jr = 0; jr < nc; jr += NR) {
          const int cols = std::min(NR, nc - jr);
          for (int ir = 0; ir < mc; ir += MR) {
            const int rows = std::min(MR, mc - ir);
            kernel(kc, s.a + (long)ir * kc, s.b + (long)jr * kc,
                   c + (long)(ic + ir) * ldc + (long)(jc + jr) * ccs, ldc, ccs, rows, cols, acc);
          }
        }
      }
    }
  }
}

struct GemmJob {
  int m, n, k;
  const float* a;
  long ars, acs;
  const float* b;
  long brs, bcs;
  float* c;
  long ldc, ccs;
  bool accumulate;
  bool split_n;
  int chunk;  // rows or columns per task
};

static void gemm_task(void* ctx, int t) {
  const GemmJob& j = *static_cast<GemmJob*>(ctx);
  if (j.split_n) {
    const int j0 = t * j.chunk;
    const int nn = std::min(j.chunk, j.n - j0);
    if (nn > 0)
      gemm_block(j.m, nn, j.k, j.a, j.ars, j.acs, j.b + (long)j0 * j.bcs, j.brs, j.bcs,
                 j.c + (long)j0 * j.ccs, j.ldc, j.ccs, j.accumulate);
  } else {
    const int i0 = t * j.chunk;
    const int mm = std::min(j.chunk, j.m - i0);
    if (mm > 0)
      gemm_block(mm, j.n, j.k, j.a + (long)i0 * j.ars, j.ars, j.acs, j.b, j.brs, j.bcs,
                 j.c + (long)i0 * j.ldc, j.ldc, j.ccs, j.accumulate);
  }
}

// One row of A times B: c[j] (+)= sum_k a[k] * B[k, j], in float32 with several vector
// accumulators (B, up to 1.6 MB for a 784x512 layer, is read once; the loads bound it).
static float hsum(vf v) {
  float t = 0;
  for (int l = 0; l < VL; l++) t += v[l];
  return t;
}

static void gemv(int n, int k, const float* a, long acs, const float* b, long brs, long bcs,
                 float* c, bool accumulate) {
  if (bcs == 1) {
    // Rows of B are contiguous: B is read row after row, four rows at a time, into a row of
    // partial sums in the scratch buffer, so the prefetchers see four sequential streams (a
    // column block at a time read B in 2 KB strides: 1x784x512 on one thread 28 -> 48 GFLOP/s).
    // Each column is the same chain of multiply-adds in k order from zero as before.
    float* t = get_scratch().b;
    if ((long)n > (long)KC * NC) t = aligned_floats(n);
    std::memset(t, 0, sizeof(float) * n);
    const int nv = n - n % VL;
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      const float a0 = a[(long)p * acs], a1 = a[(long)(p + 1) * acs];
      const float a2 = a[(long)(p + 2) * acs], a3 = a[(long)(p + 3) * acs];
      const float* r0 = b + (long)p * brs;
      const float* r1 = r0 + brs;
      const float* r2 = r1 + brs;
      const float* r3 = r2 + brs;
      for (int j = 0; j < nv; j += VL) {
        // The next four rows, a line each (the prefetchers alone left this at 37 GFLOP/s on
        // one thread; with these, 48). A prefetch past B's end is harmless.
        __builtin_prefetch(r0 + 4 * brs + j);
        __builtin_prefetch(r1 + 4 * brs + j);
        __builtin_prefetch(r2 + 4 * brs + j);
        __builtin_prefetch(r3 + 4 * brs + j);
        vf v = *(const vf*)(t + j);
        v += a0 * *(const vfu*)(r0 + j);
        v += a1 * *(const vfu*)(r1 + j);
        v += a2 * *(const vfu*)(r2 + j);
        v += a3 * *(const vfu*)(r3 + j);
        *(vf*)(t + j) = v;
      }
      for (int j = nv; j < n; j++) {
        float v = t[j];
        v += a0 * r0[j];
        v += a1 * r1[j];
        v += a2 * r2[j];
        v += a3 * r3[j];
        t[j] = v;
      }
    }
    for (; p < k; p++) {
      const float a0 = a[(long)p * acs];
      const float* r0 = b + (long)p * brs;
      for (int j = 0; j < n; j++) t[j] += a0 * r0[j];
    }
    for (int j = 0; j < n; j++) c[j] = accumulate ? c[j] + t[j] : t[j];
    if (t != get_scratch().b) std::free(t);
    return;
  }
  // Columns of B are contiguous (x @ W.t()): four dot products at a time share a's loads.
  const int kv = acs == 1 && brs == 1 ? k - k % VL : 0;
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const float* b0 = b + (long)j * bcs;
    const float* b1 = b0 + bcs;
    const float* b2 = b1 + bcs;
    const float* b3 = b2 + bcs;
    vf s0 = {}, s1 = {}, s2 = {}, s3 = {};
    for (int p = 0; p < kv; p += VL) {
      const vf av = *(const vfu*)(a + p);
      s0 += av * *(const vfu*)(b0 + p);
      s1 += av * *(const vfu*)(b1 + p);
      s2 += av * *(const vfu*)(b2 + p);
      s3 += av * *(const vfu*)(b3 + p);
    }
    float t[4] = {hsum(s0), hsum(s1), hsum(s2), hsum(s3)};
    for (int p = kv; p < k; p++) {
      const float av = a[(long)p * acs];
      t[0] += av * b0[(long)p * brs];
      t[1] += av * b1[(long)p * brs];
      t[2] += av * b2[(long)p * brs];
      t[3] += av * b3[(long)p * brs];
    }
    for (int q = 0; q < 4; q++) c[j + q] = accumulate ? c[j + q] + t[q] : t[q];
  }
  for (; j < n; j++) {
    const float* bj = b + (long)j * bcs;
    vf s0 = {};
    for (int p = 0; p < kv; p += VL) s0 += *(const vfu*)(a + p) * *(const vfu*)(bj + p);
    float t = hsum(s0);
    for (int p = kv; p < k; p++) t += a[(long)p * acs] * bj[(long)p * brs];
    c[j] = accumulate ? c[j] + t : t;
  }
}

// Few columns with A's rows and B's columns both contiguous along k (x @ W.t() of a narrow
// Linear layer): dot products straight from both operands, no packing. Each sum is lane-wise
// multiply-adds in k order, then its lanes added from lane 0 (the bits of gemv's sums, so a
// row of a batch gives what it gives alone).
#if defined(__AVX512F__)
// R rows of A against C columns of B: R x C accumulators, summed 16 at a time by hsum16
// (128x784x10 on one thread: 37 -> 19 us, the per-dot lane sums were most of it).
template <int R, int C>
static void dot_block(int k, const float* a, long ars, const float* b, long bcs, float* c,
                      long ldc, bool accumulate) {
  const int kv = k - k % VL;
  __m512 s[16];
  for (int q = 0; q < 16; q++) s[q] = _mm512_setzero_ps();
  for (int p = 0; p < kv; p += VL) {
    __m512 bv[C];
    for (int j = 0; j < C; j++) bv[j] = _mm512_loadu_ps(b + (long)j * bcs + p);
    for (int i = 0; i < R; i++) {
      const __m512 av = _mm512_loadu_ps(a + (long)i * ars + p);
      for (int j = 0; j < C; j++) s[i * 4 + j] = _mm512_fmadd_ps(av, bv[j], s[i * 4 + j]);
    }
  }
  alignas(64) float t[16];
  _mm512_store_ps(t, hsum16(s));
  for (int i = 0; i < R; i++)
    for (int j = 0; j < C; j++) {
      const float* ai = a + (long)i * ars;
      const float* bj = b + (long)j * bcs;
      float v = t[i * 4 + j];
      for (int p = kv; p < k; p++) v += ai[p] * bj[p];
      float* out = c + (long)i * ldc + j;
      *out = accumulate ? *out + v : v;
    }
}

template <int R>
static void dot_row_block(int n, int k, const float* a, long ars, const float* b, long bcs,
                          float* c, long ldc, bool accumulate) {
  int j = 0;
  for (; j + 4 <= n; j += 4)
    dot_block<R, 4>(k, a, ars, b + (long)j * bcs, bcs, c + j, ldc, accumulate);
  const float* bj = b + (long)j * bcs;
  switch (n - j) {
    case 3: dot_block<R, 3>(k, a, ars, bj, bcs, c + j, ldc, accumulate); break;
    case 2: dot_block<R, 2>(k, a, ars, bj, bcs, c + j, ldc, accumulate); break;
    case 1: dot_block<R, 1>(k, a, ars, bj, bcs, c + j, ldc, accumulate); break;
    default: break;
  }
}

static void gemm_dot(int m, int n, int k, const float* a, long ars, const float* b, long bcs,
                     float* c, long ldc, bool accumulate) {
  int i = 0;
  for (; i + 4 <= m; i += 4)
    dot_row_block<4>(n, k, a + (long)i * ars, ars, b, bcs, c + (long)i * ldc, ldc, accumulate);
  const float* ai = a + (long)i * ars;
  float* ci = c + (long)i * ldc;
  switch (m - i) {
    case 3: dot_row_block<3>(n, k, ai, ars, b, bcs, ci, ldc, accumulate); break;
    case 2: dot_row_block<2>(n, k, ai, ars, b, bcs, ci, ldc, accumulate); break;
    case 1: dot_row_block<1>(n, k, ai, ars, b, bcs, ci, ldc, accumulate); break;
    default: break;
  }
}
#else
static void gemm_dot(int m, int n, int k, const float* a, long ars, const float* b, long bcs,
                     float* c, long ldc, bool accumulate) {
  auto hsum = [](vf v) {
    float t = 0;
    for (int l = 0; l < VL; l++) t += v[l];
    return t;
  };
  auto put = [&](int i, int j, float v) {
    float* p = c + (long)i * ldc + j;
    *p = accumulate ? *p + v : v;
  };
  const int kv = k - k % VL;
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    const float* a0 = a + (long)i * ars;
    const float* a1 = a0 + ars;
    const float* a2 = a1 + ars;
    const float* a3 = a2 + ars;
    for (int j = 0; j < n; j++) {
      const float* bj = b + (long)j * bcs;
      vf s0 = {}, s1 = {}, s2 = {}, s3 = {};
      for (int p = 0; p < kv; p += VL) {
        const vf bv = *(const vfu*)(bj + p);
        s0 += *(const vfu*)(a0 + p) * bv;
        s1 += *(const vfu*)(a1 + p) * bv;
        s2 += *(const vfu*)(a2 + p) * bv;
        s3 += *(const vfu*)(a3 + p) * bv;
      }
      float t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      for (int p = kv; p < k; p++) {
        t0 += a0[p] * bj[p];
        t1 += a1[p] * bj[p];
        t2 += a2[p] * bj[p];
        t3 += a3[p] * bj[p];
      }
      put(i, j, t0);
      put(i + 1, j, t1);
      put(i + 2, j, t2);
      put(i + 3, j, t3);
    }
  }
  for (; i < m; i++) {
    const float* a0 = a + (long)i * ars;
    for (int j = 0; j < n; j++) {
      const float* bj = b + (long)j * bcs;
      vf s0 = {};
      for (int p = 0; p < kv; p += VL) s0 += *(const vfu*)(a0 + p) * *(const vfu*)(bj + p);
      float t0 = hsum(s0);
      for (int p = kv; p < k; p++) t0 += a0[p] * bj[p];
      put(i, j, t0);
    }
  }
}
#endif

// One row times B with B's columns split across the pool when B is large (a batch-1 layer
// reads all of its weights once: two cores read them twice as fast). Each column's sum is the
// same whatever the split.
static void gemv_split(int n, int k, const float* a, long acs, const float* b, long brs, long bcs,
                       float* c, bool accumulate, bool threaded) {
  Pool& p = pool();
  const int threads = p.threads();
  if (!threaded || threads == 1 || (double)n * k < (1 << 18) || n < 128) {
    gemv(n, k, a, acs, b, brs, bcs, c, accumulate);
    return;
  }
  struct Job {
    int n, k;
    const float* a;
    long acs;
    const float* b;
    long brs, bcs;
    float* c;
    bool accumulate;
    int chunk;
  } j{n, k, a, acs, b, brs, bcs, c, accumulate, 0};
  const int per = (n + threads - 1) / threads;
  j.chunk = (per + 63) / 64 * 64;
  p.run(
      (n + j.chunk - 1) / j.chunk,
      [](void* ctx, int t) {
        const Job& x = *static_cast<const Job*>(ctx);
        const int j0 = t * x.chunk;
        const int nn = std::min(x.chunk, x.n - j0);
        gemv(nn, x.k, x.a, x.acs, x.b + (long)j0 * x.bcs, x.brs, x.bcs, x.c + j0, x.accumulate);
      },
      &j);
}

// A tiny product (attention's 16x16 heads: m, k <= 64, n <= 2*VL): B copied once into a
// zero-padded row-major block on the stack, then each row of C accumulated in one or two
// vectors, multiply-adds in k order as the packed kernel does them (the same bits).
static void gemm_tiny(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                      long brs, long bcs, float* c, long ldc, bool accumulate) {
  alignas(64) float bt[64 * 2 * VL];
  const int w = n > VL ? 2 * VL : VL;
  for (int p = 0; p < k; p++)
    for (int j = 0; j < w; j++) bt[p * w + j] = j < n ? b[(long)p * brs + (long)j * bcs] : 0.0f;
  for (int i = 0; i < m; i++) {
    vf s0 = {}, s1 = {};
    const float* ai = a + (long)i * ars;
    for (int p = 0; p < k; p++) {
      const float av = ai[(long)p * acs];
      s0 += av * *(const vf*)(bt + p * w);
      if (w > VL) s1 += av * *(const vf*)(bt + p * w + VL);
    }
    float* ci = c + (long)i * ldc;
    for (int j = 0; j < n; j++) {
      const float v = j < VL ? s0[j] : s1[j - VL];
      ci[j] = accumulate ? ci[j] + v : v;
    }
  }
}

// C (row stride ldc, column stride ccs) = A x B, threaded when large.
static void gemm_strided(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                         long brs, long bcs, float* c, long ldc, long ccs, bool accumulate,
                         bool threaded) {
  Pool& p = pool();
  const int threads = p.threads();
  const double flops = 2.0 * m * n * k;
  if (!threaded || threads == 1 || flops < 4e6) {
    gemm_block(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, ccs, accumulate);
    return;
  }
  // Split the dim with more micro-tiles into one task per thread: each task packs its own
  // copy of the other operand, so more tasks cost more packing than they gain in balance
  // (measured: 200 vs 165 GFLOP/s at 128x784x512 on 2 cores). The arithmetic of every
  // element is the same whatever the split.
  GemmJob j{m, n, k, a, ars, acs, b, brs, bcs, c, ldc, ccs, accumulate, false, 0};
  const int ntiles = (n + NR - 1) / NR;
  const int mtiles = (m + MR - 1) / MR;
  // At least ~1 MFLOP per task: smaller tasks cost more in hand-offs than they save.
  const int most = std::max(1, (int)(flops / 1e6));
  const int want = std::min(threads, most);
  int tasks;
  if (ntiles >= mtiles || ntiles >= want) {
    j.split_n = true;
    const int per = (ntiles + want - 1) / want;
    j.chunk = per * NR;
    tasks = (n + j.chunk - 1) / j.chunk;
  } else {
    j.split_n = false;
    const int per = (mtiles + want - 1) / want;
    j.chunk = per * MR;
    tasks = (m + j.chunk - 1) / j.chunk;
  }
  p.run(tasks, gemm_task, &j);
}

// One product on the calling thread (threaded: split across the pool when large).
static void sgemm_one(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                      long brs, long bcs, float* c, long ldc, bool accumulate, bool threaded) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) std::memset(c + (long)i * ldc, 0, sizeof(float) * n);
    return;
  }
  if (m == 1 && (bcs == 1 || brs == 1)) {
    gemv_split(n, k, a, acs, b, brs, bcs, c, accumulate, threaded);
    return;
  }
  if (m <= 64 && k <= 64 && n <= 2 * VL) {
    gemm_tiny(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate);
    return;
  }
  // Few columns, or few rows (batch-1 to batch-8 inference through x @ W.t()): dot products
  // straight from both operands, where packing B would cost more than the product.
  if (acs == 1 && brs == 1 && (n <= 16 || m <= 8) && k >= 2 * VL) {
    gemm_dot(m, n, k, a, ars, b, bcs, c, ldc, accumulate);
    return;
  }
  // A narrow C (few columns, many rows) wastes most of each NR-wide micro-tile: compute
  // C^T = B^T A^T instead, writing C through transposed strides.
  if (n < NR / 2 && m > 2 * n) {
    gemm_strided(n, m, k, b, bcs, brs, a, acs, ars, c, 1, ldc, accumulate, threaded);
    return;
  }
  gemm_strided(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, 1, accumulate, threaded);
}

void sgemm(int m, int n, int k, const float* a, long ars, long acs, const float* b, long brs,
           long bcs, float* c, long ldc, bool accumulate) {
  sgemm_one(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, true);
}

void sgemm_serial(int m, int n, int k, const float* a, long ars, long acs, const float* b,
                  long brs, long bcs, float* c, long ldc, bool accumulate) {
  sgemm_one(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, false);
}

namespace {
struct BatchJob {
  const BatchNest* nest;
  int m, n, k;
  const float* a;
  long ars, acs;
  const float* b;
  long brs, bcs;
  float* c;
  long ldc;
  bool accumulate;
  int per;  // products per task
  int batches;
};

// The t-th product of the nest, on the calling thread.
void batch_product(const BatchJob& x, int t, bool may_split) {
  const BatchNest& q = *x.nest;
  const long i = t / q.inner, j = t % q.inner;
  sgemm_one(x.m, x.n, x.k, x.a + i * q.a_outer + j * q.a_inner, x.ars, x.acs,
            x.b + i * q.b_outer + j * q.b_inner, x.brs, x.bcs, x.c + i * q.c_outer + j * q.c_inner,
            x.ldc, x.accumulate, may_split);
}
}  // namespace

// Many small products (a convolution's per-image GEMMs, attention's per-head ones): whole
// products split across the pool, each on one thread, so no product pays for a hand-off. Each
// product's arithmetic is the same as sgemm's, whatever thread runs it.
void sgemm_batched(const BatchNest& nest, int m, int n, int k, const float* a, long ars, long acs,
                   const float* b, long brs, long bcs, float* c, long ldc, bool accumulate) {
  Pool& p = pool();
  const int batches = nest.outer * nest.inner;
  BatchJob j{&nest, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, 0, batches};
  const double flops = 2.0 * m * n * k;
  if (p.threads() == 1 || batches < 2 || flops >= 4e6) {
    for (int t = 0; t < batches; t++) batch_product(j, t, true);
    return;
  }
  const int tasks = std::min(batches, p.threads() * 4);
  j.per = (batches + tasks - 1) / tasks;
  p.run(
      (batches + j.per - 1) / j.per,
      [](void* ctx, int task) {
        const BatchJob& x = *static_cast<const BatchJob*>(ctx);
        const int end = std::min(x.batches, (task + 1) * x.per);
        for (int t = task * x.per; t < end; t++) batch_product(x, t, false);
      },
      &j);
}

}  // namespace gd
