/**
 * Evaluation of a classifier: mean loss, accuracy, the confusion matrix and every prediction,
 * in eval mode and without building a graph.
 */
import type { Tensor } from '@gd/autograd';
import { noGrad } from '@gd/autograd';
import type { Dataset } from '@gd/datasets';
import { DataLoader } from '@gd/datasets';
import type { Module } from '@gd/nn';
import { F } from '@gd/nn';

/** What {@link evaluate} measured. */
export interface Evaluation {
  /** Mean loss per sample (cross-entropy unless `lossFn` says otherwise). */
  loss: number;
  /** correct / total, from 0 to 1. */
  accuracy: number;
  /** Samples whose argmax prediction is the target. */
  correct: number;
  /** Samples evaluated. */
  total: number;
  /** counts[true][predicted]; as many classes as the model has outputs. */
  confusion: number[][];
  /** The predicted class of each sample, in data order. */
  predictions: Int32Array;
  /** The true class of each sample. */
  labels: Int32Array;
}

/** What {@link evaluate} takes: batches of `[input, classIndex]`, or a data set of samples. */
export type EvalData = Iterable<readonly [Tensor, Tensor]> | Dataset<readonly unknown[]>;

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Samples per batch when `data` is a data set (default 1000). */
  batchSize?: number;
  /**
   * The loss of a batch, summed over its samples (default: cross-entropy with
   * `reduction: 'sum'`).
   */
  lossFn?: (output: Tensor, target: Tensor) => Tensor;
}

function isDataset(data: EvalData): data is Dataset<readonly unknown[]> {
  return typeof (data as { get?: unknown }).get === 'function';
}

function batchesOf(data: EvalData, batchSize: number): Iterable<readonly [Tensor, Tensor]> {
  if (!isDataset(data)) return data;
  return new DataLoader(data, { batchSize }) as unknown as Iterable<[Tensor, Tensor]>;
}

/** Counts of one evaluation, grown batch by batch. */
class Tally {
  lossSum = 0;
  correct = 0;
  readonly predictions: number[] = [];
  readonly labels: number[] = [];
  confusion: number[][] = [];

  add(logits: Tensor, y: Tensor): void {
    const classes = logits.shape[1] ?? 1;
    while (this.confusion.length < classes) this.confusion.push(new Array<number>(classes).fill(0));
    const pred = logits.argmax(1).value.data;
    const truth = y.value.data;
    for (let i = 0; i < pred.length; i++) {
      const p = Number(pred[i]);
      const t = Number(truth[i]);
      this.predictions.push(p);
      this.labels.push(t);
      if (p === t) this.correct++;
      const row = this.confusion[t];
      if (row && p >= 0 && p < classes) row[p]! += 1;
    }
  }
}

/**
 * Runs a classifier over `data` in batches (eval mode, no grad) and measures the mean loss, the
 * accuracy and the confusion matrix. The model's training mode is restored afterwards.
 *
 * @example
 * ```ts
 * const { accuracy, confusion } = evaluate(model, testLoader);
 * console.log(`test accuracy ${(accuracy * 100).toFixed(2)}%`);
 * ```
 */
export function evaluate(model: Module, data: EvalData, options: EvaluateOptions = {}): Evaluation {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError(`evaluate(): batchSize must be a positive integer, got ${batchSize}`);
  const lossFn =
    options.lossFn ?? ((out: Tensor, y: Tensor) => F.crossEntropy(out, y, { reduction: 'sum' }));
  const wasTraining = model.training;
  const tally = new Tally();
  model.eval();
  try {
    noGrad(() => {
      for (const [x, y] of batchesOf(data, batchSize)) {
        const logits = model.call(x);
        tally.lossSum += lossFn(logits, y).item();
        tally.add(logits, y);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  const n = tally.predictions.length;
  return {
    loss: n > 0 ? tally.lossSum / n : NaN,
    accuracy: n > 0 ? tally.correct / n : NaN,
    correct: tally.correct,
    total: n,
    confusion: tally.confusion,
    predictions: Int32Array.from(tally.predictions),
    labels: Int32Array.from(tally.labels),
  };
}
