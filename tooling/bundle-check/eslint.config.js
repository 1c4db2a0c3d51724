import gd from '@gd/eslint-config';

// The size script is plain JavaScript run by Node (the shared config knows TypeScript's globals
// only).
const nodeGlobals = Object.fromEntries(
  ['console', 'URL', 'process'].map((name) => [name, 'readonly']),
);

export default [...gd, { files: ['src/**/*.mjs'], languageOptions: { globals: nodeGlobals } }];
