// Runs one test file in a browser worker with vitest's runner and posts every case's outcome
// to the page: { file, cases: [{ name, state, errors }] }. A file's own error (it failed to
// load, a hook of the file failed) is a case named after the file.
import { startTests } from '@vitest/runner';

const TIMEOUT_MS = 600_000;

/** The runner vitest's collector calls: importing the file registers its cases. */
function createRunner(load) {
  return {
    config: {
      root: '/',
      setupFiles: [],
      passWithNoTests: false,
      sequence: { seed: 0, hooks: 'stack', setupFiles: 'list' },
      maxConcurrency: 5,
      testTimeout: TIMEOUT_MS,
      hookTimeout: TIMEOUT_MS,
      retry: 0,
      includeTaskLocation: false,
    },
    importFile: async () => {
      await load();
    },
  };
}

function describeError(e) {
  const message = e?.message ?? String(e);
  const diff = e?.diff ? `\n${e.diff}` : '';
  const stack = e?.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : '';
  return `${message}${diff}${stack}`;
}

/** Every test of a task tree, with its full name and outcome. */
function flatten(task, prefix, out) {
  for (const t of task.tasks ?? []) {
    const name = prefix ? `${prefix} > ${t.name}` : t.name;
    if (t.type === 'suite') {
      if (t.result?.errors?.length) {
        out.push({ name, state: 'fail', errors: t.result.errors.map(describeError) });
      }
      flatten(t, name, out);
    } else {
      out.push({
        name,
        state: t.result?.state ?? t.mode,
        errors: (t.result?.errors ?? []).map(describeError),
      });
    }
  }
  return out;
}

/**
 * Runs `file` (its cases registered by `load()`) after `setup()`, and posts the results to
 * the page that started this worker.
 */
export async function runFile(file, setup, load) {
  const cases = [];
  let info = null;
  try {
    info = await setup();
    const [result] = await startTests([file], createRunner(load));
    if (result.result?.errors?.length) {
      cases.push({ name: file, state: 'fail', errors: result.result.errors.map(describeError) });
    }
    flatten(result, '', cases);
  } catch (e) {
    cases.push({ name: file, state: 'fail', errors: [describeError(e)] });
  }
  postMessage({ type: 'gd-suite-result', file, info, cases });
}
