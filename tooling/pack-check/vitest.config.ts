import { gdVitestConfig } from '@gd/vitest-config';

// Packing and installing takes a while; one file, generous timeouts. @gd/tensor's case
// compiles the native addon (~50 s of one core for its elementwise kernels), which on two
// cores shared with the rest of CI has taken over three minutes. Packing the seven tarballs
// (`beforeAll`, one `npx pnpm pack` each) once took over two minutes on a loaded CI machine.
export default gdVitestConfig({ testTimeout: 420_000, hookTimeout: 420_000 });
