module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Helpers that declare a test per database (src/__testUtils__/databases.ts)
    // and the per-file wrappers around them.
    'jest/no-standalone-expect': [
      'error',
      { additionalTestBlockFunctions: ['itOnEachDatabase', 'itWithStore'] },
    ],
  },
});
