// `node --import ./record-loads.mjs …`: appends every module URL the process loads (ESM and CJS
// through import) to the file in KFD_TEST_LOADS_FILE, so a test can tell which packages a command
// loaded. Test-only.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import fs from 'node:fs';
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (process.env.KFD_TEST_LOADS_FILE) fs.appendFileSync(process.env.KFD_TEST_LOADS_FILE, r.url + '\\n');
      return r;
    }
  `)}`,
);
