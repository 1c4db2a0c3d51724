/** HTTP and reference helpers shared by the server, CLI and browser tests. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PACKAGE_DIR } from '../src/runtime.js';
import { PNG } from 'pngjs';
import { loadMnist, pixelsOf, MEAN, STD } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a request and parses its JSON answer (every gd-serve answer but /metrics is JSON). */
export async function request<T = Record<string, unknown>>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<JsonResponse<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  let body = rest.body;
  if (json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  const res = await fetch(url, { ...rest, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `${init.method ?? 'GET'} ${url}: answer ${res.status} is not JSON: ${text.slice(0, 200)}`,
    );
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A v2 infer request for MNIST images (normalised like the model's metadata says). */
export function inferBody(
  split: MnistSplit,
  indices: number[],
  id?: string,
): Record<string, unknown> {
  const data: number[] = [];
  for (const i of indices) for (const v of pixelsOf(split, i)) data.push((v / 255 - MEAN) / STD);
  return {
    ...(id !== undefined ? { id } : {}),
    inputs: [{ name: 'input', shape: [indices.length, 1, 28, 28], datatype: 'FP32', data }],
  };
}

/** The response to a binary-extension request: its JSON header and the output bytes after it. */
export interface BinaryInferResponse {
  status: number;
  /** The JSON part (the inference response without its binary data). */
  header: Record<string, unknown>;
  /** The first `count` float32 values of the binary part. */
  floats(count: number): Float32Array;
}

/**
 * POSTs `images` of `split` as an inference request in Triton's binary tensor data extension:
 * the input's bytes after the JSON header, and the outputs asked for as binary, either per
 * output (`'output'`) or for the whole request (`'request'`).
 */
export async function inferBinary(
  base: string,
  split: MnistSplit,
  images: number[],
  binaryOutputs: 'output' | 'request',
): Promise<BinaryInferResponse> {
  const json = inferBody(split, images) as { inputs: { data?: number[]; parameters?: object }[] };
  const input = json.inputs[0]!;
  const bytes = Buffer.from(Float32Array.from(input.data!).buffer);
  delete input.data;
  input.parameters = { binary_data_size: bytes.length };
  const asked =
    binaryOutputs === 'output'
      ? { outputs: [{ name: 'logits', parameters: { binary_data: true } }] }
      : { parameters: { binary_data_output: true } };
  const header = Buffer.from(JSON.stringify({ ...json, ...asked }));
  const res = await fetch(`${base}/v2/models/mnist/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
    body: Buffer.concat([header, bytes]),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const n = Number(res.headers.get('inference-header-content-length'));
  return {
    status: res.status,
    header:
      res.status === 200
        ? (JSON.parse(body.subarray(0, n).toString()) as Record<string, unknown>)
        : {},
    floats: (count) =>
      new Float32Array(body.buffer.slice(body.byteOffset + n, body.byteOffset + n + 4 * count)),
  };
}

/** The same images run directly in onnxruntime-node, one at a time: the reference logits. */
export async function referenceLogits(
  file: string,
  split: MnistSplit,
  count: number,
): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(file);
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const x = Float32Array.from(pixelsOf(split, i), (v) => (v / 255 - MEAN) / STD);
    const r = await session.run({ input: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
    out.push(Float32Array.from((r.logits as ort.Tensor).data as Float32Array));
  }
  await session.release();
  return out;
}

export function argmax(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[b] as number)) b = i;
  return b;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return a.length === b.length ? m : Infinity;
}

/** Encodes an MNIST digit as a PNG: gray (as is), or dark ink on white RGB scaled up, or ink as alpha. */
export function digitPng(
  split: MnistSplit,
  i: number,
  style: 'gray' | 'rgb-paper' | 'alpha',
  scale = 1,
): Buffer {
  const px = pixelsOf(split, i);
  const size = 28 * scale;
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = px[Math.floor(y / scale) * 28 + Math.floor(x / scale)] as number;
      const o = (y * size + x) * 4;
      if (style === 'gray') png.data.set([v, v, v, 255], o);
      else if (style === 'rgb-paper') png.data.set([255 - v, 255 - v, 255 - v, 255], o);
      else png.data.set([20, 40, 200, v], o);
    }
  }
  const colorType = style === 'gray' ? 0 : style === 'alpha' ? 6 : 2;
  return PNG.sync.write(png, { colorType, inputColorType: 6 } as Parameters<
    typeof PNG.sync.write
  >[1]);
}

const CLI = join(PACKAGE_DIR, 'dist', 'cli.js');

/** A gd-serve process under test. */
export interface Running {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the first stderr match of `re` (rejects if the process exits first). */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built `gd-serve` CLI as a process (its stdout and stderr gathered together); the
 * child is added to `children` for the caller to kill after each test.
 */
export function runCli(
  args: string[],
  children: ChildProcess[],
  env: NodeJS.ProcessEnv = process.env,
): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.push(child);
  let err = '';
  const listeners: (() => void)[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const l of listeners) l();
  });
  child.stdout!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stderr: () => err,
    exited,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = err.match(re);
          if (m) resolve(m);
          else if (child.exitCode !== null)
            reject(new Error(`gd-serve exited (${child.exitCode}) before ${re}:\n${err}`));
        };
        listeners.push(check);
        check();
      }),
  };
}

export { loadMnist, pixelsOf };
