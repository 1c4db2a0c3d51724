/**
 * Progress within an epoch: a cli-progress bar on a terminal (batches, loss, throughput, ETA),
 * plain lines at each quarter of the epoch otherwise (CI logs, pipes), or nothing.
 */
import cliProgress from 'cli-progress';
import type { ProgressMode } from './config.js';

/** Reports one epoch's progress. */
export interface EpochProgress {
  /** After batch `done` of `total`, with the running mean loss and images per second. */
  update(done: number, loss: number, imagesPerSecond: number): void;
  /** Ends the epoch's display (clears the bar). */
  stop(): void;
}

/** Starts the progress display of each epoch. */
export interface Progress {
  startEpoch(epoch: number, epochs: number, totalBatches: number): EpochProgress;
}

/**
 * Seconds as `1m05s` / `12s`.
 *
 * @example
 * ```ts
 * formatDuration(65); // '1m05s'
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * An integer with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(35119.4); // '35,119'
 * ```
 */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The progress display for `mode`: `auto` is a bar when `stream` is a terminal, else plain
 * lines.
 *
 * @example
 * ```ts
 * const progress = createProgress('auto', process.stdout);
 * const p = progress.startEpoch(1, 5, 469);
 * p.update(1, 2.3, 30000);
 * p.stop();
 * ```
 */
export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream): Progress {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'plain') : mode;
  if (resolved === 'none') {
    return { startEpoch: () => ({ update() {}, stop() {} }) };
  }
  if (resolved === 'plain') {
    return {
      startEpoch(epoch, epochs, total) {
        const started = performance.now();
        const marks = new Set(
          [1, 2, 3].map((q) => Math.floor((q * total) / 4)).filter((m) => m > 0),
        );
        return {
          update(done, loss, ips) {
            if (!marks.has(done) || done >= total) return;
            const elapsed = (performance.now() - started) / 1000;
            const eta = formatDuration(((total - done) / done) * elapsed);
            stream.write(
              `  epoch ${epoch}/${epochs}  batch ${done}/${total}  loss ${loss.toFixed(4)}  ${formatCount(ips)} img/s  ETA ${eta}\n`,
            );
          },
          stop() {},
        };
      },
    };
  }
  return {
    startEpoch(epoch, epochs, total) {
      const bar = new cliProgress.SingleBar(
        {
          format: `epoch ${epoch}/${epochs} |{bar}| {value}/{total} batches | loss {loss} | {ips} img/s | ETA {eta_formatted}`,
          stream,
          clearOnComplete: true,
          hideCursor: false,
          barsize: 30,
          etaBuffer: 20,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { loss: '-', ips: '-' });
      return {
        update(done, loss, ips) {
          bar.update(done, { loss: loss.toFixed(4), ips: formatCount(ips) });
        },
        stop() {
          bar.stop();
        },
      };
    },
  };
}
