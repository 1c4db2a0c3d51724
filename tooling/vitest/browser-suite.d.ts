import type { BrowserPage } from './browser.js';

/** The outcome of one case (a test, or a file or suite whose own code failed). */
export interface CaseResult {
  /** The case's full name, suites first, joined with ' > '. */
  name: string;
  /** 'pass', 'fail', 'skip' or 'todo'. */
  state: string;
  /** The messages (with a diff and the first stack frames) of what failed. */
  errors: string[];
}
/** What a worker reports for one test file. */
export interface FileResult {
  file: string;
  /** What the setup module's function returned (null when the worker failed first). */
  info: unknown;
  cases: CaseResult[];
}
/** Bundles test files into one worker entry each (see browser-suite.js). */
export function bundleTestFiles(options: {
  root: string;
  files: string[];
  setup: string;
}): Promise<{ outputs: Record<string, string>; entries: Record<string, string> }>;
/** Runs one bundled file in a fresh worker of `page`. */
export function runTestFileInPage(page: BrowserPage, url: string): Promise<FileResult>;
