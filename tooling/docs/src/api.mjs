// The API reference: TypeDoc over every published package (each packages/* whose package.json
// is not private), one entry point per subpath of its `exports`, merged into one site in
// docs/api/. Any warning fails the build, an undocumented export included.
//
//   node tooling/docs/src/api.mjs          build docs/api/
//   node tooling/docs/src/api.mjs --serve  build, then serve it on 127.0.0.1 (PORT, default 8080)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_UNARY_OPS, UNARY_REGISTRY } from '@gd/tensor';
import { UNARY_OP_INFO } from '@gd/tensor/op-info';
import { Application, Comment, Converter, LogLevel, ReflectionKind } from 'typedoc';
import { serveStatic } from './serve.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = join(ROOT, 'docs/api');

/**
 * Types that exported signatures mention but that are not exported themselves (helpers of
 * mapped types, internal records). TypeDoc would warn that they are missing from the reference;
 * listing them here says that is intended. A new one fails the build until it is exported or
 * listed.
 */
const INTENTIONALLY_NOT_EXPORTED = {
  '@gd/tensor': [
    'BasicSpec',
    'BinaryDTypeRule',
    'BinaryOpDef',
    'CpuCapability',
    'FormatTensorOptions',
    'Named',
    'NumberHelpers',
    'ParamsOf',
    'Positional',
    'PrintProfile',
    'ResolvedPrintOptions',
    'UnaryDTypeRule',
    'UnaryOpDef',
  ],
  '@gd/autograd': ['LossReduction'],
};

const COMMON = {
  logLevel: LogLevel.Warn,
  treatWarningsAsErrors: true,
  // No links to a hosted source: a clone's remote may be a path (CI) or missing, which TypeDoc
  // warns about, and the reference is read next to the sources anyway.
  disableSources: true,
  // Links are checked once the packages are merged, where links between packages resolve.
  validation: { notExported: true, invalidLink: false, rewrittenLink: true, notDocumented: true },
  // Every export, method, accessor and field must carry a comment (a layer's `stride` too:
  // its unit and default are what a reader of the reference looks for). The entries of data
  // tables get theirs from their entry type (documentTableEntries).
  requiredToBeDocumented: [
    'Enum',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'TypeAlias',
    'Namespace',
    'Method',
    'Accessor',
    'Property',
    'EnumMember',
  ],
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  // The package READMEs link to sibling folders, which only make sense on GitHub; each
  // package's page shows its entry point's comment instead.
  readme: 'none',
  sort: ['source-order'],
  // The type-check is CI's typecheck step; here it would only double the time.
  skipErrorChecking: true,
};

/** The published packages and their entry points (src files behind each `exports` subpath). */
export function publishedPackages(root = ROOT) {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .map((name) => {
      const pkgDir = join(dir, name);
      const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      return { dir: pkgDir, manifest };
    })
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir: pkgDir, manifest }) => ({
      dir: pkgDir,
      name: manifest.name,
      entryPoints: entryPoints(pkgDir, manifest, root),
    }));
}

/** Whether `target` is written by the package's build with its TSDoc in the declarations. */
function generatedEntry(pkgDir, target) {
  const dts = join(pkgDir, target.replace(/\.js$/, '.d.ts'));
  return existsSync(dts) && /\/\*\*[\s\S]*?\*\/\s*export /.test(readFileSync(dts, 'utf8'));
}

function entryPoints(pkgDir, manifest, root) {
  const targets = [];
  for (const [subpath, value] of Object.entries(manifest.exports ?? { '.': manifest.types })) {
    const target = typeof value === 'string' ? value : (value?.types ?? value?.import);
    if (typeof target === 'string' && /^\.\/dist\/.*\.(d\.ts|js)$/.test(target)) {
      targets.push({ subpath, target });
    }
  }
  if (targets.length === 0) {
    throw new Error(`${manifest.name}: no entry point in package.json "exports" or "types"`);
  }
  return targets.flatMap(({ subpath, target }) => {
    const src = join(pkgDir, target.replace(/^\.\/dist\//, 'src/').replace(/\.(d\.ts|js)$/, '.ts'));
    if (!existsSync(src)) {
      // An entry the build writes (@gd/tensor/wasm-inline: the kernels' bytes) has no source;
      // its generated declaration file carries its TSDoc, and the package README describes it.
      if (generatedEntry(pkgDir, target)) return [];
      throw new Error(`${manifest.name}: "${target}" has no source file ${relative(root, src)}`);
    }
    // The name an import uses: `@gd/onnx`, `@gd/onnx/node`.
    return [{ src, name: join(manifest.name, subpath) }];
  });
}

/**
 * The methods made from the op registry (`x.elu(alpha)`, `x.elu_(alpha)`, `F.elu`) come from a
 * mapped type, so they carry no comment of their own: give each the documentation of its op,
 * its row of `UNARY_OP_INFO` (the single place where the op is described).
 */
function documentRegistryMethods(app) {
  const generated = new Set(GENERATED_UNARY_OPS);
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const members = context.project.getReflectionsByKind(
      ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Variable,
    );
    for (const member of members) {
      const inPlace = member.name.endsWith('_');
      const op = inPlace ? member.name.slice(0, -1) : member.name;
      if (member.comment || !generated.has(op)) continue;
      const entry = UNARY_REGISTRY[op];
      const { doc } = UNARY_OP_INFO[op];
      const params = (entry.params ?? []).map((p) => `\`${p.name}\` (default ${p.default})`);
      const text = [
        inPlace ? `In place: \`x.${op}()\` written into \`x\`. ${doc}` : doc,
        params.length > 0
          ? ` Parameters, positional or as one options object: ${params.join(', ')}.`
          : '',
        ` Generated from the op registry's \`${op}\` entry (\`UNARY_REGISTRY.${op}\`).`,
      ].join('');
      member.comment = new Comment([{ kind: 'text', text }]);
    }
  });
}

/** `type` without `readonly` and array wrappers: `readonly ParamSpec[]` is `ParamSpec`. */
function elementType(type) {
  if (type?.type === 'typeOperator' || type?.type === 'array')
    return elementType(type.target ?? type.elementType);
  return type;
}

/** The interface a member's type names, if it names one (`generated?: GeneratedUnary`). */
function namedInterface(member) {
  const target = elementType(member?.type);
  return target?.type === 'reference' && target.reflection?.kindOf(ReflectionKind.Interface)
    ? target.reflection
    : undefined;
}

/** The inline object types inside `type` (through arrays, unions, `readonly`). */
function inlineDeclarations(type) {
  const found = [];
  walkType(type, (declaration) => found.push(declaration));
  return found;
}

/**
 * Gives the fields of inline object types under `owner` the comments of the interface members
 * they instantiate, down through nested interfaces (`generated.gradFn` is `GeneratedUnary.gradFn`).
 * A field the interface does not name (a parameter inside `samples`, an attribute `attrs`
 * returns) is described by the member that holds it.
 */
function documentFields(owner, iface, holder) {
  for (const declaration of inlineDeclarations(owner.type)) {
    for (const field of declaration.children ?? []) {
      const member = iface?.getChildByName(field.name);
      if (!field.hasComment()) {
        field.comment = member?.comment
          ? member.comment.clone()
          : new Comment([
              {
                kind: 'text',
                text: `\`${field.name}\` of the \`${owner.name}\` value that ${holder} describes.`,
              },
            ]);
      }
      const next = namedInterface(member);
      documentFields(field, next, next ? next.name : holder);
    }
    // What a function member returns (an ONNX mapping's `attrs`: `{ alpha }`).
    for (const signature of declaration.signatures ?? []) {
      documentFields({ name: owner.name, type: signature.type }, undefined, holder);
    }
  }
}

/**
 * A data table declared `satisfies Record<string, Entry>` (UNARY_REGISTRY, BINARY_REGISTRY,
 * BASE_KINDS) has a literal type whose entries carry no comments: what an entry's fields mean
 * is written once, on `Entry`. Each entry is described by its own `doc` where it has one, and
 * each of its fields by the member of `Entry` it fills in.
 */
function documentTableEntries(app) {
  const tables = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Variable)) return;
    const declaration = context.getSymbolFromReflection(reflection)?.valueDeclaration;
    const entry = /satisfies\s+Record<\s*string\s*,\s*(\w+)\s*>\s*$/.exec(
      declaration?.getText() ?? '',
    )?.[1];
    if (entry) tables.set(reflection, entry);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const interfaces = context.project.getReflectionsByKind(ReflectionKind.Interface);
    for (const [table, entryName] of tables) {
      const iface = interfaces.find((r) => r.name === entryName);
      if (!iface) throw new Error(`${table.name}: its entry type ${entryName} is not exported`);
      for (const declaration of inlineDeclarations(table.type)) {
        for (const entry of declaration.children ?? []) {
          const doc = entry.type?.declaration?.getChildByName('doc')?.type;
          const what = doc?.type === 'literal' ? ` ${doc.value}` : '';
          entry.comment ??= new Comment([
            { kind: 'text', text: `The \`${entry.name}\` entry (a ` },
            { kind: 'inline-tag', tag: '@link', text: entryName, target: iface },
            { kind: 'text', text: `).${what}` },
          ]);
          documentFields(entry, iface, entryName);
        }
      }
    }
  });
}

/** Calls `visit` on every inline object type within `type` (through unions, conditionals...). */
function walkType(type, visit) {
  if (!type) return;
  if (type.type === 'reflection') visit(type.declaration);
  for (const key of [
    'checkType',
    'extendsType',
    'trueType',
    'falseType',
    'elementType',
    'target',
  ]) {
    walkType(type[key], visit);
  }
  for (const key of ['types', 'elements', 'typeArguments']) {
    for (const t of type[key] ?? []) walkType(t, visit);
  }
}

/**
 * The methods of an inline object type under a documented constant or type alias need no
 * comment of their own: they are the pattern of a conditional type (`ComposeInput` matching
 * `{ apply(x): y }`), described by the alias. Their names are added to
 * `intentionallyNotDocumented`.
 */
function inlineMembers(project) {
  const names = new Set();
  const visit = (reflection) => {
    // Only functions: fields under such types are documented (or fail the build).
    const fn =
      reflection.kindOf(ReflectionKind.Method) ||
      (reflection.type?.type === 'reflection' &&
        (reflection.type.declaration.signatures?.length ?? 0) > 0);
    if (fn && !reflection.hasComment() && !reflection.signatures?.some((s) => s.hasComment())) {
      names.add(reflection.getFriendlyFullName());
    }
    reflection.traverse((child) => visit(child));
  };
  const owners = project.getReflectionsByKind(ReflectionKind.Variable | ReflectionKind.TypeAlias);
  for (const owner of owners) {
    if (!owner.hasComment()) continue;
    walkType(owner.type, visit);
  }
  return [...names];
}

/**
 * A package with several entry points gets one module per entry point, which TypeDoc names by
 * file path (`packages/onnx/src/node`): name each by its import path (`@gd/onnx/node`) instead.
 */
function nameModulesByImport(app, pkg, root) {
  if (pkg.entryPoints.length < 2) return;
  const byPath = new Map(
    pkg.entryPoints.map((e) => [
      relative(root, e.src)
        .replace(/\.ts$/, '')
        .replace(/\/index$/, ''),
      e.name,
    ]),
  );
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = byPath.get(module.name);
      if (name !== undefined) module.name = name;
    }
  });
}

function failOnWarnings(app, what, project) {
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
    throw new Error(`${what}: TypeDoc reported the problems above (warnings are errors here)`);
  }
}

async function convertPackage(pkg, jsonOut, root) {
  const app = await Application.bootstrapWithPlugins({
    ...COMMON,
    name: pkg.name,
    entryPoints: pkg.entryPoints.map((e) => e.src),
    // The build's tsconfig (sources without tests) when there is one.
    tsconfig: ['tsconfig.build.json', 'tsconfig.json']
      .map((f) => join(pkg.dir, f))
      .find((f) => existsSync(f)),
    intentionallyNotExported: INTENTIONALLY_NOT_EXPORTED[pkg.name] ?? [],
    basePath: root,
  });
  documentTableEntries(app);
  documentRegistryMethods(app);
  nameModulesByImport(app, pkg, root);
  const started = performance.now();
  const project = await app.convert();
  if (project) {
    app.options.setValue('intentionallyNotDocumented', inlineMembers(project));
    app.validate(project);
  }
  console.log(`${pkg.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  failOnWarnings(app, pkg.name, project);
  await app.generateJson(project, jsonOut);
}

/** The guides in `root`/docs (every Markdown file but the reference's own front page). */
export function guides(root) {
  const dir = join(root, 'docs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'api-index.md')
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Builds the reference of the published packages under `root`/packages into `out` and returns
 * `out`; throws on any warning.
 */
export async function buildApi({ root = ROOT, out = OUT } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'gd-api-'));
  try {
    const packages = publishedPackages(root);
    if (packages.length === 0) throw new Error(`no published package in ${root}/packages`);
    const jsons = [];
    for (const pkg of packages) {
      const json = join(tmp, `${pkg.name.replace(/\W/g, '_')}.json`);
      await convertPackage(pkg, json, root);
      jsons.push(json);
    }
    const app = await Application.bootstrapWithPlugins({
      ...COMMON,
      name: 'gd',
      entryPointStrategy: 'merge',
      validation: { invalidLink: true, rewrittenLink: true, notDocumented: false },
      entryPoints: jsons,
      readme: existsSync(join(root, 'docs/api-index.md'))
        ? join(root, 'docs/api-index.md')
        : 'none',
      // The guides (docs/*.md) as pages of the site, beside the packages.
      projectDocuments: guides(root),
      // Triton's config.pbtxt blocks in train-and-serve: shown as they are.
      ignoredHighlightLanguages: ['pbtxt'],
      out,
    });
    const project = await app.convert();
    if (project) app.validate(project);
    failOnWarnings(app, 'the merged reference', project);
    await app.generateDocs(project, out);
    failOnWarnings(app, 'the rendered reference', project);
    console.log(`API reference of ${packages.map((p) => p.name).join(', ')} in ${out}`);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const out = await buildApi();
    if (process.argv.includes('--serve')) await serveStatic(out, Number(process.env.PORT ?? 8080));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
