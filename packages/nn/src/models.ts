/**
 * The lecture's models, ready to use ("Neural Network Architectures" and the MNIST case study),
 * plus a small convolutional network for MNIST. Each is built in the same order as its PyTorch
 * definition, so after the same `manualSeed` it starts from the same weights as PyTorch's.
 * An entry point of its own, `@gd/nn/models` (as torchvision's models are apart from
 * `torch.nn`), so that a page that builds its own model does not load them.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from '@gd/autograd';
 * import { SimpleNN } from '@gd/nn/models';
 *
 * manualSeed(0);
 * const model = new SimpleNN(128);
 * console.log(model.call(randn([2, 784])).shape); // [2, 10]
 * ```
 *
 * @packageDocumentation
 */
import type { DType, Tensor } from '@gd/autograd';
import { Dropout, Flatten, ReLU } from './activation.js';
import { ModuleList, Sequential } from './container.js';
import { Conv2d } from './conv.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { MaxPool2d } from './pooling.js';

/**
 * Options shared by the models.
 *
 * @example
 * ```ts
 * new ResNet(16, 2, { dtype: 'float64' });
 * ```
 */
export interface ModelOptions {
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

function layerOptions(options: ModelOptions): { dtype?: DType } {
  return options.dtype ? { dtype: options.dtype } : {};
}

/**
 * Multinomial logistic regression on 28×28 images: flatten to 784, one Linear to 10 logits
 * (the lecture's "Model 1", about 92% on MNIST).
 *
 * @example
 * ```ts
 * const model = new LogisticRegression();
 * model.call(images).shape; // images [N, 1, 28, 28] -> [N, 10]
 * ```
 */
export class LogisticRegression extends Module {
  /** The one layer, Linear(784, 10), on the flattened image. */
  readonly linear: Linear;

  constructor(options: ModelOptions = {}) {
    super();
    this.linear = new Linear(28 * 28, 10, true, layerOptions(options));
  }

  forward(x: Tensor): Tensor {
    return this.linear.call(x.view(-1, 28 * 28));
  }
}

/**
 * One hidden layer: Flatten, Linear(784, hiddenDim), ReLU, Linear(hiddenDim, 10) (the
 * lecture's "Model 2", about 96% on MNIST).
 *
 * @example
 * ```ts
 * const model = new SimpleNN(128); // 101,770 parameters
 * ```
 */
export class SimpleNN extends Module {
  /** Turns [N, 1, 28, 28] into [N, 784]. */
  readonly flatten: Flatten;
  /** Linear(784, hiddenDim). */
  readonly fc1: Linear;
  /** Linear(hiddenDim, 10). */
  readonly fc2: Linear;
  /** The ReLU between the two layers. */
  readonly activation: ReLU;

  constructor(
    /** Units in the hidden layer (default 128). */
    readonly hiddenDim = 128,
    options: ModelOptions = {},
  ) {
    super();
    this.flatten = new Flatten();
    this.fc1 = new Linear(28 * 28, hiddenDim, true, layerOptions(options));
    this.fc2 = new Linear(hiddenDim, 10, true, layerOptions(options));
    this.activation = new ReLU();
  }

  forward(x: Tensor): Tensor {
    x = this.flatten.call(x);
    x = this.activation.call(this.fc1.call(x));
    return this.fc2.call(x);
  }
}

/**
 * A stack of Linear layers with ReLU between them (none after the last), widths given by
 * `layerDims` (the lecture's deep network).
 *
 * @example
 * ```ts
 * const model = new DeepNN([784, 512, 256, 128, 10]);
 * model.layers.length; // 4
 * ```
 */
export class DeepNN extends Module {
  /** One Linear per pair of consecutive `layerDims`. */
  readonly layers: ModuleList<Linear>;
  /** The ReLU after every layer but the last. */
  readonly activation: ReLU;

  constructor(
    /** Widths from input to output: [784, 512, 10] makes two layers. */
    readonly layerDims: readonly number[],
    options: ModelOptions = {},
  ) {
    super();
    if (layerDims.length < 2)
      throw new RangeError(
        `DeepNN: layerDims needs at least 2 sizes (input and output), got [${layerDims.join(', ')}]`,
      );
    this.layers = new ModuleList<Linear>();
    for (let i = 0; i < layerDims.length - 1; i++)
      this.layers.append(new Linear(layerDims[i]!, layerDims[i + 1]!, true, layerOptions(options)));
    this.activation = new ReLU();
  }

  forward(x: Tensor): Tensor {
    for (const layer of this.layers.slice(0, -1)) x = this.activation.call(layer.call(x));
    return this.layers.at(-1).call(x); // no activation on the final layer
  }
}

/**
 * The lecture's MNIST "Model 3": Flatten, then Linear(784, 512), ReLU, Dropout(0.2),
 * Linear(512, 256), ReLU, Dropout(0.2), Linear(256, 10) (about 98% on MNIST).
 *
 * @example
 * ```ts
 * const model = new DeepMnistNN(); // 535,818 parameters
 * model.eval(); // turn dropout off for evaluation
 * ```
 */
export class DeepMnistNN extends Module {
  /** Turns [N, 1, 28, 28] into [N, 784]. */
  readonly flatten: Flatten;
  /** The Linear, ReLU and Dropout stack. */
  readonly layers: Sequential;

  constructor(
    /** Dropout probability after each hidden layer (default 0.2). */
    readonly dropout = 0.2,
    options: ModelOptions = {},
  ) {
    super();
    const o = layerOptions(options);
    this.flatten = new Flatten();
    this.layers = new Sequential(
      new Linear(28 * 28, 512, true, o),
      new ReLU(),
      new Dropout(dropout),
      new Linear(512, 256, true, o),
      new ReLU(),
      new Dropout(dropout),
      new Linear(256, 10, true, o),
    );
  }

  forward(x: Tensor): Tensor {
    return this.layers.call(this.flatten.call(x));
  }
}

/**
 * x + Linear(ReLU(Linear(x))): a fully connected residual block (the skip connection lets
 * gradients flow through deep stacks).
 *
 * @example
 * ```ts
 * new ResidualBlock(64).call(randn([8, 64])).shape; // [8, 64]
 * ```
 */
export class ResidualBlock extends Module {
  /** The first Linear(dim, dim). */
  readonly layer1: Linear;
  /** The second Linear(dim, dim), added to the input. */
  readonly layer2: Linear;
  /** The ReLU between the two layers. */
  readonly activation: ReLU;

  constructor(
    /** Width of the input, the hidden layer and the output. */
    readonly dim: number,
    options: ModelOptions = {},
  ) {
    super();
    this.layer1 = new Linear(dim, dim, true, layerOptions(options));
    this.layer2 = new Linear(dim, dim, true, layerOptions(options));
    this.activation = new ReLU();
  }

  forward(x: Tensor): Tensor {
    const h = this.activation.call(this.layer1.call(x));
    return x.add(this.layer2.call(h)); // skip connection
  }
}

/**
 * `nBlocks` residual blocks of width `inputDim` in a row (the lecture's MLP ResNet).
 *
 * @example
 * ```ts
 * const model = new ResNet(64, 3);
 * model.call(randn([8, 64])).shape; // [8, 64]
 * ```
 */
export class ResNet extends Module {
  /** The residual blocks, applied in order. */
  readonly blocks: ModuleList<ResidualBlock>;

  constructor(
    /** Width of every block (and of the input and output). */
    readonly inputDim: number,
    /** Number of residual blocks. */
    readonly nBlocks: number,
    options: ModelOptions = {},
  ) {
    super();
    this.blocks = new ModuleList(
      Array.from({ length: nBlocks }, () => new ResidualBlock(inputDim, options)),
    );
  }

  forward(x: Tensor): Tensor {
    for (const block of this.blocks) x = block.call(x);
    return x;
  }
}

/**
 * A small convolutional network for 28×28 digits, the standard two-conv design (as in PyTorch's
 * MNIST example):
 *
 * ```
 * features:   Conv2d(1, 32, 3, padding 1) → ReLU → MaxPool2d(2)     [N, 32, 14, 14]
 *             Conv2d(32, 64, 3, padding 1) → ReLU → MaxPool2d(2)    [N, 64, 7, 7]
 * classifier: Flatten → Linear(3136, 128) → ReLU → Dropout(0.25) → Linear(128, 10)
 * ```
 *
 * 421,642 parameters. This design is the usual choice for reaching 99% or more test accuracy on
 * MNIST within a few epochs (Adam, lr 1e-3, batch 64, inputs normalised with mean 0.1307 and
 * std 0.3081); the training app measures it.
 *
 * @example
 * ```ts
 * const model = new MnistCNN();
 * model.call(images).shape; // images [N, 1, 28, 28] -> [N, 10] logits
 * ```
 */
export class MnistCNN extends Module {
  /** The two conv, ReLU and max-pool stages: [N, 1, 28, 28] -> [N, 64, 7, 7]. */
  readonly features: Sequential;
  /** Flatten, Linear(3136, 128), ReLU, Dropout, Linear(128, 10). */
  readonly classifier: Sequential;

  constructor(
    /** Dropout probability before the last layer (default 0.25). */
    readonly dropout = 0.25,
    options: ModelOptions = {},
  ) {
    super();
    const o = layerOptions(options);
    this.features = new Sequential(
      new Conv2d(1, 32, 3, { padding: 1, ...o }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(32, 64, 3, { padding: 1, ...o }),
      new ReLU(),
      new MaxPool2d(2),
    );
    this.classifier = new Sequential(
      new Flatten(),
      new Linear(64 * 7 * 7, 128, true, o),
      new ReLU(),
      new Dropout(dropout),
      new Linear(128, 10, true, o),
    );
  }

  forward(x: Tensor): Tensor {
    return this.classifier.call(this.features.call(x));
  }
}
