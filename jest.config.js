/** Unit, snapshot and conformance tests; the end-to-end suite runs through `npm run e2e`. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The slowest suites spend their time in child processes (bash, tsc), so a worker per core pays
  // even on two cores; Jest's default leaves one core idle.
  maxWorkers: '100%',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
};
