/**
 * The browser side of @gd/nn's file access, chosen by the `#platform` import condition
 * (`default`): there is no file system, so `save`/`load` say what to use instead.
 */

const NO_FILES =
  'a browser has no file system: use saveSafetensors/loadSafetensors on bytes, and download or fetch them';

/** Refuses: a browser has no files to write. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  void bytes;
  void path;
  throw new Error(NO_FILES);
}

/** Refuses: a browser has no files to read. */
export function readFileBytes(path: string): Uint8Array {
  void path;
  throw new Error(NO_FILES);
}
