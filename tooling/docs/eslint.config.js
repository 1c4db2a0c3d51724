import config from '@gd/eslint-config';

// The .mjs scripts run in Node as they are: its globals.
const node = { console: 'readonly', process: 'readonly', URL: 'readonly', performance: 'readonly' };

export default [...config, { files: ['**/*.mjs'], languageOptions: { globals: node } }];
