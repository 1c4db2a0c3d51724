/**
 * Evaluation: loss, accuracy, the confusion matrix and the misclassified samples of a model on a
 * data set (in eval mode, without building a graph).
 */
import type { Tensor } from '@gd/autograd';
import { noGrad } from '@gd/autograd';
import { DataLoader } from '@gd/datasets';
import type { Module } from '@gd/nn';
import { F } from '@gd/nn';
import type { DigitDataset } from './data.js';

/** What {@link evaluate} measured. */
export interface Evaluation {
  /** Mean cross-entropy loss. */
  loss: number;
  accuracy: number;
  correct: number;
  total: number;
  /** counts[true][predicted]. */
  confusion: number[][];
  /** The predicted class of each sample, in data set order. */
  predictions: Int32Array;
  /** The true class of each sample. */
  labels: Int32Array;
}

/**
 * Runs `model` over `dataset` in batches (eval mode, no grad) and measures the mean
 * cross-entropy loss, the accuracy and the 10x10 confusion matrix. The model's training mode is
 * restored afterwards.
 *
 * @example
 * ```ts
 * const { accuracy, confusion } = evaluate(model, test.dataset);
 * ```
 */
export function evaluate(model: Module, dataset: DigitDataset, batchSize = 1000): Evaluation {
  const wasTraining = model.training;
  model.eval();
  const n = dataset.length;
  const predictions = new Int32Array(n);
  const labels = new Int32Array(n);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let lossSum = 0;
  let correct = 0;
  let offset = 0;
  try {
    const loader = new DataLoader(dataset, { batchSize });
    noGrad(() => {
      for (const [x, y] of loader as Iterable<[Tensor, Tensor]>) {
        const logits = model.call(x);
        lossSum += F.crossEntropy(logits, y, { reduction: 'sum' }).item();
        const pred = logits.argmax(1).value.data;
        const truth = y.value.data;
        for (let i = 0; i < pred.length; i++) {
          const p = Number(pred[i]);
          const t = Number(truth[i]);
          predictions[offset + i] = p;
          labels[offset + i] = t;
          if (p === t) correct++;
          const row = confusion[t];
          if (row && p >= 0 && p < 10) row[p]! += 1;
        }
        offset += pred.length;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return {
    loss: n > 0 ? lossSum / n : NaN,
    accuracy: n > 0 ? correct / n : NaN,
    correct,
    total: n,
    confusion,
    predictions,
    labels,
  };
}

/**
 * The confusion matrix as aligned text: rows are true classes, columns predictions.
 *
 * @example
 * ```ts
 * console.log(formatConfusion(evaluation.confusion));
 * ```
 */
export function formatConfusion(confusion: readonly (readonly number[])[]): string {
  const width = Math.max(4, ...confusion.flat().map((v) => String(v).length + 1));
  const pad = (s: string) => s.padStart(width);
  const lines = [`${'true\\pred'.padEnd(10)}${confusion.map((_, i) => pad(String(i))).join('')}`];
  confusion.forEach((row, i) => {
    lines.push(`${String(i).padEnd(10)}${row.map((v) => pad(String(v))).join('')}`);
  });
  return lines.join('\n');
}

/**
 * Formats a fraction as a percentage with two decimals.
 *
 * @example
 * ```ts
 * percent(0.97512); // '97.51%'
 * ```
 */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
