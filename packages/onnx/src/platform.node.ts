/**
 * The Node side of @gd/onnx's file writing, chosen by the `#platform` import condition
 * (`node`); the browser side is platform.browser.ts with the same exports.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes ONNX bytes to `path` atomically: a temporary file in the same directory, fsynced,
 * then renamed over `path` (so a reader never sees a partial model). Creates the directory. Node only (also
 * exported by `@gd/onnx/node`); in a browser, offer the bytes as a download instead.
 *
 * @example
 * ```ts
 * saveOnnx(exportOnnx(model, x), 'runs/mnist/model.onnx');
 * ```
 */
export function saveOnnx(bytes: Uint8Array, path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directories cannot be fsynced on every platform; the rename itself is atomic.
  }
}

/** Creates a directory and its parents. */
export function makeDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Joins path segments with the platform's separator. */
export const joinPath: (...parts: string[]) => string = join;
