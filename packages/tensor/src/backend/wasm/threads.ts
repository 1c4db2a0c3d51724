/**
 * Threads for the WebAssembly backend: Web Workers in browsers, worker_threads in Node, each
 * with its own instance of the kernel module over the one shared memory. A job is a list of
 * GEMM tasks described in a small shared control block; tasks are claimed with a
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

interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  slot: number;
}

// The body of every worker: instantiate, then wait for jobs forever.
function workerMain(init: WorkerInit): void {
  const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const gemm = inst.exports.gemm as GemmFn;
  const C = new Int32Array(init.ctl);
  const A = new Float64Array(init.args);
  let seen = 0;
  for (;;) {
    // Spin briefly (the kernels of a training step come close together), then sleep.
    for (let i = 0; i < 20000 && Atomics.load(C, 0) === seen; i++);
    Atomics.wait(C, 0, seen);
    seen = Atomics.load(C, 0);
    claimTasks(C, seen, (t: number) => runGemmTask(gemm, A, t, init.slot));
  }
}

// Called by their own (possibly minified) names: a bundler that shortens identifiers renames
// the declarations inside these sources and the names alike.
const WORKER_SOURCE = `
${runGemmTask.toString()}
${claimTasks.toString()}
${workerMain.toString()}
if (typeof require === 'function') {
  ${workerMain.name}(require('node:worker_threads').workerData);
} else {
  self.onmessage = (e) => ${workerMain.name}(e.data);
}
`;

interface NodeWorkerThreads {
  Worker: new (
    src: string,
    options: { eval: boolean; workerData: unknown },
  ) => { unref(): void; on(event: string, fn: (e: unknown) => void): void };
}

/** A pool of kernel workers over one shared memory. */
export class WasmThreads {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  readonly args = new Float64Array(new SharedArrayBuffer(ARG_WORDS * 8));
  private started = false;
  private gen = 0;

  constructor(
    /** Threads in all, the caller included. */
    readonly threads: number,
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly workerThreads: NodeWorkerThreads | null,
  ) {}

  private start(): void {
    this.started = true;
    for (let slot = 1; slot < this.threads; slot++) {
      const init: WorkerInit = {
        module: this.module,
        memory: this.memory,
        ctl: this.ctl.buffer as SharedArrayBuffer,
        args: this.args.buffer as SharedArrayBuffer,
        slot,
      };
      try {
        if (this.workerThreads) {
          const w = new this.workerThreads.Worker(WORKER_SOURCE, { eval: true, workerData: init });
          w.on('error', () => {});
          w.unref();
        } else {
          const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
          new Worker(url).postMessage(init);
        }
      } catch {
        // No workers here (a sandbox, a CSP): the calling thread runs every task.
        return;
      }
    }
  }

  /** Runs the GEMM job whose arguments are in `args` as `tasks` tasks. */
  run(tasks: number, gemm: GemmFn): void {
    if (!this.started) this.start();
    const C = this.ctl;
    this.gen = (this.gen + 1) & 0x7ff || 1;
    const gen = this.gen;
    Atomics.store(C, CTL_DONE, 0);
    Atomics.store(C, CTL_TASKS, tasks);
    Atomics.store(C, CTL_TICKET, gen << 20);
    Atomics.store(C, CTL_GEN, gen);
    Atomics.notify(C, CTL_GEN);
    const A = this.args;
    claimTasks(C, gen, (t) => runGemmTask(gemm, A, t, 0));
    // Tasks still running on workers: spin (a browser's main thread cannot block).
    while (Atomics.load(C, CTL_DONE) < tasks);
  }
}
