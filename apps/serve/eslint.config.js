import gd from '@gd/eslint-config';

// Plain-JavaScript scripts run by Node (the shared config knows TypeScript's globals only).
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'fetch', 'performance', 'setTimeout', 'clearTimeout', 'Buffer', 'URL'].map(
    (name) => [name, 'readonly'],
  ),
);

export default [...gd, { files: ['scripts/**/*.mjs'], languageOptions: { globals: nodeGlobals } }];
