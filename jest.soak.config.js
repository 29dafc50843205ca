import base from './jest.config.js';

/** Long-running soak and restart runs: `npm run test:soak`. */
export default { ...base, testMatch: ['**/*.soak.test.ts'], testPathIgnorePatterns: ['/node_modules/'], testTimeout: 600_000 };
