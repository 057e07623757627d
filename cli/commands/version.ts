import { APP_NAME, APP_VERSION } from '../../engine/version.js';

export function versionCommand(opts: { json?: boolean }): number {
  if (opts.json) process.stdout.write(JSON.stringify({ name: APP_NAME, version: APP_VERSION, node: process.versions.node }) + '\n');
  else process.stdout.write(`${APP_NAME} ${APP_VERSION} (node ${process.versions.node})\n`);
  return 0;
}
