/**
 * `--processes N`: one gd-serve process per core sharing the port (node:cluster; the primary
 * hands each new connection to the next process), each with its own worker threads, batchers
 * and sessions. The primary only supervises: it starts the processes, replaces one that dies
 * (the replacement takes connections only once its models are warmed up), relays the requests
 * that need every process (`/metrics`, the statistics extension), and on SIGTERM lets every
 * process drain before it exits.
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';

/** What a process can be asked for on behalf of another: its metrics or its model statistics. */
export type GatherKind = 'metrics' | 'stats';

/** Messages between the primary and its processes (all carry `gd` to tell them from others'). */
type Message =
  | { gd: 'listening'; url: string }
  | { gd: 'ready' }
  | { gd: 'gather'; id: number; kind: GatherKind; args: unknown[] }
  | { gd: 'collect'; id: number; kind: GatherKind; args: unknown[] }
  | { gd: 'part'; id: number; value: unknown }
  | { gd: 'gathered'; id: number; parts: { process: number; value: unknown }[] };

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && typeof (m as { gd?: unknown }).gd === 'string';

/** The environment variable that tells a process its index (0..N-1). */
const INDEX_ENV = 'GD_SERVE_PROCESS';
/** Set for a replacement process: it listens only once its models are ready. */
const REPLACEMENT_ENV = 'GD_SERVE_REPLACEMENT';
/** How long the primary waits for each process's part of a gathered answer. */
const GATHER_TIMEOUT_MS = 2000;

/** What the primary needs. */
export interface PrimaryOptions {
  processes: number;
  /** How long each process may drain on SIGTERM; the primary kills what is left after it. */
  drainTimeoutMs: number;
  log: (message: string) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Replacements in a row that died before they were ready. */
  failedStarts: number;
  dead: boolean;
}

/**
 * Runs the cluster primary: forks `processes` copies of this CLI (same arguments), logs
 * `listening on <url>` and `ready` once every process is, replaces a process that dies, and
 * stops them all on SIGTERM/SIGINT (exit 0 when every one drained and exited 0).
 *
 * @example
 * ```ts
 * if (cluster.isPrimary && processes > 1) runPrimary({ processes, drainTimeoutMs: 30000, log });
 * ```
 */
export function runPrimary(options: PrimaryOptions): void {
  const { processes, log } = options;
  const slots: Slot[] = [];
  let everyoneReady = false;
  let listening = false;
  let stopping = false;
  let nextGather = 1;

  const fork = (index: number, replacement: boolean): Slot => {
    const worker = cluster.fork({
      [INDEX_ENV]: String(index),
      ...(replacement ? { [REPLACEMENT_ENV]: '1' } : {}),
    });
    log(`process ${index}: pid ${worker.process.pid}`);
    const slot: Slot = { worker, ready: false, failedStarts: 0, dead: false };
    slots[index] = slot;
    worker.on('message', (m: unknown) => {
      if (isMessage(m)) onMessage(slot, index, m);
    });
    worker.on('exit', (code, signal) => onExit(slot, index, code, signal));
    return slot;
  };

  const onMessage = (slot: Slot, index: number, m: Message): void => {
    switch (m.gd) {
      case 'listening':
        if (!listening) {
          listening = true;
          log(`listening on ${m.url} (${processes} processes)`);
        }
        return;
      case 'ready':
        slot.ready = true;
        slot.failedStarts = 0;
        if (!everyoneReady && slots.every((s) => s.ready)) {
          everyoneReady = true;
          log(`${processes} processes ready`);
          log('ready');
        } else if (everyoneReady) log(`process ${index} replaced; ready`);
        return;
      case 'gather':
        void gather(m.kind, m.args).then((parts) => {
          if (slot.worker.isConnected()) slot.worker.send({ gd: 'gathered', id: m.id, parts });
        });
        return;
      default:
        return;
    }
  };

  /** Asks every live process for its part; one that does not answer in time is left out. */
  const gather = async (kind: GatherKind, args: unknown[]) => {
    const id = nextGather++;
    const live = slots
      .map((s, process) => ({ s, process }))
      .filter(({ s }) => !s.dead && s.worker.isConnected());
    const parts = await Promise.all(
      live.map(
        ({ s, process }) =>
          new Promise<{ process: number; value: unknown } | undefined>((resolve) => {
            const timer = setTimeout(() => done(undefined), GATHER_TIMEOUT_MS);
            const onPart = (m: unknown) => {
              if (isMessage(m) && m.gd === 'part' && m.id === id) done(m.value);
            };
            const onExit = () => done(undefined);
            function done(value: unknown) {
              clearTimeout(timer);
              s.worker.off('message', onPart);
              s.worker.off('exit', onExit);
              resolve(value === undefined ? undefined : { process, value });
            }
            s.worker.on('message', onPart);
            s.worker.once('exit', onExit);
            s.worker.send({ gd: 'collect', id, kind, args });
          }),
      ),
    );
    return parts.filter((p) => p !== undefined);
  };

  const onExit = (slot: Slot, index: number, code: number | null, signal: string | null) => {
    if (slots[index] !== slot) return;
    slot.dead = true;
    const why = signal ?? `exit code ${code}`;
    if (stopping) {
      if (slots.every((s) => s.dead)) {
        const clean = slots.every((s) => s.worker.process.exitCode === 0);
        log(clean ? 'stopped' : 'stopped (a process did not exit cleanly)');
        process.exit(clean ? 0 : 1);
      }
      return;
    }
    if (!everyoneReady) {
      // A process that cannot start (a bad model, a missing provider) has said why; the
      // others would fail the same way.
      log(`process ${index} stopped (${why}) while starting; stopping`);
      stopping = true;
      for (const s of slots) if (!s.dead) s.worker.process.kill('SIGKILL');
      process.exit(1);
    }
    const failedStarts = slot.ready ? 0 : slot.failedStarts + 1;
    if (failedStarts >= 3) {
      log(`process ${index} failed to start ${failedStarts} times; not replacing it`);
      if (slots.every((s) => s.dead)) {
        log('no process left; exiting');
        process.exit(1);
      }
      return;
    }
    log(`process ${index} stopped (${why}); starting a replacement`);
    fork(index, true).failedStarts = failedStarts;
  };

  const stop = (signal: string) => {
    if (stopping) {
      if (signal === 'SIGINT') {
        log('SIGINT again: exiting without waiting');
        for (const s of slots) if (!s.dead) s.worker.process.kill('SIGKILL');
        process.exit(1);
      }
      return;
    }
    stopping = true;
    log(`${signal}: stopping ${processes} processes (each drains its requests in flight)`);
    for (const s of slots) if (!s.dead) s.worker.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      log(`processes still running after ${options.drainTimeoutMs} ms: killing them`);
      for (const s of slots) if (!s.dead) s.worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.drainTimeoutMs + 2000);
    timer.unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < processes; i++) fork(i, false);
}

/** A process's side of the cluster: its index, and how it answers and asks the primary. */
export interface ClusterProcess {
  /** 0..N-1, the `process` label of its metrics. */
  index: number;
  /** Whether it replaces a process that died (it then listens only once ready). */
  replacement: boolean;
  /** Tells the primary the server listens (its URL) or is ready. */
  notify(m: { gd: 'listening'; url: string } | { gd: 'ready' }): void;
  /** Answers the primary's requests for this process's part of a gathered answer. */
  answer(kind: GatherKind, part: (args: unknown[]) => unknown): void;
  /** Every live process's part (this one's included), by process index. */
  gather<T>(kind: GatherKind, args?: unknown[]): Promise<{ process: number; value: T }[]>;
}

/**
 * This process's link to the primary, or undefined when it is not a process of `--processes`.
 *
 * @example
 * ```ts
 * const link = clusterProcess();
 * link?.answer('metrics', () => registry.texts({ process: String(link.index) }));
 * ```
 */
export function clusterProcess(): ClusterProcess | undefined {
  const index = process.env[INDEX_ENV];
  if (!cluster.isWorker || index === undefined || !process.send) return undefined;
  const send = (m: Message) => {
    if (process.connected) process.send?.(m);
  };
  const answers = new Map<GatherKind, (args: unknown[]) => unknown>();
  const pending = new Map<number, (parts: { process: number; value: unknown }[]) => void>();
  let nextId = 1;
  process.on('message', (m: unknown) => {
    if (!isMessage(m)) return;
    if (m.gd === 'collect') {
      let value: unknown = null;
      try {
        value = answers.get(m.kind)?.(m.args) ?? null;
      } catch {
        value = null;
      }
      send({ gd: 'part', id: m.id, value });
    } else if (m.gd === 'gathered') {
      pending.get(m.id)?.(m.parts);
      pending.delete(m.id);
    }
  });
  return {
    index: Number(index),
    replacement: process.env[REPLACEMENT_ENV] === '1',
    notify: send,
    answer: (kind, part) => answers.set(kind, part),
    gather: <T>(kind: GatherKind, args: unknown[] = []) =>
      new Promise<{ process: number; value: T }[]>((resolve, reject) => {
        if (!process.connected) {
          reject(new Error('the cluster primary is gone'));
          return;
        }
        const id = nextId++;
        // The primary answers within its own timeout; this one covers a primary that is gone.
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the cluster primary did not answer for ${kind}`));
        }, GATHER_TIMEOUT_MS * 2);
        pending.set(id, (parts) => {
          clearTimeout(timer);
          resolve(parts.filter((p) => p.value !== null) as { process: number; value: T }[]);
        });
        send({ gd: 'gather', id, kind, args });
      }),
  };
}
