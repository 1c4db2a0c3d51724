/**
 * Lecture section "Neural Network Architectures": the feedforward network, the deep network, the
 * residual block (and the graph autograd records for its skip connection), the activation
 * functions, and the parameter counts of the four width choices.
 */
import { linspace, manualSeed, noGrad, randn, tensor } from '@gd/autograd';
import { renderSvg } from '@gd/autograd/graph';
import type { Tensor } from '@gd/autograd';
import { GELU, Linear, Module, ReLU, Sigmoid, Tanh } from '@gd/nn';
import { DeepNN, ResNet, ResidualBlock } from '@gd/nn/models';
import { lineChart } from '@gd/plot';
import type { Spec } from '@gd/plot';
import type { SectionContext } from './common.js';
import { COLORS, fixed, inOrder, thousands, titledSvg, values } from './common.js';

/** The lecture's first network, `SimpleNN(input_dim, hidden_dim, output_dim)`. */
class SimpleNN extends Module {
  readonly layer1: Linear;
  readonly layer2: Linear;
  readonly activation: ReLU;

  constructor(inputDim: number, hiddenDim: number, outputDim: number) {
    super();
    this.layer1 = new Linear(inputDim, hiddenDim);
    this.layer2 = new Linear(hiddenDim, outputDim);
    this.activation = new ReLU();
  }

  forward(x: Tensor): Tensor {
    const h = this.activation.call(this.layer1.call(x));
    return this.layer2.call(h);
  }
}

/** `sum(p.numel() for p in model.parameters())`. */
function countParameters(model: Module): number {
  return model.parameters().reduce((n, p) => n + p.numel(), 0);
}

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/05-architectures'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  const { log } = ctx;
  manualSeed(0);

  log('Feedforward: SimpleNN(784, 128, 10)');
  const simple = new SimpleNN(784, 128, 10);
  log(simple.toString());
  const batch = randn([64, 784]);
  const out = noGrad(() => simple.call(batch));
  log(
    `  ${thousands(countParameters(simple))} parameters; input [${batch.shape.join(', ')}] -> output [${out.shape.join(', ')}]`,
  );

  log('');
  log('Deep: DeepNN([784, 512, 256, 128, 10])');
  const deep = new DeepNN([784, 512, 256, 128, 10]);
  log(
    `  ${deep.layers.length} Linear layers, ReLU between them and none after the last; ${thousands(countParameters(deep))} parameters`,
  );

  log('');
  log('Residual: ResNet(64, 3), each block x + layer2(relu(layer1(x)))');
  const resnet = new ResNet(64, 3);
  const r = randn([8, 64]);
  log(
    `  ${resnet.blocks.length} blocks, ${thousands(countParameters(resnet))} parameters; input [8, 64] -> output [${noGrad(() => resnet.call(r)).shape.join(', ')}]`,
  );
  // The skip connection in the graph: AddBackward0 sends the gradient both to x and through the block.
  const block = new ResidualBlock(4);
  const x = randn([2, 4], { requiresGrad: true });
  const y = block.call(x);
  const svg = await renderSvg(y, {
    names: {
      x,
      'block(x)': y,
      'layer1.weight': block.layer1.weight,
      'layer1.bias': block.layer1.bias!,
      'layer2.weight': block.layer2.weight,
      'layer2.bias': block.layer2.bias!,
    },
    showSaved: false,
  });
  ctx.svgFigure(
    'resnet_block_graph.png',
    titledSvg(
      svg,
      'A residual block in the graph: x + layer2(relu(layer1(x)))',
      'the top AddBackward0 sends the gradient straight to x (the skip) and through the layers',
    ),
  );
  y.sum().backward();
  log(
    `  block output ${y.gradFn!.name}: the gradient reaches x directly and through the layers (x.grad [${x.grad!.shape.join(', ')}])`,
  );

  log('');
  log('Activation functions on linspace(-2, 2, 100):');
  const xs = linspace(-2, 2, 100);
  const activations: Record<string, Module> = {
    ReLU: new ReLU(),
    Tanh: new Tanh(),
    Sigmoid: new Sigmoid(),
    GELU: new GELU(),
  };
  const probe = tensor([-2, -1, 0, 1, 2]);
  log(
    `  ${'x'.padEnd(8)}${values(probe)
      .map((v) => fixed(v, 1).padStart(8))
      .join('')}`,
  );
  const series: Record<string, [number, number][]> = {};
  for (const [name, fn] of Object.entries(activations)) {
    const ys = values(fn.call(xs));
    series[name] = values(xs).map((v, i) => [v, ys[i]!]);
    log(
      `  ${name.padEnd(8)}${values(fn.call(probe))
        .map((v) => fixed(v, 4).padStart(8))
        .join('')}`,
    );
  }
  const activationSpec = lineChart({
    title: 'Activation Functions',
    x: 'x',
    y: 'activation(x)',
    series,
    width: 620,
    height: 300,
  });
  await ctx.figure('activations.png', inOrder(activationSpec, Object.keys(series)));

  log('');
  log('Choosing architecture components: parameters of four widths');
  const models: Record<string, DeepNN> = {
    narrow: new DeepNN([784, 100, 100, 10]),
    wide: new DeepNN([784, 1000, 1000, 10]),
    pyramid: new DeepNN([784, 1000, 100, 10]),
    diamond: new DeepNN([784, 100, 1000, 10]),
  };
  const counts: { label: string; n: number }[] = [];
  for (const [name, model] of Object.entries(models)) {
    const nParams = countParameters(model);
    counts.push({ label: `${name} [${model.layerDims.join('-')}]`, n: nParams });
    log(`${name}: ${thousands(nParams)} parameters`);
  }
  await ctx.figure('parameter_counts.png', {
    title: 'Parameters of DeepNN for four layer-width choices',
    width: 520,
    height: 280,
    data: { values: counts },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        sort: null,
        title: null,
        // Two-line labels: the name, then the widths.
        axis: { labelAngle: 0, labelExpr: "split(datum.label, ' ')", labelFontSize: 12 },
      },
      y: {
        field: 'n',
        type: 'quantitative',
        title: 'parameters',
        axis: { format: ',.0f' },
        scale: { domain: [0, 2_000_000] }, // room for the count above the widest
      },
    },
    layer: [
      { mark: { type: 'bar', color: COLORS[0], width: { band: 0.6 } } },
      {
        mark: { type: 'text', dy: -8, fontSize: 12 },
        encoding: { text: { field: 'n', type: 'quantitative', format: ',' } },
      },
    ],
  } as Spec);
}
