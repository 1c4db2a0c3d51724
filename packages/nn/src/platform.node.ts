/**
 * The Node side of @gd/nn's file access (safetensors `save`/`load`), chosen by the `#platform`
 * import condition (`node`); the browser side is platform.browser.ts with the same exports.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes `bytes` to `path` atomically: to a temporary file in the same directory, flushed to
 * disk (fsync), then renamed over `path`, so a crash leaves the old file or the new one, never
 * a torn one. Throws the file system's error.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(resolve(path));
  const tmp = join(
    dir,
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  // Make the rename itself durable; some platforms cannot fsync a directory.
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // best effort
  }
}

/** The bytes of the file at `path`; throws the file system's error. */
export function readFileBytes(path: string): Uint8Array {
  return readFileSync(path);
}
