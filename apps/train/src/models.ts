/**
 * The models `gd-train` trains: the lecture's three MNIST models from @gd/nn, a residual MLP
 * built from the lecture's `ResNet`, and @gd/nn's `MnistCNN`. Every model takes images
 * `[N, 1, 28, 28]` and returns 10 logits.
 */
import type { Tensor } from '@gd/autograd';
import {
  DeepMnistNN,
  Flatten,
  Linear,
  LogisticRegression,
  MnistCNN,
  Module,
  ReLU,
  ResNet,
  SimpleNN,
} from '@gd/nn';
import type { ModelName } from './config.js';

/**
 * A residual MLP for MNIST: Flatten, Linear(784, hidden), ReLU, the lecture's `ResNet(hidden, 2)`
 * (two blocks `x + Linear(ReLU(Linear(x)))`), Linear(hidden, 10).
 *
 * @example
 * ```ts
 * const model = new MnistResNet(128);
 * model.call(images).shape; // [N, 10]
 * ```
 */
export class MnistResNet extends Module {
  readonly flatten: Flatten;
  readonly stem: Linear;
  readonly activation: ReLU;
  readonly body: ResNet;
  readonly head: Linear;

  constructor(
    readonly hiddenDim = 128,
    readonly nBlocks = 2,
  ) {
    super();
    this.flatten = new Flatten();
    this.stem = new Linear(28 * 28, hiddenDim);
    this.activation = new ReLU();
    this.body = new ResNet(hiddenDim, nBlocks);
    this.head = new Linear(hiddenDim, 10);
  }

  forward(x: Tensor): Tensor {
    const h = this.activation.call(this.stem.call(this.flatten.call(x)));
    return this.head.call(this.body.call(h));
  }
}

/** One line per model for `--help` and the comparison table. */
export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  logistic: "logistic regression, Linear(784, 10) (the lecture's model 1)",
  simple: 'one hidden layer, 784-H-10 with ReLU (model 2)',
  deep: '784-512-256-10 with ReLU and dropout 0.2 (model 3)',
  resnet: 'Linear(784, H), 2 residual blocks of width H, Linear(H, 10)',
  cnn: 'two 3x3 conv layers (32, 64) with max pooling, then 3136-128-10 with dropout 0.25',
};

/**
 * A new model with freshly initialised weights (drawing from the global generator, as its
 * PyTorch definition would).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const model = createModel('simple', 128);
 * ```
 */
export function createModel(name: ModelName, hidden = 128): Module {
  switch (name) {
    case 'logistic':
      return new LogisticRegression();
    case 'simple':
      return new SimpleNN(hidden);
    case 'deep':
      return new DeepMnistNN(0.2);
    case 'resnet':
      return new MnistResNet(hidden, 2);
    case 'cnn':
      return new MnistCNN(0.25);
    default:
      throw new RangeError(`unknown model '${String(name)}'`);
  }
}

/**
 * The weights of the model's first layer, one row per unit/filter, with the tile shape to draw
 * them in: 28x28 templates for the fully connected models (one per class for logistic
 * regression, the first hidden units otherwise), the 3x3 kernels of the first conv layer for the
 * CNN.
 *
 * @example
 * ```ts
 * const { tiles, height, width } = firstLayerWeights(model, 16);
 * ```
 */
export function firstLayerWeights(
  model: Module,
  maxTiles = 16,
): { tiles: Float32Array[]; height: number; width: number; captions: string[] } {
  const entries = model.namedParameters().filter(([name]) => name.endsWith('weight'));
  const first = entries[0];
  if (!first) throw new Error('the model has no weights');
  const w = first[1];
  const shape = w.shape;
  const data = Float32Array.from(w.value.data as ArrayLike<number>);
  const rows = shape[0]!;
  const per = data.length / rows;
  const isConv = shape.length === 4;
  const height = isConv ? shape[2]! : 28;
  const width = isConv ? shape[3]! : 28;
  const count = Math.min(rows, model instanceof LogisticRegression ? 10 : isConv ? 32 : maxTiles);
  const tiles: Float32Array[] = [];
  const captions: string[] = [];
  for (let i = 0; i < count; i++) {
    // a conv kernel's first input channel (MNIST has one)
    tiles.push(data.slice(i * per, i * per + height * width));
    captions.push(
      model instanceof LogisticRegression ? `class ${i}` : isConv ? `filter ${i}` : `unit ${i}`,
    );
  }
  return { tiles, height, width, captions };
}
