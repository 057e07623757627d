import { existsSync } from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../engine/engine.js';
import { startWebServer } from '../../engine/api/web-server.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  staticDir: string;
}

/** `kfd serve`: the engine in this process, the UI and API over HTTP until SIGINT/SIGTERM. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const engine = createEngine();
  if (!existsSync(path.join(options.staticDir, 'index.html'))) {
    process.stderr.write(
      `warning: the UI is not built (${options.staticDir} has no index.html); run \`npm run build:renderer\`. The API works meanwhile.\n`,
    );
  }
  const server = await startWebServer({
    dispatch: engine.dispatch,
    events: engine.events,
    staticDir: options.staticDir,
    host: options.host,
    port: options.port,
    token: process.env.KFD_TOKEN,
  });
  if (options.host && !['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
    process.stderr.write(
      `warning: listening on ${options.host}: anyone who can reach it and has the token controls this machine's jobs, and plain HTTP carries the token unencrypted. Use it on a network you trust.\n`,
    );
  }
  process.stdout.write(`Kubeflow Desktop listening on ${server.url}?token=${server.token}\n`);
  for (const url of server.lanUrls) process.stdout.write(`  on your network: ${url}?token=${server.token}\n`);
  process.stdout.write(`Data: ${engine.dataDir}  (Ctrl+C to stop)\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await engine.close();
  return 0;
}
