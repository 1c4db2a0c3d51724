// A small thread pool for the native backend. The calling thread takes part, and tasks are
// claimed one at a time with a compare-and-swap on a ticket that names the job, so a worker
// the OS has not scheduled never holds up a job: the others (the caller included) take its
// share. Workers spin briefly between jobs, yield their core for a few milliseconds, then
// sleep. A task's result never depends on
// which thread ran it, so runs are deterministic for any thread count.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace gd {

typedef void (*TaskFn)(void* ctx, int task);

class Pool {
 public:
  explicit Pool(int threads);
  int threads() const { return threads_; }
  // Runs fn(ctx, t) for t in [0, tasks); returns when all are done.
  void run(int tasks, TaskFn fn, void* ctx);

 private:
  void worker();
  // Claims and runs tasks of job `gen` until none is left.
  void work(uint64_t gen);
  int threads_;
  // ticket = gen << 40 | tasks << 20 | next task
  std::atomic<uint64_t> ticket_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleeping_{0};
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  std::mutex mutex_;
  std::mutex busy_;
  std::condition_variable cv_;
};

Pool& pool();
void set_threads(int n);

}  // namespace gd
