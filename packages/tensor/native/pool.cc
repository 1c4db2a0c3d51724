#include "pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GD_PAUSE() _mm_pause()
#else
#define GD_PAUSE() std::this_thread::yield()
#endif

namespace gd {

namespace {
constexpr uint64_t MASK = (1u << 20) - 1;
constexpr int MAX_TASKS = (1 << 20) - 1;
// How long an idle worker yields before it sleeps.
constexpr int YIELD_US = 5000;
}  // namespace

Pool::Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; i++) std::thread([this] { worker(); }).detach();
}

void Pool::work(uint64_t gen) {
  for (;;) {
    uint64_t v = ticket_.load(std::memory_order_acquire);
    for (;;) {
      if ((v >> 40) != gen) return;
      const uint64_t tasks = (v >> 20) & MASK;
      const uint64_t next = v & MASK;
      if (next >= tasks) return;
      if (ticket_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel,
                                        std::memory_order_acquire))
        break;
    }
    fn_(ctx_, (int)(v & MASK));
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void Pool::worker() {
  uint64_t seen = 0;
  for (;;) {
    // Spin a little (kernels of one training step follow each other closely), then yield the
    // core for a few milliseconds (as OpenBLAS's threads do), then sleep. Between two parallel
    // products of a step there is often more JavaScript than the spin lasts, and waking a
    // sleeping thread takes tens of microseconds in a VM: the 128x784x128 product of the
    // simple MLP took 165 us in a training step with a sleeping worker, 130 with a yielding
    // one (the epoch 8% faster). A yielding thread gives way to any other (V8's GC and
    // compiler threads), where a spinning one made small models slower.
    int spins = 0;
    std::chrono::steady_clock::time_point idle_since;
    while (generation_.load(std::memory_order_acquire) == seen) {
      if (++spins < 4000) {
        GD_PAUSE();
        continue;
      }
      if (spins == 4000) idle_since = std::chrono::steady_clock::now();
      if (std::chrono::steady_clock::now() - idle_since < std::chrono::microseconds(YIELD_US)) {
        std::this_thread::yield();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      sleeping_.fetch_add(1);
      cv_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      sleeping_.fetch_sub(1);
    }
    seen = generation_.load(std::memory_order_acquire);
    work(seen & ((uint64_t(1) << 24) - 1));
  }
}

void Pool::run(int tasks, TaskFn fn, void* ctx) {
  if (tasks <= 0) return;
  // One job at a time; a second JS thread calling in meanwhile runs its tasks alone.
  std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
  if (threads_ == 1 || tasks == 1 || tasks > MAX_TASKS || !busy.owns_lock()) {
    for (int t = 0; t < tasks; t++) fn(ctx, t);
    return;
  }
  uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = fn;
    ctx_ = ctx;
    done_.store(0, std::memory_order_relaxed);
    gen = (generation_.load(std::memory_order_relaxed) + 1) & ((uint64_t(1) << 24) - 1);
    if (gen == 0) gen = 1;
    ticket_.store(gen << 40 | uint64_t(tasks) << 20, std::memory_order_release);
    generation_.store(gen, std::memory_order_release);
  }
  if (sleeping_.load() > 0) cv_.notify_all();
  work(gen);
  // A task still running on a worker the OS took off its core: yield now and then.
  for (int spins = 0; done_.load(std::memory_order_acquire) < tasks; spins++) {
    if (spins < 2000) {
      GD_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
}

static Pool* the_pool = nullptr;
static int wanted = 0;

Pool& pool() {
  if (!the_pool) {
    int n = wanted;
    if (n <= 0) {
      n = (int)std::thread::hardware_concurrency();
      if (n <= 0) n = 1;
    }
    // Never destroyed: detached workers outlive module teardown at process exit.
    the_pool = new Pool(n);
  }
  return *the_pool;
}

void set_threads(int n) {
  if (the_pool && the_pool->threads() == n) return;
  wanted = n;
  // The old pool's workers stay parked forever; changing the count is rare (benchmarks).
  the_pool = nullptr;
}

}  // namespace gd
