/**
 * The drawing page, its compiled script, and onnxruntime-web's files from node_modules (no CDN).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PACKAGE_DIR } from '../runtime.js';

/** Registers the page (`/`), its script (`/static/*`) and onnxruntime-web (`/ort/*`). */
export async function pageFiles(app: FastifyInstance): Promise<void> {
  const ortDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  await app.register(fastifyStatic, {
    root: join(PACKAGE_DIR, 'public'),
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    allowedPath: (p) => p === '/' || p === '/index.html' || p === '/style.css',
  });
  await app.register(fastifyStatic, {
    root: join(PACKAGE_DIR, 'dist', 'web'),
    prefix: '/static/',
    decorateReply: false,
    allowedPath: (p) => p.endsWith('.js'),
  });
  await app.register(fastifyStatic, {
    root: ortDir,
    prefix: '/ort/',
    decorateReply: false,
    // The ES-module builds and their WebAssembly; no source maps or CommonJS bundles.
    allowedPath: (p) =>
      /^\/(ort\.[a-z.]*min\.mjs|ort-wasm-[a-z-]+(\.[a-z]+)?\.(mjs|wasm))$/.test(p),
  });
}
