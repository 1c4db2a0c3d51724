/** A page of a browser context (the part of playwright-core the tests use). */
export interface BrowserPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(
    fn: () => boolean,
    arg?: unknown,
    options?: { timeout: number },
  ): Promise<unknown>;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitForSelector(selector: string, options?: { timeout: number }): Promise<unknown>;
  click(selector: string): Promise<void>;
  selectOption(selector: string, value: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  locator(selector: string): BrowserLocator;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Uint8Array>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  on(event: 'pageerror', fn: (e: Error) => void): void;
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  close(): Promise<void>;
}
/** An element of a page (the part of playwright-core's Locator the tests use). */
export interface BrowserLocator {
  screenshot(options: { path: string }): Promise<Uint8Array>;
  scrollIntoViewIfNeeded(): Promise<void>;
}
/** A browser context (playwright-core). */
export interface BrowserContext {
  newPage(): Promise<BrowserPage>;
  /** Routes requests matching `url` through `fn` (continue or abort them). */
  route(
    url: string,
    fn: (route: {
      request(): { url(): string };
      continue(): Promise<void>;
      abort(): Promise<void>;
    }) => unknown,
  ): Promise<void>;
  close(): Promise<void>;
}
/** A static site on 127.0.0.1. */
export interface StaticSite {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}
/** The Chromium executable, or null. */
export function findChromium(): string | null;
/** Why the browser tests cannot run here, or null. */
export function browserMissing(): string | null;
/** Bundles an ES module for the browser with esbuild. */
export function bundle(contents: string, resolveDir: string): Promise<string>;
/** Serves routes (path -> body) and mounted directories (URL prefix -> directory). */
export function serveStatic(
  routes: Record<string, string>,
  mounts: Record<string, string>,
  headers?: Record<string, string>,
): Promise<StaticSite>;
/** The headers that make a page cross-origin isolated. */
export const ISOLATION_HEADERS: Record<string, string>;
/** Headless Chromium on a profile directory. */
export function launchChromium(profile: string, extraArgs?: string[]): Promise<BrowserContext>;
/** Chromium's flags for WebGPU on SwiftShader. */
export const WEBGPU_SWIFTSHADER_ARGS: string[];
/** Where esbuild is (vite's), or null. */
export function esbuildPath(): string | null;
