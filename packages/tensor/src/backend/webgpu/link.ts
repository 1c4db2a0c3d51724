/**
 * The backend's side of the connection to the device host worker: it queues commands, sends
 * them in batches (one message per burst of ops), and reads buffers back either blocking on a
 * shared flag (where the thread may block) or asynchronously.
 */
import type { BufferId, Command, DeviceInfo, DeviceLimits, FromHost, ToHost } from './protocol.js';
import { REPLY, REPLY_HEADER_BYTES } from './protocol.js';

/** What the backend needs of a worker, in Node (worker_threads) or a browser (Web Worker). */
export interface HostWorker {
  post(message: ToHost, transfer: ArrayBuffer[]): void;
  onMessage(handler: (message: FromHost) => void): void;
  /** Keeps the process alive (Node) while replies are awaited; a no-op in browsers. */
  hold(on: boolean): void;
  terminate(): void;
}

const INIT_TIMEOUT_MS = 60_000;
const READ_TIMEOUT_MS = 600_000;
const MAX_PENDING = 512;

/** Why this thread cannot block, or null when it can (Atomics.wait is allowed). */
export function blockingUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') {
    return 'SharedArrayBuffer is unavailable (a browser page that is not cross-origin isolated)';
  }
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return null;
  } catch {
    return "this thread may not block (a browser's main thread)";
  }
}

/** A connection to one device host. */
export class DeviceLink {
  private pending: Command[] = [];
  private transfer: ArrayBuffer[] = [];
  private scheduled = false;
  private nextToken = 1;
  // Batches sent and not yet executed: the process must not exit under them (Node would cut
  // the worker off inside a Dawn call, which aborts the process).
  private batchesInFlight = 0;
  private readonly waiting = new Map<
    number,
    { resolve(data: ArrayBuffer): void; reject(e: Error): void }
  >();

  /** The adapter's name, as the host reported it. */
  readonly adapter: string;
  /** The device's limits, as the host reported them. */
  readonly limits: DeviceLimits;

  constructor(
    private readonly worker: HostWorker,
    info: DeviceInfo,
  ) {
    this.adapter = info.adapter;
    this.limits = info.limits;
    worker.onMessage((m) => {
      if (m.type === 'done') {
        this.batchesInFlight--;
        this.release();
        return;
      }
      if (m.type !== 'data') return;
      const w = this.waiting.get(m.token);
      if (!w) return;
      this.waiting.delete(m.token);
      this.release();
      if (m.error !== undefined) w.reject(new Error(`webgpu: ${m.error}`));
      else w.resolve(m.data!);
    });
  }

  /**
   * Starts a host on `worker` and waits for its device, blocking this thread (Node, workers).
   * Throws with the host's reason when no adapter or device was found.
   */
  static connectSync(worker: HostWorker, options: string[]): DeviceLink {
    const reply = new SharedArrayBuffer(REPLY_HEADER_BYTES + 4096);
    worker.post({ type: 'init', reply, options }, []);
    const info = awaitReply(reply, INIT_TIMEOUT_MS, 'starting the WebGPU device');
    return new DeviceLink(worker, JSON.parse(new TextDecoder().decode(info)) as DeviceInfo);
  }

  /** Starts a host on `worker` and waits for its device without blocking (browsers). */
  static async connect(worker: HostWorker, options: string[]): Promise<DeviceLink> {
    const ready = new Promise<FromHost>((resolve) => worker.onMessage(resolve));
    worker.hold(true);
    worker.post({ type: 'init', reply: null, options }, []);
    const m = await ready;
    worker.hold(false);
    if (m.type !== 'ready')
      throw new Error('webgpu: unexpected first message from the device host');
    if (m.error !== undefined) throw new Error(m.error);
    return new DeviceLink(worker, m.info);
  }

  /** Queues a command; the queue goes out at the end of the current task or when it is long. */
  push(command: Command, transfer?: ArrayBuffer): void {
    this.pending.push(command);
    if (transfer) this.transfer.push(transfer);
    if (this.pending.length >= MAX_PENDING) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Sends the queued commands now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const commands = this.take();
    this.batchesInFlight++;
    this.worker.hold(true);
    this.worker.post({ type: 'batch', commands: commands.commands }, commands.transfer);
  }

  // Lets the process exit once nothing is in flight.
  private release(): void {
    if (this.batchesInFlight === 0 && this.waiting.size === 0) this.worker.hold(false);
  }

  private take(): { commands: Command[]; transfer: ArrayBuffer[] } {
    const out = { commands: this.pending, transfer: this.transfer };
    this.pending = [];
    this.transfer = [];
    return out;
  }

  /** Reads `bytes` bytes at byte `offset` of a buffer, blocking until the GPU has produced them. */
  readSync(id: BufferId, offset: number, bytes: number): ArrayBuffer {
    const why = blockingUnavailable();
    if (why !== null) {
      throw new Error(
        `a synchronous read of a webgpu tensor must wait for the GPU, and ${why}: read it with await t.dataAsync(), await t.toArrayAsync() or await t.itemAsync()`,
      );
    }
    const reply = new SharedArrayBuffer(REPLY_HEADER_BYTES + Math.max(bytes, 1024));
    const { commands, transfer } = this.take();
    this.worker.post({ type: 'read', commands, id, offset, bytes, reply, token: 0 }, transfer);
    return awaitReply(reply, READ_TIMEOUT_MS, 'reading from the GPU');
  }

  /** Reads `bytes` bytes at byte `offset` of a buffer without blocking. */
  readAsync(id: BufferId, offset: number, bytes: number): Promise<ArrayBuffer> {
    const token = this.nextToken++;
    const { commands, transfer } = this.take();
    const done = new Promise<ArrayBuffer>((resolve, reject) =>
      this.waiting.set(token, { resolve, reject }),
    );
    this.worker.hold(true);
    this.worker.post({ type: 'read', commands, id, offset, bytes, reply: null, token }, transfer);
    return done;
  }

  /** Stops the host; its buffers are gone. */
  close(): void {
    this.flush();
    this.worker.terminate();
  }
}

function awaitReply(reply: SharedArrayBuffer, timeoutMs: number, what: string): ArrayBuffer {
  const header = new Int32Array(reply, 0, 4);
  if (Atomics.wait(header, 0, REPLY.pending, timeoutMs) === 'timed-out') {
    throw new Error(`webgpu: timed out after ${timeoutMs / 1000} s ${what}`);
  }
  if (Atomics.load(header, 0) === REPLY.error) {
    const message = new TextDecoder().decode(
      new Uint8Array(reply, REPLY_HEADER_BYTES, header[1]!).slice(),
    );
    throw new Error(`webgpu: ${message}`);
  }
  return new Uint8Array(reply, REPLY_HEADER_BYTES, header[1]!).slice().buffer;
}
