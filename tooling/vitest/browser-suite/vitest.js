// What a test file gets for `import { ... } from 'vitest'` when it runs in a browser worker (see
// ../browser-suite.js): vitest's own collector and runner (@vitest/runner) and its own matchers
// (@vitest/expect on chai), so describe/it/each/skipIf and expect behave as they do in Node.
// Mocks (`vi`) and snapshots are not here: a file that imports them fails to bundle, naming the
// missing export.
import * as chai from 'chai';
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  GLOBAL_EXPECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  customMatchers,
  getState,
  setState,
} from '@vitest/expect';
import { getCurrentTest } from '@vitest/runner';

export {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  it,
  onTestFailed,
  onTestFinished,
  suite,
  test,
} from '@vitest/runner';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

// As vitest's createExpect, less what needs its worker state (poll, snapshots, soft).
function createExpect() {
  const expect = (value, message) => {
    const { assertionCalls } = getState(expect);
    setState({ assertionCalls: assertionCalls + 1 }, expect);
    const assertion = chai.expect(value, message);
    const current = getCurrentTest();
    return current ? assertion.withTest(current) : assertion;
  };
  Object.assign(expect, chai.expect);
  Object.assign(expect, globalThis[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect);
  expect.setState = (state) => setState(state, expect);
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
    },
    expect,
  );
  expect.extend = (matchers) => chai.expect.extend(expect, matchers);
  expect.unreachable = (message) => {
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`);
  };
  expect.extend(customMatchers);
  return expect;
}

export const expect = createExpect();
Object.defineProperty(globalThis, GLOBAL_EXPECT, {
  value: expect,
  writable: true,
  configurable: true,
});
