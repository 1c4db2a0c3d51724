export { default } from '@gd/vitest-config';
