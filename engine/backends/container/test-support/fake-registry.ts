/**
 * fake-registry: stands in for a remote image registry, which these machines cannot reach. A
 * small Docker Registry HTTP API v2 server (GET /v2/, manifests, blobs) on 127.0.0.1 — which
 * Docker treats as an insecure registry by default — serving images made from a local image's
 * `docker save` (its config and layers as they are; the engine detects that they are plain tars)
 * plus one layer of random bytes per image, so the engine has something new to download even
 * though it has the base layers already. Blobs can be served slowly, so a pull lasts long enough
 * to watch its progress and cancel it.
 */
import { createHash, randomFillSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

interface Blob {
  digest: string;
  data: Buffer;
}

/** The entries of an uncompressed tar (ustar headers, as `docker save` writes them). */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

async function saved(docker: Docker, image: string): Promise<Buffer> {
  const stream = (await docker.getImage(image).get()) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const blob = (data: Buffer): Blob => ({ digest: `sha256:${createHash('sha256').update(data).digest('hex')}`, data });

/** A tar holding one file of `bytes` random bytes: a layer no engine has yet. */
function paddingLayer(name: string, bytes: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${bytes.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  header.write(`${header.reduce((n, b) => n + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(bytes / 512) * 512);
  randomFillSync(body, 0, bytes);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

export interface FakeRegistry {
  /** "127.0.0.1:<port>" */
  host: string;
  /** Serves the source image plus a new layer of `extraBytes` as `<host>/<repo>:<tag>`; returns that reference. */
  add(repo: string, tag: string, extraBytes: number): string;
  /** Bytes per second for the added layers from now on (Infinity: as fast as possible); the base layers always go fast. */
  throttle(bytesPerSecond: number): void;
  /** Paths asked for, in order ("GET /v2/…"). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(docker: Docker, source: string): Promise<FakeRegistry> {
  const files = readTar(await saved(docker, source));
  const [entry] = JSON.parse(files.get('manifest.json')!.toString()) as { Config: string; Layers: string[] }[];
  const baseConfig = JSON.parse(files.get(entry!.Config)!.toString()) as { rootfs: { diff_ids: string[] }; history?: unknown[] };
  const baseLayers = entry!.Layers.map((l) => blob(files.get(l)!));
  const blobs = new Map(baseLayers.map((b) => [b.digest, b]));
  const manifests = new Map<string, Blob>(); // "repo:tag" → manifest
  let bytesPerSecond = Number.POSITIVE_INFINITY;
  const requests: string[] = [];
  const open = new Set<http.ServerResponse>();
  const slow = new Set<string>();

  function add(repo: string, tag: string, extraBytes: number): string {
    const extra = blob(paddingLayer(`kfd-fake-registry-${repo.replace(/\W/g, '-')}-${tag}`, extraBytes));
    const layers = [...baseLayers, extra];
    const config = blob(
      Buffer.from(
        JSON.stringify({
          ...baseConfig,
          rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, // plain tars: blob digest = diff id
          history: [...(baseConfig.history ?? []), { created: new Date().toISOString(), created_by: 'fake-registry: random bytes' }],
        }),
      ),
    );
    for (const b of [config, extra]) blobs.set(b.digest, b);
    slow.add(extra.digest);
    const manifest = {
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.data.length, digest: config.digest },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: l.data.length, digest: l.digest })),
    };
    const m = blob(Buffer.from(JSON.stringify(manifest)));
    manifests.set(`${repo}:${tag}`, m);
    manifests.set(`${repo}:${m.digest}`, m);
    return `${host}/${repo}:${tag}`;
  }

  async function send(res: http.ServerResponse, data: Buffer, head: boolean, throttled = false): Promise<void> {
    res.setHeader('Content-Length', data.length);
    if (head) return void res.end();
    const chunk = 64 * 1024;
    for (let i = 0; i < data.length && !res.destroyed; i += chunk) {
      const ok = res.write(data.subarray(i, i + chunk));
      if (throttled && Number.isFinite(bytesPerSecond)) await new Promise((r) => setTimeout(r, (chunk / bytesPerSecond) * 1000));
      else if (!ok) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }

  const notFound = (res: http.ServerResponse, code: string, message: string) => {
    res.statusCode = 404;
    res.end(JSON.stringify({ errors: [{ code, message }] }));
  };

  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const url = req.url ?? '';
    const head = req.method === 'HEAD';
    requests.push(`${req.method} ${url}`);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (url === '/v2/' || url === '/v2') return void res.end('{}');
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(url);
    if (m?.[2] === 'manifests') {
      const manifest = manifests.get(`${m[1]}:${m[3]}`);
      if (!manifest) return notFound(res, 'MANIFEST_UNKNOWN', `no ${m[1]}:${m[3]} here`);
      res.setHeader('Content-Type', MANIFEST_TYPE);
      res.setHeader('Docker-Content-Digest', manifest.digest);
      return void send(res, manifest.data, head);
    }
    const b = m ? blobs.get(m[3]!) : undefined;
    if (!b) return notFound(res, 'BLOB_UNKNOWN', url);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Docker-Content-Digest', b.digest);
    void send(res, b.data, head, slow.has(b.digest));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    add,
    throttle(n) {
      bytesPerSecond = n;
    },
    async close() {
      for (const res of open) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
