/**
 * The models `gd-train` trains: the lecture's three MNIST models from @gd/nn, a residual MLP
 * built from the lecture's `ResNet`, @gd/nn's `MnistCNN`, an LSTM reading each image row by row
 * and a small Vision Transformer on 7x7 patches. Every model takes images `[N, 1, 28, 28]` and
 * returns 10 logits.
 */
import type { Tensor } from '@gd/autograd';
import { zeros } from '@gd/autograd';
import { Conv2d, Flatten, LayerNorm, Linear, Module, Parameter, ReLU } from '@gd/nn';
import * as init from '@gd/nn/init';
import { DeepMnistNN, LogisticRegression, MnistCNN, ResNet, SimpleNN } from '@gd/nn/models';
import { TransformerEncoder, TransformerEncoderLayer } from '@gd/nn/transformer';
import { LSTM } from '@gd/nn/rnn';
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

/**
 * Sequential MNIST: each image as 28 steps of 28 pixels (its rows) through an LSTM with
 * `hiddenSize` units, then a Linear from the last step's output to 10 logits.
 *
 * @example
 * ```ts
 * const model = new MnistLSTM(128);
 * model.call(images).shape; // [N, 10]
 * ```
 */
export class MnistLSTM extends Module {
  readonly lstm: LSTM;
  readonly head: Linear;

  constructor(readonly hiddenSize = 128) {
    super();
    this.lstm = new LSTM(28, hiddenSize, { batchFirst: true });
    this.head = new Linear(hiddenSize, 10);
  }

  forward(x: Tensor): Tensor {
    const [out] = this.lstm.call(x.reshape([-1, 28, 28]));
    return this.head.call(out.select(1, 27));
  }
}

/**
 * A small Vision Transformer: the image cut into 16 patches of 7x7 pixels, each embedded by a
 * 7x7/stride-7 convolution to `dim` features, plus a learned position embedding; `depth`
 * pre-norm transformer encoder layers (GELU, feed-forward 2·dim, dropout 0.1); then LayerNorm,
 * the mean over the patches, and a Linear to 10 logits.
 *
 * @example
 * ```ts
 * const model = new MnistViT(64, 4, 4);
 * model.call(images).shape; // [N, 10]
 * ```
 */
export class MnistViT extends Module {
  readonly patchEmbed: Conv2d;
  readonly posEmbed: Parameter;
  readonly encoder: TransformerEncoder;
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(
    readonly dim = 64,
    readonly depth = 4,
    readonly heads = 4,
  ) {
    super();
    this.patchEmbed = new Conv2d(1, dim, 7, { stride: 7 });
    this.posEmbed = new Parameter(zeros([1, 16, dim]));
    init.normal_(this.posEmbed, 0, 0.02);
    const layer = new TransformerEncoderLayer(dim, heads, {
      dimFeedforward: 2 * dim,
      dropout: 0.1,
      activation: 'gelu',
      batchFirst: true,
      normFirst: true,
    });
    this.encoder = new TransformerEncoder(layer, depth);
    this.norm = new LayerNorm(dim);
    this.head = new Linear(dim, 10);
  }

  forward(x: Tensor): Tensor {
    // [N, 1, 28, 28] -> [N, dim, 4, 4] -> [N, 16, dim]
    const patches = this.patchEmbed.call(x).flatten(2).transpose(1, 2);
    const h = this.encoder.call(patches.add(this.posEmbed));
    return this.head.call(this.norm.call(h).mean(1));
  }
}

/** One line per model for `--help` and the comparison table. */
export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  logistic: "logistic regression, Linear(784, 10) (the lecture's model 1)",
  simple: 'one hidden layer, 784-H-10 with ReLU (model 2)',
  deep: '784-512-256-10 with ReLU and dropout 0.2 (model 3)',
  resnet: 'Linear(784, H), 2 residual blocks of width H, Linear(H, 10)',
  cnn: 'two 3x3 conv layers (32, 64) with max pooling, then 3136-128-10 with dropout 0.25',
  lstm: 'sequential MNIST: 28 rows of 28 pixels through an LSTM of H units, Linear(H, 10)',
  vit: 'Vision Transformer: 16 patches of 7x7, dim 64, 4 pre-norm encoder layers, 4 heads',
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
    case 'lstm':
      return new MnistLSTM(hidden);
    case 'vit':
      return new MnistViT(64, 4, 4);
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
  const entries = model.namedParameters().filter(([name]) => /(weight|weight_ih_l0)$/.test(name));
  const first = entries[0];
  if (!first) throw new Error('the model has no weights');
  const w = first[1];
  const shape = w.shape;
  const data = Float32Array.from(w.value.data as ArrayLike<number>);
  const rows = shape[0]!;
  const per = data.length / rows;
  const isConv = shape.length === 4;
  // A recurrent layer's input weights see one 28-pixel row per step: drawn as 1x28 strips.
  const height = isConv ? shape[2]! : per === 28 * 28 ? 28 : 1;
  const width = isConv ? shape[3]! : per === 28 * 28 ? 28 : per;
  const count = Math.min(rows, model instanceof LogisticRegression ? 10 : isConv ? 32 : maxTiles);
  const tiles: Float32Array[] = [];
  const captions: string[] = [];
  for (let i = 0; i < count; i++) {
    // a conv kernel's first input channel (MNIST has one)
    tiles.push(data.slice(i * per, i * per + height * width));
    captions.push(
      model instanceof LogisticRegression
        ? `class ${i}`
        : isConv
          ? `filter ${i}`
          : height === 1
            ? `gate row ${i}`
            : `unit ${i}`,
    );
  }
  return { tiles, height, width, captions };
}
