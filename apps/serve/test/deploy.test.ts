/**
 * The scale-out files, checked offline: the Kubernetes manifests against the Kubernetes API
 * schemas (kubernetes-models), the KServe ServingRuntime and InferenceService against the
 * fields KServe requires, the Dockerfile with dockerfile-utils' linter, and every gd-serve
 * flag, probe path and metric they name against the real CLI and server.
 * (No Docker engine or cluster runs here: see the README for what was and was not run.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Service } from 'kubernetes-models/v1/Service';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MODEL_CONTROLS, ServeCore } from '../src/index.js';
import { PACKAGE_DIR } from '../src/runtime.js';
import { mnistModelFile } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = join(PACKAGE_DIR, 'deploy');

/** Every YAML document under deploy/, by kind. */
function manifests(): Map<string, Obj> {
  const byKind = new Map<string, Obj>();
  for (const sub of ['kubernetes', 'kserve']) {
    for (const f of readdirSync(join(DEPLOY, sub)).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(DEPLOY, sub, f), 'utf8'))) {
        if (doc.errors.length) throw new Error(`${sub}/${f}: ${doc.errors[0]!.message}`);
        const obj = doc.toJS() as Obj;
        byKind.set(obj.kind as string, obj);
      }
    }
  }
  return byKind;
}

let help: string;
let metricsText: string;
beforeAll(async () => {
  help = execFileSync(process.execPath, [join(PACKAGE_DIR, 'dist', 'cli.js'), '--help'], {
    encoding: 'utf8',
  });
  const core = new ServeCore({
    model: await mnistModelFile(),
    eps: ['cpu'],
    allowFallback: false,
    workers: 1,
    maxBatch: 64,
    maxDelayMs: 0,
    maxQueue: 8,
    log: () => {},
  });
  metricsText = core.registry.render();
});

/** Checks that every `--flag` in an argument list is one of gd-serve's, with a valid value. */
function expectCliFlags(args: string[]): void {
  const flags = args.filter((a) => a.startsWith('--'));
  expect(flags.length).toBeGreaterThan(0);
  for (const f of flags) expect(help, `gd-serve has no flag ${f}`).toContain(`${f} `);
  const mc = args.indexOf('--model-control');
  if (mc >= 0) expect(MODEL_CONTROLS).toContain(args[mc + 1]);
}

describe('Kubernetes manifests', () => {
  it('are valid Deployment, Service and HorizontalPodAutoscaler objects', () => {
    const m = manifests();
    expect(() => new Deployment(m.get('Deployment') as never).validate()).not.toThrow();
    expect(() => new Service(m.get('Service') as never).validate()).not.toThrow();
    expect(() =>
      new HorizontalPodAutoscaler(m.get('HorizontalPodAutoscaler') as never).validate(),
    ).not.toThrow();
  });

  it('the schema check is real: a broken Deployment fails it', () => {
    const d = structuredClone(manifests().get('Deployment')!);
    d.spec.template.spec.containers[0].ports[0].containerPort = 'eight thousand';
    expect(() => new Deployment(d as never).validate()).toThrow(/containerPort must be integer/);
  });

  it('probe the health endpoints, run as non-root and pass only flags gd-serve has', () => {
    const d = manifests().get('Deployment')!;
    const c = d.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/v2/health/live');
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
    expectCliFlags(c.args as string[]);
  });

  it('route the Service to the container ports and scale on a metric gd-serve exports', () => {
    const m = manifests();
    const ports = (m.get('Deployment')!.spec.template.spec.containers[0].ports as Obj[]).map(
      (p) => p.name,
    );
    for (const p of m.get('Service')!.spec.ports as Obj[]) expect(ports).toContain(p.targetPort);
    const hpa = m.get('HorizontalPodAutoscaler')!;
    expect(hpa.spec.scaleTargetRef.name).toBe(m.get('Deployment')!.metadata.name);
    const metric = hpa.spec.metrics[0].pods.metric.name as string;
    expect(metricsText).toContain(`# TYPE ${metric} gauge`);
  });
});

describe('KServe ServingRuntime and InferenceService', () => {
  const ajv = new Ajv({ allErrors: true });
  const container = {
    type: 'object',
    required: ['name', 'image'],
    properties: {
      name: { type: 'string' },
      image: { type: 'string', minLength: 1 },
      args: { type: 'array', items: { type: 'string' } },
      ports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['containerPort'],
          properties: { containerPort: { type: 'integer' } },
        },
      },
    },
  };
  const servingRuntime = ajv.compile({
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'serving.kserve.io/v1alpha1' },
      kind: { const: 'ServingRuntime' },
      metadata: { type: 'object', required: ['name'] },
      spec: {
        type: 'object',
        required: ['containers', 'supportedModelFormats'],
        properties: {
          containers: { type: 'array', minItems: 1, items: container },
          supportedModelFormats: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['name'] },
          },
          protocolVersions: { type: 'array', items: { enum: ['v1', 'v2', 'grpc-v1', 'grpc-v2'] } },
        },
      },
    },
  });
  const inferenceService = ajv.compile({
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'serving.kserve.io/v1beta1' },
      kind: { const: 'InferenceService' },
      metadata: { type: 'object', required: ['name'] },
      spec: {
        type: 'object',
        required: ['predictor'],
        properties: {
          predictor: {
            type: 'object',
            required: ['model'],
            properties: {
              model: {
                type: 'object',
                required: ['modelFormat', 'storageUri'],
                properties: {
                  modelFormat: { type: 'object', required: ['name'] },
                  runtime: { type: 'string' },
                  protocolVersion: { enum: ['v1', 'v2', 'grpc-v2'] },
                  storageUri: { type: 'string', pattern: '^[a-z0-9]+://' },
                },
              },
            },
          },
        },
      },
    },
  });

  it('have the fields KServe requires', () => {
    const m = manifests();
    expect(servingRuntime(m.get('ServingRuntime')), ajv.errorsText(servingRuntime.errors)).toBe(
      true,
    );
    expect(
      inferenceService(m.get('InferenceService')),
      ajv.errorsText(inferenceService.errors),
    ).toBe(true);
    expect(servingRuntime({ ...m.get('ServingRuntime'), spec: {} })).toBe(false);
  });

  it('fit together and run gd-serve with its own flags on the port KServe expects', () => {
    const m = manifests();
    const rt = m.get('ServingRuntime')!;
    const model = m.get('InferenceService')!.spec.predictor.model;
    expect(model.runtime).toBe(rt.metadata.name);
    expect((rt.spec.supportedModelFormats as Obj[]).map((f) => f.name)).toContain(
      model.modelFormat.name,
    );
    expect(rt.spec.protocolVersions).toContain(model.protocolVersion);
    const c = rt.spec.containers[0];
    expect(c.name).toBe('kserve-container');
    const args = c.args as string[];
    expectCliFlags(args);
    expect(args[args.indexOf('--port') + 1]).toBe(String(c.ports[0].containerPort));
    expect(args[args.indexOf('--model') + 1]).toBe('/mnt/models');
    expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(PACKAGE_DIR, 'Dockerfile'), 'utf8');

  it('passes the dockerfile-utils linter', () => {
    expect(lintDockerfile(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    // The linter is real: a broken file fails it.
    expect(lintDockerfile('FROM node\nEXPOSE eighty\n').length).toBeGreaterThan(0);
  });

  it('is multi-stage, production dependencies only, non-root, with a health check on /v2/health/*', () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/deploy --prod/);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/v2\/health\/(ready|live)/m);
    const entry = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(text)![1]!) as string[];
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]!) as string[];
    expect(entry.slice(0, 2)).toEqual(['node', 'dist/cli.js']);
    expectCliFlags([...entry.slice(2), ...cmd]);
  });
});
