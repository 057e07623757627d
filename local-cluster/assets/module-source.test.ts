/**
 * Module zips: the Go module cache (real, when the k8s harness build filled it), and a GOPROXY
 * that is a local HTTP server serving that same cached zip — so the proxy path, the h1 check
 * and the refusal of a changed zip run for real without naming any proxy host.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeModulePath, fetchModule, h1OfZip, proxyList, readGoEnv } from './module-source.js';
import { JOBSET, TRAINER } from './pins.js';
import { localJobsetKustomization, managerWithoutJobset } from './render-manifests.js';
import { haveParts } from '../test-support/real-tools.js';

const goEnv = await readGoEnv(process.env);
const cached = path.join(goEnv.modCache ?? '', 'cache', 'download', 'sigs.k8s.io', 'jobset', '@v', `${JOBSET.version}.zip`);
const zipHere = haveParts('the pinned JobSet module zip', existsSync(cached) ? null : `${cached} is not in the Go module cache (the k8s harness build puts it there: e2e/k8s-harness/build.sh)`);

describe('module source', () => {
  it('escapes module paths and reads GOPROXY lists', () => {
    expect(escapeModulePath('github.com/NVIDIA/k8s-device-plugin')).toBe('github.com/!n!v!i!d!i!a/k8s-device-plugin');
    expect(proxyList('https://a.example/, direct')).toEqual(['https://a.example']);
    expect(proxyList('off')).toEqual([]);
  });

  it.runIf(zipHere)('fetches from the module cache, else from GOPROXY, checking go.sum\'s h1; refuses a changed zip', async () => {
    const zip = readFileSync(cached);
    expect(await h1OfZip(zip)).toBe(JOBSET.h1);
    const fromCache = await fetchModule(JOBSET, { modCache: goEnv.modCache, proxies: [] });
    expect(fromCache.source).toBe(`Go module cache (${cached})`);

    let body = zip;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const viaProxy = await fetchModule(JOBSET, { modCache: '/nonexistent', proxies: [proxy] });
      expect(viaProxy.source).toBe(`GOPROXY ${proxy}`);
      expect(seen).toEqual(['/sigs.k8s.io/jobset/@v/v0.12.0.zip']);
      // A proxy that answers with other content (here: another module's valid zip) is refused.
      body = readFileSync(cached.replace(`sigs.k8s.io/jobset/@v/${JOBSET.version}.zip`, `github.com/kubeflow/trainer/v2/@v/${TRAINER.version}.zip`));
      await expect(fetchModule(JOBSET, { modCache: '/nonexistent', proxies: [proxy] })).rejects.toThrow(
        new RegExp(`Cannot get sigs\\.k8s\\.io/jobset@v0\\.12\\.0: not in the Go module cache .*; GOPROXY ${proxy} has hash ${TRAINER.h1!.replace(/[+/=]/g, '\\$&')}, expected`),
      );
    } finally {
      server.close();
    }
    await expect(fetchModule(JOBSET, { modCache: '/nonexistent', proxies: [] })).rejects.toThrow('GOPROXY is not set');
  });

  it('points Trainer\'s third-party JobSet at the local module and drops it from the manager overlay', () => {
    expect(localJobsetKustomization({ resources: ['https://x.example/jobset/manifests.yaml'], images: [] }, '../../../../jobset/config/default')).toEqual({ resources: ['../../../../jobset/config/default'], images: [] });
    expect(() => localJobsetKustomization({ resources: ['local.yaml'] }, 'x')).toThrow('no longer names a remote JobSet release');
    expect(managerWithoutJobset({ namespace: 'kubeflow-system', resources: ['namespace.yaml', '../../third-party/jobset', '../../base/crds'] }).resources).toEqual(['namespace.yaml', '../../base/crds']);
  });
});
