import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelsNotFound, defaultWasmUrl, loadKernels, withSharedMemory } from './load.js';

const single = new Uint8Array(readFileSync(defaultWasmUrl(false)));
const threads = new Uint8Array(readFileSync(defaultWasmUrl(true)));

describe('withSharedMemory', () => {
  it('turns either kernel file into the other (they differ only in the memory import)', () => {
    expect(single).not.toEqual(threads);
    expect(withSharedMemory(single, true)).toEqual(threads);
    expect(withSharedMemory(threads, false)).toEqual(single);
    expect(withSharedMemory(single, false)).toEqual(single);
  });

  it('leaves its argument as it was', () => {
    const copy = single.slice();
    withSharedMemory(single, true);
    expect(single).toEqual(copy);
  });
});

describe('defaultWasmUrl', () => {
  it("is build/ of the package, or node_modules/@gd/tensor/build/ from Vite's dependency cache", () => {
    expect(defaultWasmUrl(false).pathname).toMatch(/\/build\/gd_kernels_single\.wasm$/);
    const chunk = 'http://127.0.0.1:5173/node_modules/.vite/deps/chunk-3EN6TIPB.js?v=8a6331d7';
    expect(defaultWasmUrl(false, chunk).href).toBe(
      'http://127.0.0.1:5173/node_modules/@gd/tensor/build/gd_kernels_single.wasm',
    );
    const linked = 'http://localhost:5173/@fs/app/node_modules/.vite/deps/@gd_tensor.js';
    expect(defaultWasmUrl(true, linked).href).toBe(
      'http://localhost:5173/@fs/app/node_modules/@gd/tensor/build/gd_kernels.wasm',
    );
    // A module merely named like the cache elsewhere is left alone.
    const other = 'http://localhost/node_modules/.vite/deps/sub/x.js';
    expect(defaultWasmUrl(false, other).pathname).not.toContain('@gd/tensor');
  });
});

describe('loadKernels', () => {
  let url = '';
  let close = (): void => {};
  beforeAll(async () => {
    const server = createServer((req, res) => {
      if (req.url === '/k.wasm') res.writeHead(200, { 'content-type': 'application/wasm' });
      else if (req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html' });
      else res.writeHead(404);
      res.end(req.url === '/k.wasm' ? single : req.url === '/index.html' ? '<!doctype html>' : '');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const importsShared = (m: WebAssembly.Module): boolean => {
    const shared = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared: true });
    try {
      new WebAssembly.Instance(m, { env: { memory: shared } });
      return true;
    } catch {
      return false;
    }
  };

  it('compiles bytes (any view) for a shared or a plain memory', async () => {
    expect(importsShared(await loadKernels(single, true))).toBe(true);
    expect(importsShared(await loadKernels(threads, false))).toBe(false);
    const view = new Uint8Array(single.length + 8);
    view.set(single, 8);
    expect(importsShared(await loadKernels(view.subarray(8), true))).toBe(true);
    expect(importsShared(await loadKernels(single.slice().buffer, false))).toBe(false);
  });

  it('fetches a URL, a string or a URL object', async () => {
    expect(importsShared(await loadKernels(`${url}/k.wasm`, true))).toBe(true);
    expect(importsShared(await loadKernels(new URL('/k.wasm', url), false))).toBe(false);
  });

  it('returns a compiled module as it is', async () => {
    const m = new WebAssembly.Module(single);
    expect(await loadKernels(m, true)).toBe(m);
  });

  it('names the URL tried when the file is missing or is not WebAssembly', async () => {
    const missing = loadKernels(`${url}/nope.wasm`, false);
    await expect(missing).rejects.toThrow(`kernels not found at ${url}/nope.wasm (HTTP 404)`);
    await expect(missing).rejects.toBeInstanceOf(KernelsNotFound);
    await expect(loadKernels(`${url}/index.html`, false)).rejects.toThrow(
      `${url}/index.html is not a WebAssembly file (text/html)`,
    );
    await expect(loadKernels(new URL('file:///nonexistent/k.wasm'), false)).rejects.toThrow(
      'kernels not found at file:///nonexistent/k.wasm',
    );
    await expect(loadKernels(new Uint8Array([1, 2, 3]), false)).rejects.toThrow(
      'the bytes given are not a WebAssembly module',
    );
  });
});
