export { default } from '@gd/eslint-config';
