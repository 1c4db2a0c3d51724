/**
 * ONNX export of trained models through @gd/onnx: one input `input` float32 `[batch, 1, 28, 28]`
 * (pixels / 255, normalised with the MNIST mean and std), one output `logits` `[batch, 10]`, and
 * metadata that lets a server preprocess and label without knowing the training code.
 */
import { zeros } from '@gd/autograd';
import type { Module } from '@gd/nn';
import type { TritonRepositoryFiles } from '@gd/onnx';
import { exportOnnx, saveOnnx, writeTritonRepository } from '@gd/onnx';
import { CLASS_LABELS, MNIST_MEAN, MNIST_STD } from './config.js';

/** The input and output names of exported models. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'logits';

/**
 * The metadata props of an exported model: normalisation (`normalize.mean` / `normalize.std` as
 * JSON arrays), class `labels` (JSON array of strings), the input layout, and `training` (a JSON
 * summary of how the model was trained).
 *
 * @example
 * ```ts
 * onnxMetadata('simple', { epochs: 5, testAccuracy: 0.97 })['normalize.mean']; // '[0.1307]'
 * ```
 */
export function onnxMetadata(
  modelName: string,
  training: Record<string, unknown>,
): Record<string, string> {
  return {
    'normalize.mean': JSON.stringify([MNIST_MEAN]),
    'normalize.std': JSON.stringify([MNIST_STD]),
    labels: JSON.stringify(CLASS_LABELS),
    input_layout:
      'float32 [batch, 1, 28, 28]: grey pixels / 255, then (x - mean) / std; white digit on black',
    output: 'logits [batch, 10]: unnormalised class scores (softmax gives probabilities)',
    model: modelName,
    training: JSON.stringify(training),
  };
}

/**
 * The ONNX bytes of `model` (traced in eval mode with a batch of one, dynamic batch dim).
 *
 * @example
 * ```ts
 * const bytes = modelToOnnx(model, onnxMetadata('simple', {}));
 * ```
 */
export function modelToOnnx(
  model: Module,
  metadata: Record<string, string>,
  opset = 17,
): Uint8Array {
  const wasTraining = model.training;
  try {
    return exportOnnx(model, zeros([1, 1, 28, 28]), {
      opset,
      inputNames: [INPUT_NAME],
      outputNames: [OUTPUT_NAME],
      dynamicBatch: true,
      metadata,
    });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Writes `bytes` as a single ONNX file (atomically).
 *
 * @example
 * ```ts
 * writeOnnxFile(modelToOnnx(model, metadata), 'outputs/train/simple/model.onnx');
 * ```
 */
export function writeOnnxFile(bytes: Uint8Array, path: string): void {
  saveOnnx(bytes, path);
}

/**
 * Writes a Triton / KServe model repository: `<dir>/<name>/config.pbtxt` (onnxruntime backend,
 * dynamic batching up to `maxBatch`) and `<dir>/<name>/1/model.onnx`.
 *
 * @example
 * ```ts
 * writeTriton(bytes, 'model_repository', 'mnist', 64); // model_repository/mnist/config.pbtxt, .../1/model.onnx
 * ```
 */
export function writeTriton(
  bytes: Uint8Array,
  dir: string,
  name: string,
  maxBatch: number,
): TritonRepositoryFiles {
  return writeTritonRepository(bytes, dir, { name, maxBatch });
}
