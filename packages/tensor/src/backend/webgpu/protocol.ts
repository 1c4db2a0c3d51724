/**
 * Messages between the WebGPU backend (on the thread that runs the ops) and the device host (a
 * worker that owns the GPUDevice). The device lives in a worker so that a synchronous read can
 * block on a shared flag while the worker's own event loop completes the GPU's mapAsync.
 */
import type { WebGpuLimits } from './index.js';

/** Buffers are named by numbers the backend hands out. */
export type BufferId = number;

/** One step of a batch, executed in order by the host. */
export type Command =
  | { readonly op: 'create'; readonly id: BufferId; readonly bytes: number }
  /** Writes `data` at byte `offset` (uploads go in bounded chunks, one command each). */
  | {
      readonly op: 'write';
      readonly id: BufferId;
      readonly offset: number;
      readonly data: ArrayBuffer;
    }
  | {
      readonly op: 'copy';
      readonly src: BufferId;
      readonly dst: BufferId;
      readonly bytes: number;
    }
  | { readonly op: 'free'; readonly id: BufferId }
  | {
      readonly op: 'run';
      readonly kernel: string;
      /** The WGSL source, sent the first time a kernel is used. */
      readonly source?: string;
      readonly buffers: readonly BufferId[];
      readonly meta: Uint32Array;
      readonly groups: readonly [number, number, number];
    };

/** The device's limits that bound what the backend may hold and bind (see WebGpuLimits). */
export type DeviceLimits = WebGpuLimits;

/** What a device host reports once its device is up. */
export interface DeviceInfo {
  /** The adapter's name. */
  readonly adapter: string;
  readonly limits: DeviceLimits;
}

/** Sync reads answer through this shared block: status word, error length, then the bytes. */
export const REPLY_HEADER_BYTES = 16;
/** Status word values of a reply block. */
export const REPLY = { pending: 0, ok: 1, error: 2 } as const;

/** Messages to the host. */
export type ToHost =
  | { readonly type: 'init'; readonly reply: SharedArrayBuffer | null; readonly options: string[] }
  | { readonly type: 'batch'; readonly commands: readonly Command[] }
  | {
      readonly type: 'read';
      readonly commands: readonly Command[];
      readonly id: BufferId;
      /** The byte range read: reads go in bounded chunks, one message each. */
      readonly offset: number;
      readonly bytes: number;
      /** Shared block for a blocking read; null for an asynchronous one (answered by message). */
      readonly reply: SharedArrayBuffer | null;
      readonly token: number;
    };

/** Messages from the host. */
export type FromHost =
  | { readonly type: 'ready'; readonly info: DeviceInfo; readonly error?: undefined }
  | { readonly type: 'ready'; readonly error: string }
  | {
      readonly type: 'data';
      readonly token: number;
      readonly data?: ArrayBuffer;
      readonly error?: string;
    }
  /** A batch has been executed (so the process may exit without cutting a Dawn call short). */
  | { readonly type: 'done' };
