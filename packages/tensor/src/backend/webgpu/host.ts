/// <reference types="@webgpu/types" />
/**
 * The device host: runs in a worker, owns the GPUDevice, and executes the command batches the
 * WebGPU backend sends (create/write/copy/free buffers, run kernels, read back). Errors the GPU
 * reports (a shader that fails validation, an out-of-memory) are kept and returned with the
 * next read, as WebGPU reports them asynchronously.
 */
import type { BufferId, Command, DeviceInfo, FromHost, ToHost } from './protocol.js';
import { REPLY, REPLY_HEADER_BYTES } from './protocol.js';

interface Port {
  post(message: FromHost): void;
  onMessage(handler: (message: ToHost) => void): void;
}

const USAGE_STORAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC
const USAGE_READBACK = 0x01 | 0x08; // MAP_READ | COPY_DST
const MAP_READ = 0x01;
const META_ALIGN = 256;

class Host {
  private readonly buffers = new Map<BufferId, GPUBuffer>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private error: string | null = null;

  constructor(private readonly device: GPUDevice) {
    device.addEventListener('uncapturederror', (e) => {
      const message = (e as GPUUncapturedErrorEvent).error.message;
      this.error ??= message;
    });
    void device.lost.then((info) => {
      this.error ??= `the GPU device was lost: ${info.message || info.reason}`;
    });
  }

  execute(commands: readonly Command[]): void {
    let encoder: GPUCommandEncoder | null = null;
    // Consecutive kernels share one compute pass (WebGPU orders their memory accesses).
    let pass: GPUComputePassEncoder | null = null;
    const endPass = (): void => {
      pass?.end();
      pass = null;
    };
    // Freed buffers may still be used by this batch's encoder: destroyed after its submit.
    const doomed: GPUBuffer[] = [];
    const metaOffsets = this.metaBlock(commands);
    let runIndex = 0;
    for (const c of commands) {
      switch (c.op) {
        case 'create':
          this.buffers.set(
            c.id,
            this.device.createBuffer({
              size: Math.max(4, align(c.bytes, 4)),
              usage: USAGE_STORAGE,
            }),
          );
          break;
        case 'write':
          // Writes are queued before this batch's encoder is submitted; earlier runs of the
          // batch are flushed first so the order of commands is the order of effects.
          if (encoder) {
            endPass();
            this.device.queue.submit([encoder.finish()]);
            encoder = null;
          }
          this.device.queue.writeBuffer(this.buffer(c.id), c.offset, c.data);
          break;
        case 'copy':
          endPass();
          encoder ??= this.device.createCommandEncoder();
          encoder.copyBufferToBuffer(
            this.buffer(c.src),
            0,
            this.buffer(c.dst),
            0,
            align(c.bytes, 4),
          );
          break;
        case 'free': {
          const b = this.buffers.get(c.id);
          if (b) doomed.push(b);
          this.buffers.delete(c.id);
          break;
        }
        case 'run': {
          encoder ??= this.device.createCommandEncoder();
          pass ??= encoder.beginComputePass();
          const meta = metaOffsets!;
          this.dispatch(pass, c, meta.buffer, meta.offsets[runIndex++]!);
          break;
        }
      }
    }
    endPass();
    if (encoder) this.device.queue.submit([encoder.finish()]);
    for (const b of doomed) b.destroy();
  }

  /** All metas of a batch in one buffer, each at an aligned offset. */
  private metaBlock(commands: readonly Command[]): { buffer: GPUBuffer; offsets: number[] } | null {
    const runs = commands.filter((c): c is Extract<Command, { op: 'run' }> => c.op === 'run');
    if (runs.length === 0) return null;
    const offsets: number[] = [];
    let size = 0;
    for (const r of runs) {
      offsets.push(size);
      size += align(Math.max(4, r.meta.byteLength), META_ALIGN);
    }
    const buffer = this.device.createBuffer({ size, usage: USAGE_STORAGE, mappedAtCreation: true });
    const words = new Uint32Array(buffer.getMappedRange());
    runs.forEach((r, k) => words.set(r.meta, offsets[k]! / 4));
    buffer.unmap();
    // Destroyed once the batch's work is done; WebGPU keeps it alive until then.
    void this.device.queue.onSubmittedWorkDone().then(() => buffer.destroy());
    return { buffer, offsets };
  }

  private dispatch(
    pass: GPUComputePassEncoder,
    c: Extract<Command, { op: 'run' }>,
    meta: GPUBuffer,
    metaOffset: number,
  ): void {
    const pipeline = this.pipeline(c.kernel, c.source);
    const entries: GPUBindGroupEntry[] = [
      {
        binding: 0,
        resource: { buffer: meta, offset: metaOffset, size: Math.max(4, c.meta.byteLength) },
      },
      ...c.buffers.map((id, k) => ({ binding: k + 1, resource: { buffer: this.buffer(id) } })),
    ];
    const group = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(c.groups[0], c.groups[1], c.groups[2]);
  }

  private pipeline(kernel: string, source: string | undefined): GPUComputePipeline {
    let p = this.pipelines.get(kernel);
    if (!p) {
      if (source === undefined) throw new Error(`webgpu host: kernel ${kernel} was never sent`);
      const module = this.device.createShaderModule({ code: source, label: kernel });
      p = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
        label: kernel,
      });
      this.pipelines.set(kernel, p);
    }
    return p;
  }

  private buffer(id: BufferId): GPUBuffer {
    const b = this.buffers.get(id);
    if (!b) throw new Error(`webgpu host: no buffer ${id}`);
    return b;
  }

  /** Reads `bytes` bytes at byte `offset` (a multiple of 4) through a staging buffer of that size. */
  async read(id: BufferId, offset: number, bytes: number): Promise<ArrayBuffer> {
    const size = Math.max(4, align(bytes, 4));
    const staging = this.device.createBuffer({ size, usage: USAGE_READBACK });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.buffer(id), offset, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_READ);
    const data = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    return data;
  }

  /** Records an error to report with the next read. */
  /** Resolves once the GPU has finished everything submitted so far (errors count as done). */
  async workDone(): Promise<void> {
    try {
      await this.device.queue.onSubmittedWorkDone();
    } catch {
      // a lost device finishes nothing more; the next read reports it
    }
  }

  fail(message: string): void {
    this.error ??= message;
  }

  /** The first error the device reported since the last call, if any. */
  takeError(): string | null {
    const e = this.error;
    this.error = null;
    return e;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function writeReply(
  reply: SharedArrayBuffer,
  data: ArrayBuffer | null,
  error: string | null,
): void {
  const header = new Int32Array(reply, 0, 4);
  if (error !== null) {
    const bytes = new TextEncoder().encode(error);
    const room = reply.byteLength - REPLY_HEADER_BYTES;
    new Uint8Array(reply, REPLY_HEADER_BYTES, Math.min(room, bytes.length)).set(
      bytes.subarray(0, room),
    );
    header[1] = Math.min(room, bytes.length);
    Atomics.store(header, 0, REPLY.error);
  } else {
    new Uint8Array(reply, REPLY_HEADER_BYTES, data!.byteLength).set(new Uint8Array(data!));
    header[1] = data!.byteLength;
    Atomics.store(header, 0, REPLY.ok);
  }
  Atomics.notify(header, 0);
}

// Dawn's Node binding destroys its instance when the object `create()` returned is collected,
// and every device with it: the entry point is held for the life of the host.
export let heldGpu: GPU | null = null;

async function requestDevice(gpu: GPU): Promise<{ device: GPUDevice; info: DeviceInfo }> {
  heldGpu = gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  const best = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: best.maxStorageBufferBindingSize,
      maxBufferSize: best.maxBufferSize,
      maxStorageBuffersPerShaderStage: best.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  const name =
    [info?.vendor, info?.architecture, info?.device, info?.description]
      .filter((s) => typeof s === 'string' && s.length > 0)
      .join(' ') || 'unnamed adapter';
  const limits = {
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
  };
  return { device, info: { adapter: name, limits } };
}

/**
 * Serves one backend over `port`, with `gpu` the WebGPU entry point (navigator.gpu, or the
 * `webgpu` package's in Node).
 */
export function serve(port: Port, getGpu: (options: string[]) => Promise<GPU>): void {
  let host: Host | null = null;
  let initError: string | null = null;
  port.onMessage((message) => {
    void handle(message);
  });

  async function handle(message: ToHost): Promise<void> {
    if (message.type === 'init') {
      try {
        const { device, info } = await requestDevice(await getGpu(message.options));
        host = new Host(device);
        port.post({ type: 'ready', info });
        if (message.reply) {
          const json = new TextEncoder().encode(JSON.stringify(info));
          writeReply(message.reply, json.buffer as ArrayBuffer, null);
        }
      } catch (e) {
        initError = (e as Error).message;
        port.post({ type: 'ready', error: initError });
        if (message.reply) writeReply(message.reply, null, initError);
      }
      return;
    }
    if (!host) return;
    try {
      host.execute(message.commands);
    } catch (e) {
      // Kept for the next read when nobody is waiting for this batch.
      if (message.type === 'read') {
        answer(message, null, (e as Error).message);
        return;
      }
      host.fail((e as Error).message);
    }
    if (message.type !== 'read') {
      // 'done' once the GPU has finished the batch: the process may exit after the last one,
      // and Dawn torn down under submitted work reports the unresolved onSubmittedWorkDone
      // promise and ends the process with status 1.
      await host.workDone();
      port.post({ type: 'done' });
      return;
    }
    try {
      const data = await host.read(message.id, message.offset, message.bytes);
      answer(message, data, host.takeError());
    } catch (e) {
      answer(message, null, (e as Error).message);
    }
  }

  function answer(
    message: Extract<ToHost, { type: 'read' }>,
    data: ArrayBuffer | null,
    error: string | null,
  ): void {
    if (message.reply) writeReply(message.reply, error === null ? data : null, error);
    else if (error !== null) port.post({ type: 'data', token: message.token, error });
    else port.post({ type: 'data', token: message.token, data: data! });
  }
}
