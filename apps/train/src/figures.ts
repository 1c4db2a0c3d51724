/**
 * The run's pictures, drawn with @gd/plot (Vega-Lite → SVG → PNG): loss and accuracy curves,
 * the first layer's learned weights, the confusion matrix and misclassified test digits.
 */
import { join } from 'node:path';
import type { Module } from '@gd/nn';
import { barChart, heatmap, imageGrid, lineChart, writePng } from '@gd/plot';
import type { EpochRecord } from './checkpoint.js';
import { FILES } from './checkpoint.js';
import { CLASS_LABELS } from './config.js';
import type { DigitSplit } from './data.js';
import type { Evaluation } from '@gd/trainer';
import { firstLayerWeights } from './models.js';

/** Inputs of {@link writeRunFigures}. */
export interface RunFigureData {
  title: string;
  history: readonly EpochRecord[];
  lossTrace: readonly (readonly [number, number])[];
  model: Module;
  test: Evaluation;
  testSplit: DigitSplit;
}

/**
 * The loss curves: training loss over stretches of batches and per epoch, validation loss.
 *
 * @example
 * ```ts
 * await writePng(lossSpec({ title: 'simple', history, lossTrace }), 'loss.png');
 * ```
 */
export function lossSpec(data: Pick<RunFigureData, 'title' | 'history' | 'lossTrace'>) {
  const series: Record<string, [number, number][]> = {
    'train (running)': data.lossTrace.map(([x, y]) => [x, y]),
    'train (epoch mean)': data.history.map((r) => [r.epoch, r.trainLoss]),
  };
  const val = data.history.filter((r) => r.valLoss !== null);
  if (val.length > 0) series.validation = val.map((r) => [r.epoch, r.valLoss!]);
  return lineChart({ title: `${data.title}: loss`, x: 'epoch', y: 'cross-entropy loss', series });
}

/**
 * The accuracy curves per epoch (training and validation).
 *
 * @example
 * ```ts
 * await writePng(accuracySpec({ title: 'simple', history }), 'accuracy.png');
 * ```
 */
export function accuracySpec(data: Pick<RunFigureData, 'title' | 'history'>) {
  const series: Record<string, [number, number][]> = {
    train: data.history.map((r) => [r.epoch, r.trainAccuracy]),
  };
  const val = data.history.filter((r) => r.valAccuracy !== null);
  if (val.length > 0) series.validation = val.map((r) => [r.epoch, r.valAccuracy!]);
  return lineChart({ title: `${data.title}: accuracy`, x: 'epoch', y: 'accuracy', series });
}

/**
 * Writes loss.png, accuracy.png, weights.png, confusion-matrix.png and misclassified.png into
 * `dir` and returns their paths.
 *
 * @example
 * ```ts
 * await writeRunFigures('outputs/train/simple', { title: 'simple', history, lossTrace, model, test, testSplit });
 * ```
 */
export async function writeRunFigures(dir: string, data: RunFigureData): Promise<string[]> {
  const written: string[] = [];
  written.push(await writePng(lossSpec(data), join(dir, FILES.lossPng)));
  written.push(await writePng(accuracySpec(data), join(dir, FILES.accuracyPng)));
  const w = firstLayerWeights(data.model, 16);
  written.push(
    await writePng(
      imageGrid({
        title: `${data.title}: learned first-layer weights`,
        images: w.tiles,
        height: w.height,
        width: w.width,
        captions: w.captions,
        columns: w.tiles.length > 16 ? 8 : 5,
        scheme: 'redblue',
        cell: w.height < 10 ? 12 : 4,
      }),
      join(dir, FILES.weightsPng),
    ),
  );
  written.push(await writePng(confusionSpec(data.title, data.test), join(dir, FILES.confusionPng)));
  written.push(
    await writePng(
      misclassifiedSpec(data.title, data.test, data.testSplit),
      join(dir, FILES.misclassifiedPng),
    ),
  );
  return written;
}

/**
 * The confusion matrix heatmap.
 *
 * @example
 * ```ts
 * await writePng(confusionSpec('simple', evaluate(model, test.dataset)), 'confusion-matrix.png');
 * ```
 */
export function confusionSpec(title: string, test: Evaluation) {
  return heatmap({
    title: `${title}: confusion matrix (test, ${(test.accuracy * 100).toFixed(2)}% correct)`,
    matrix: test.confusion,
    rowLabel: 'true class',
    columnLabel: 'predicted class',
    labels: CLASS_LABELS,
  });
}

/**
 * Up to `max` misclassified test digits, captioned with their true and predicted class.
 *
 * @example
 * ```ts
 * await writePng(misclassifiedSpec('simple', evaluation, testSplit), 'misclassified.png');
 * ```
 */
export function misclassifiedSpec(title: string, test: Evaluation, split: DigitSplit, max = 24) {
  const { source } = split;
  const hw = source.height * source.width;
  const images: Uint8Array[] = [];
  const captions: string[] = [];
  for (let i = 0; i < test.total && images.length < max; i++) {
    if (test.predictions[i] === test.labels[i]) continue;
    const k = split.sourceIndex(i);
    images.push(source.images.subarray(k * hw, (k + 1) * hw));
    captions.push(`#${k}: ${test.labels[i]} as ${test.predictions[i]}`);
  }
  if (images.length === 0) {
    // nothing misclassified: an empty grid would not render, so show that as text in a bar chart
    return barChart({
      title: `${title}: no misclassified test digits`,
      bars: { misclassified: 0 },
    });
  }
  return imageGrid({
    title: `${title}: misclassified test digits (true as predicted)`,
    images,
    height: source.height,
    width: source.width,
    captions,
    columns: 8,
    scheme: 'greys',
    cell: 3,
  });
}

/** One model's line in a comparison. */
export interface ComparisonEntry {
  model: string;
  history: readonly EpochRecord[];
  testAccuracy: number;
}

/**
 * The model comparison: test accuracy per model, and validation (or training) accuracy per epoch.
 *
 * @example
 * ```ts
 * await writeComparisonFigures('outputs/train/compare', [{ model: 'simple', history, testAccuracy: 0.97 }]);
 * ```
 */
export async function writeComparisonFigures(
  dir: string,
  entries: readonly ComparisonEntry[],
): Promise<string[]> {
  const bars: Record<string, number> = {};
  for (const e of entries) bars[e.model] = e.testAccuracy;
  const accuracy = await writePng(
    barChart({ title: 'MNIST: test accuracy by model', y: 'test accuracy', bars }),
    join(dir, 'comparison.png'),
  );
  const series: Record<string, [number, number][]> = {};
  const useVal = entries.every((e) => e.history.every((r) => r.valAccuracy !== null));
  for (const e of entries) {
    series[e.model] = e.history.map((r) => [r.epoch, useVal ? r.valAccuracy! : r.trainAccuracy]);
  }
  const curves = await writePng(
    lineChart({
      title: `MNIST: ${useVal ? 'validation' : 'training'} accuracy by epoch`,
      x: 'epoch',
      y: 'accuracy',
      series,
    }),
    join(dir, 'comparison-curves.png'),
  );
  return [accuracy, curves];
}
