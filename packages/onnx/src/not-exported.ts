/** Why some differentiable ops have no row in the op table. */

/**
 * The differentiable ops that have no row, each with the reason; the exporter's error names
 * it. A test keeps this and the table together covering every op autograd records.
 */
export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  // Backward-only: they appear in graphs of gradients (double backward), never in a model.
  avgPool2dBackward: 'it only computes a gradient (export the forward model)',
  maxPool2dBackward: 'it only computes a gradient (export the forward model)',
  embeddingDenseBackward: 'it only computes a gradient (export the forward model)',
  embed: 'it only computes the gradient of an indexing op (export the forward model)',
  // Losses are training objectives: serving runs the model, whose logits they would consume.
  mseLoss: 'a loss is a training objective; export the model without its loss',
  huberLoss: 'a loss is a training objective; export the model without its loss',
  smoothL1Loss: 'a loss is a training objective; export the model without its loss',
  binaryCrossEntropy: 'a loss is a training objective; export the model without its loss',
  binaryCrossEntropyWithLogits: 'a loss is a training objective; export the model without its loss',
  softmaxCrossEntropy: 'a loss is a training objective; export the model without its loss',
  // In-place writes and gathers whose ONNX forms (ScatterND, GatherND) are not written yet.
  index: 'advanced indexing (GatherND) is not mapped yet; use indexSelect or gather',
  indexPut: 'indexPut writes in place (ScatterND) and is not mapped yet',
  scatter: 'scatter (ScatterElements) is not mapped yet',
  scatterAdd: "scatterAdd (ScatterElements with reduction='add') is not mapped yet",
  region: 'it writes a region of a tensor in place, which ONNX graphs cannot express',
  alias: 'an aliasing view made by in-place ops on views, which ONNX graphs cannot express',
  // Mapped only as part of a pattern.
  unfold: 'it is exported only inside the convolution pattern reshape(matmul(W, unfold(x)))',
  fold: 'it is exported only as the gradient of unfold (export the forward model)',
  normP: 'p-norms other than 2 (ReduceL2) are not mapped yet',
  cumprod:
    'ONNX has no CumProd (only CumSum), and exp(cumsum(log x)) fails for zeros and negative values',
  atan2:
    'ONNX has no atan2, and Atan of a quotient loses the quadrant and signed-zero rules torch.atan2 keeps',
};
