/**
 * Metrics files: `metrics.jsonl` (one JSON object per epoch) and `metrics.csv` (the same
 * columns), rewritten atomically after every epoch from the run's history, so they always match
 * the checkpoint (a resumed run drops the epochs that were never checkpointed).
 */
import { join } from 'node:path';
import type { EpochRecord } from './checkpoint.js';
import { FILES, writeFileAtomic } from './checkpoint.js';

/** The CSV columns, in order (snake_case, as in the JSONL records). */
export const METRIC_COLUMNS = [
  'epoch',
  'step',
  'train_loss',
  'train_accuracy',
  'val_loss',
  'val_accuracy',
  'lr',
  'seconds',
  'images_per_second',
] as const;

/**
 * An epoch record with snake_case keys (the files' format).
 *
 * @example
 * ```ts
 * toRow(record).train_loss; // record.trainLoss
 * ```
 */
export function toRow(r: EpochRecord): Record<(typeof METRIC_COLUMNS)[number], number | null> {
  return {
    epoch: r.epoch,
    step: r.step,
    train_loss: r.trainLoss,
    train_accuracy: r.trainAccuracy,
    val_loss: r.valLoss,
    val_accuracy: r.valAccuracy,
    lr: r.lr,
    seconds: r.seconds,
    images_per_second: r.imagesPerSecond,
  };
}

/**
 * The JSONL text of a history: one object per line.
 *
 * @example
 * ```ts
 * formatJsonl([record]); // '{"epoch":1,"step":422,"train_loss":0.41,...}\n'
 * ```
 */
export function formatJsonl(history: readonly EpochRecord[]): string {
  return history.map((r) => `${JSON.stringify(toRow(r))}\n`).join('');
}

function csvValue(v: number | null): string {
  if (v === null) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
}

/**
 * The CSV text of a history: a header line, then one line per epoch (empty cells where there is
 * no validation set).
 *
 * @example
 * ```ts
 * formatCsv([record]).split('\n')[0]; // 'epoch,step,train_loss,...'
 * ```
 */
export function formatCsv(history: readonly EpochRecord[]): string {
  const lines = [METRIC_COLUMNS.join(',')];
  for (const r of history) {
    const row = toRow(r);
    lines.push(METRIC_COLUMNS.map((c) => csvValue(row[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Rewrites metrics.jsonl and metrics.csv in `dir` from `history`.
 *
 * @example
 * ```ts
 * writeMetrics('outputs/train/simple', history); // metrics.jsonl and metrics.csv
 * ```
 */
export function writeMetrics(dir: string, history: readonly EpochRecord[]): void {
  writeFileAtomic(join(dir, FILES.metricsJsonl), formatJsonl(history));
  writeFileAtomic(join(dir, FILES.metricsCsv), formatCsv(history));
}
