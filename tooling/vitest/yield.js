// Lets each forked worker read the runner's replies between tests. The fork talks to the runner
// over birpc with a fixed 60 s timeout; a file of long synchronous tests (the backend
// conformance suite) on a loaded 2-core machine can keep the event loop busy past it, and then
// Node's timers phase fires the timeout before the poll phase reads the reply that had arrived:
// every test passes and the run fails with `Timeout calling "onTaskUpdate"`.
import { afterEach } from 'vitest';

afterEach(() => new Promise((resolve) => setImmediate(resolve)));
