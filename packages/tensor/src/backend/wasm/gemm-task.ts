/**
 * A GEMM job as tasks: what the calling thread runs on its own and what it shares with the
 * workers of threads.ts (loaded only where a shared memory lets threads start). A job is a list
 * of GEMM tasks described in a small shared control block; tasks are claimed with a
 * compare-and-swap on a ticket naming the job, so the calling thread (which takes part) never
 * waits on a worker the OS has not scheduled, and a worker that is still starting simply
 * misses the job. Results do not depend on which thread ran a task.
 */

/** Layout of the control block (Int32Array). */
export const CTL_GEN = 0;
export const CTL_TICKET = 1;
export const CTL_DONE = 2;
export const CTL_TASKS = 3;
export const CTL_WORDS = 16;
/** Job arguments (Float64Array): see {@link runGemmTask}. */
export const ARG_WORDS = 32;

/** The kernel module's GEMM export. */
export type GemmFn = (
  m: number,
  n: number,
  k: number,
  a: number,
  ars: number,
  acs: number,
  b: number,
  brs: number,
  bcs: number,
  c: number,
  ldc: number,
  acc: number,
  scratch: number,
) => void;

/**
 * Runs task `t` of the GEMM job in `A` on scratch slot `slot`. Also compiled into the worker
 * source with toString(), so it must stay self-contained.
 * A: m n k a ars acs b brs bcs c ldc acc splitN chunk scratchBase scratchBytes
 */
export function runGemmTask(gemm: GemmFn, A: Float64Array, t: number, slot: number): void {
  const m = A[0]!;
  const n = A[1]!;
  const chunk = A[13]!;
  const scratch = A[14]! + slot * A[15]!;
  if (A[12]) {
    const j0 = t * chunk;
    const nn = Math.min(chunk, n - j0);
    if (nn > 0) {
      gemm(
        m,
        nn,
        A[2]!,
        A[3]!,
        A[4]!,
        A[5]!,
        A[6]! + j0 * A[8]! * 4,
        A[7]!,
        A[8]!,
        A[9]! + j0 * 4,
        A[10]!,
        A[11]!,
        scratch,
      );
    }
  } else {
    const i0 = t * chunk;
    const mm = Math.min(chunk, m - i0);
    if (mm > 0) {
      gemm(
        mm,
        n,
        A[2]!,
        A[3]! + i0 * A[4]! * 4,
        A[4]!,
        A[5]!,
        A[6]!,
        A[7]!,
        A[8]!,
        A[9]! + i0 * A[10]! * 4,
        A[10]!,
        A[11]!,
        scratch,
      );
    }
  }
}

/** Claims and runs tasks of job `gen` until none is left. Shared with the workers. */
export function claimTasks(C: Int32Array, gen: number, run: (t: number) => void): void {
  for (;;) {
    const v = Atomics.load(C, 1);
    if (v >>> 20 !== (gen & 0x7ff)) return;
    const next = v & 0xfffff;
    if (next >= Atomics.load(C, 3)) return;
    if (Atomics.compareExchange(C, 1, v, v + 1) !== v) continue;
    run(next);
    Atomics.add(C, 2, 1);
  }
}
