/**
 * `npx tsx engine/pipelines/test-support/prepare-kfp.ts`: builds the shared kfp environment the
 * pipeline tests use (kfp-fixtures.ts) before `npm test`, so no test file waits for pip. .ci/run
 * calls it; it prints how long it took (a few seconds when the environment exists).
 */
import { ensureKfpEnv, KFP_VERSION } from '../kfp/kfp-env.js';
import { KFP_TEST_DATA, KFP_TEST_ENV } from './kfp-fixtures.js';

const started = Date.now();
const env = await ensureKfpEnv({ dataDir: KFP_TEST_DATA, env: KFP_TEST_ENV, settings: {}, onProgress: (p) => p.step !== 'pip' && console.log(p.message) });
console.log(`kfp ${KFP_VERSION} ${env.created ? 'installed' : 'already there'} at ${env.envDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
