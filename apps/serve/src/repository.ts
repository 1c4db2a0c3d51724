/**
 * Live model management, as Triton's model repository extension has it: an index of what the
 * repository holds and what is loaded, explicit load and unload, and `--model-control poll`,
 * which watches the repository and brings the loaded versions in line with it. A new version
 * is loaded and warmed up before it takes requests; a retired one stops taking new requests at
 * once and is unloaded after those already queued are answered, so no request fails.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ServeCore } from './core.js';
import { HttpError } from './errors.js';
import { modelDirs, modelPathKind, readModelDir } from './model-repo.js';
import type { ModelSource } from './model-repo.js';

/** How models change while the server runs (Triton's `--model-control-mode`). */
export type ModelControl = 'none' | 'explicit' | 'poll';

/** The model control modes, for the CLI. */
export const MODEL_CONTROLS: readonly ModelControl[] = ['none', 'explicit', 'poll'];

/** One row of `POST /v2/repository/index`. */
export interface IndexEntry {
  name: string;
  version?: string;
  state: 'READY' | 'UNAVAILABLE' | 'LOADING';
  reason: string;
}

/**
 * The repository behind `--model` and the operations on it.
 *
 * @example
 * ```ts
 * const repo = new ModelRepository(core, { path: 'model_repository', control: 'poll', pollMs: 1000 });
 * repo.start(); // after core.ready
 * await repo.index(); // [{ name: 'mnist', version: '2', state: 'READY', reason: '' }, ...]
 * repo.stop();
 * ```
 */
export class ModelRepository {
  private readonly kind: 'file' | 'model-dir' | 'repository';
  private readonly root: string;
  /** One chain of load/unload work per model, so two never interleave. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly loading = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly core: ServeCore,
    private readonly opts: { path: string; name?: string; control: ModelControl; pollMs: number },
  ) {
    this.root = resolve(opts.path);
    this.kind = modelPathKind(opts.path);
  }

  get control(): ModelControl {
    return this.opts.control;
  }

  /** The model directories by model name (none when `--model` is a file). */
  private dirs(): Map<string, string> {
    const dirs =
      this.kind === 'repository'
        ? modelDirs(this.root)
        : this.kind === 'model-dir'
          ? [this.root]
          : [];
    const byName = new Map<string, string>();
    for (const dir of dirs) {
      let name = basename(dir);
      try {
        name = readModelDir(dir)[0]?.name ?? name;
      } catch {
        // Listed under its directory name; index() reports why it cannot load.
      }
      byName.set(this.opts.name ?? name, dir);
    }
    return byName;
  }

  private read(name: string, dir: string): ModelSource[] {
    return readModelDir(dir).map((s) => ({ ...s, name }));
  }

  /** What the repository holds and what is loaded (Triton's repository index). */
  index(): IndexEntry[] {
    const rt = this.core.runtime;
    const out: IndexEntry[] = [];
    const seen = new Set<string>();
    const loadedOf = (name: string) => rt?.versions.get(name);
    for (const [name, dir] of this.dirs()) {
      seen.add(name);
      let wanted: string[] = [];
      let reason = '';
      try {
        wanted = this.read(name, dir).map((s) => s.version);
      } catch (e) {
        reason = (e as Error).message;
      }
      const loaded = loadedOf(name);
      const versions = new Set([...wanted, ...(loaded?.keys() ?? [])]);
      if (versions.size === 0)
        out.push({ name, state: 'UNAVAILABLE', reason: reason || 'not loaded' });
      for (const version of [...versions].sort((a, b) => Number(a) - Number(b))) {
        if (loaded?.has(version)) out.push({ name, version, state: 'READY', reason: '' });
        else if (this.loading.has(`${name}@${version}`))
          out.push({ name, version, state: 'LOADING', reason: '' });
        else out.push({ name, version, state: 'UNAVAILABLE', reason: reason || 'not loaded' });
      }
    }
    // Models loaded from a file, or whose directory is gone but not yet retired.
    for (const [name, versions] of rt?.versions ?? []) {
      if (seen.has(name)) continue;
      for (const version of versions.keys())
        out.push({ name, version, state: 'READY', reason: '' });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private explicitOnly(action: string): void {
    if (this.opts.control !== 'explicit') {
      throw new HttpError(
        400,
        'model_control',
        `${action}: model control is "${this.opts.control}"; start gd-serve with --model-control explicit to load and unload models through the API`,
      );
    }
  }

  private serial<T>(name: string, work: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(name) ?? Promise.resolve()).then(work, work);
    this.chains.set(
      name,
      next.catch(() => {}),
    );
    return next;
  }

  /**
   * Brings one model's loaded versions in line with its directory: new versions are loaded and
   * warmed up first, then versions no longer wanted are retired.
   */
  private sync(name: string, sources: ModelSource[]): Promise<void> {
    return this.serial(name, async () => {
      const rt = this.core.runtime;
      if (!rt) throw new HttpError(503, 'not_ready', `model ${name}: the server is still starting`);
      const wanted = new Set(sources.map((s) => s.version));
      for (const src of sources) {
        if (rt.versions.get(name)?.has(src.version)) continue;
        const key = `${name}@${src.version}`;
        this.loading.add(key);
        try {
          await rt.load(src);
          this.core.options.log(`model ${name} v${src.version}: loaded`);
        } finally {
          this.loading.delete(key);
        }
      }
      for (const version of [...(rt.versions.get(name)?.keys() ?? [])]) {
        if (wanted.has(version)) continue;
        await rt.unload(name, version);
        this.core.options.log(`model ${name} v${version}: unloaded`);
      }
    });
  }

  /** `POST /v2/repository/models/{name}/load`: (re)reads the model's directory and loads it. */
  async load(name: string): Promise<void> {
    this.explicitOnly(`load ${name}`);
    const dir = this.dirs().get(name);
    if (!dir) {
      throw new HttpError(
        404,
        'unknown_model',
        `model: no model directory ${JSON.stringify(name)} in ${this.kind === 'file' ? `--model ${this.opts.path} (a file, not a repository)` : this.root}`,
      );
    }
    let sources: ModelSource[];
    try {
      sources = this.read(name, dir);
    } catch (e) {
      throw new HttpError(400, 'bad_model', `model ${name}: ${(e as Error).message}`);
    }
    try {
      await this.sync(name, sources);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(
        500,
        'load_failed',
        `model ${name}: load failed: ${(e as Error).message}`,
      );
    }
  }

  /** `POST /v2/repository/models/{name}/unload`: retires every loaded version of the model. */
  async unload(name: string): Promise<void> {
    this.explicitOnly(`unload ${name}`);
    if (!this.core.runtime?.versions.has(name)) {
      throw new HttpError(404, 'unknown_model', `model: ${JSON.stringify(name)} is not loaded`);
    }
    await this.sync(name, []);
  }

  /** One pass of `--model-control poll`: every model directory synced, vanished ones retired. */
  async poll(): Promise<void> {
    const rt = this.core.runtime;
    if (!rt || this.kind === 'file') return;
    if (!existsSync(this.root)) return;
    const dirs = this.dirs();
    const work: Promise<void>[] = [];
    for (const [name, dir] of dirs) {
      let sources: ModelSource[];
      try {
        sources = this.read(name, dir);
      } catch (e) {
        // A half-copied version or a config being edited: keep what is loaded, try next time.
        this.core.options.log(`poll: model ${name}: ${(e as Error).message}`);
        continue;
      }
      work.push(this.sync(name, sources));
    }
    for (const name of rt.versions.keys()) {
      if (!dirs.has(name)) work.push(this.sync(name, []));
    }
    const results = await Promise.allSettled(work);
    for (const r of results) {
      if (r.status === 'rejected') this.core.options.log(`poll: ${(r.reason as Error).message}`);
    }
  }

  /** Starts polling (with `--model-control poll`); each pass starts after the last one ends. */
  start(): void {
    if (this.opts.control !== 'poll' || this.kind === 'file') return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.poll().finally(() => {
          if (!this.stopped) tick();
        });
      }, this.opts.pollMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops polling and waits for load/unload work in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.chains.values()]);
  }
}
