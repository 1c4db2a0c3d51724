// PyTorch's CPU Bernoulli sampling with a scalar probability (at::bernoulli_distribution over
// at::mt19937): two 32-bit draws per element, the 53-bit integer they form compared with
// p * 2^53. The engine's state and counters live in JavaScript (Generator), so this kernel
// draws exactly the stream the TypeScript version would and hands the counters back.
#include <cstdint>

#include "kernels.h"

namespace gd {
namespace {

constexpr int MT_N = 624;
constexpr int MT_M = 397;
constexpr uint32_t MATRIX_A = 0x9908b0dfu;
constexpr uint32_t UMASK = 0x80000000u;
constexpr uint32_t LMASK = 0x7fffffffu;

inline uint32_t twist(uint32_t u, uint32_t v) {
  return (((u & UMASK) | (v & LMASK)) >> 1) ^ ((0u - (v & 1u)) & MATRIX_A);
}

// ATen's next_state: regenerates all 624 words.
void refill(uint32_t* s) {
  int j = 0;
  for (; j < MT_N - MT_M; j++) s[j] = s[j + MT_M] ^ twist(s[j], s[j + 1]);
  for (; j < MT_N - 1; j++) s[j] = s[j + MT_M - MT_N] ^ twist(s[j], s[j + 1]);
  s[MT_N - 1] = s[MT_M - 1] ^ twist(s[MT_N - 1], s[0]);
}

inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

// The engine with PyTorch's `left_` (outputs left before a refill, plus one) and `next_`.
struct Engine {
  uint32_t* s;
  int32_t left, next;
  inline uint32_t draw() {
    if (--left == 0) {
      refill(s);
      left = MT_N;
      next = 0;
    }
    return temper(s[next++]);
  }
};

// Fills w[0, count) with the next outputs, a run of tempering between refills at a time.
void fill(Engine& e, uint32_t* w, long count) {
  long i = 0;
  while (i < count) {
    if (e.left == 1) {
      w[i++] = e.draw();
      continue;
    }
    long take = e.left - 1;
    if (take > count - i) take = count - i;
    const uint32_t* src = e.s + e.next;
    for (long j = 0; j < take; j++) w[i + j] = temper(src[j]);
    i += take;
    e.next += (int32_t)take;
    e.left -= (int32_t)take;
  }
}

template <typename T>
void sample(Engine& e, T* out, long n, double threshold) {
  constexpr long BLOCK = 1024;
  uint32_t w[2 * BLOCK];
  for (long start = 0; start < n; start += BLOCK) {
    const long count = n - start < BLOCK ? n - start : BLOCK;
    fill(e, w, 2 * count);
    for (long j = 0; j < count; j++) {
      // Below 2^53, so the signed conversion is exact (and vectorises, unlike the unsigned one).
      const int64_t u = (int64_t)(((uint64_t)(w[2 * j] & 0x1fffffu) << 32) | w[2 * j + 1]);
      out[start + j] = (double)u < threshold ? T(1) : T(0);
    }
  }
}

}  // namespace

bool mt_bernoulli(uint32_t* state, int32_t* counters, void* out, int dt, long n,
                  double threshold) {
  Engine e{state, counters[0], counters[1]};
  if (e.left < 1 || e.left > MT_N || e.next < 0 || e.next > MT_N) return false;
  switch (dt) {
    case F32: sample(e, static_cast<float*>(out), n, threshold); break;
    case F64: sample(e, static_cast<double*>(out), n, threshold); break;
    case I32: sample(e, static_cast<int32_t*>(out), n, threshold); break;
    case U8: sample(e, static_cast<uint8_t*>(out), n, threshold); break;
    default: return false;
  }
  counters[0] = e.left;
  counters[1] = e.next;
  return true;
}

}  // namespace gd
