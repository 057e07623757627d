import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../engine/test-support/real-parts.js';
import { clusterDir, kubeconfigPathOf, listClusterRecords, readClusterRecord, removeClusterRecord, writeClusterRecord, type ClusterRecord } from './cluster-record.js';

const record = (name: string): ClusterRecord => ({
  name,
  context: `kind-${name}`,
  kubeconfigPath: `/data/clusters/${name}/kubeconfig`,
  kindVersion: 'v0.30.0',
  nodeImage: 'kindest/node:v1.34.0',
  workers: 0,
  workspaceRoot: '/home/me/work',
  gpus: 0,
  createdAt: 1,
});

describe('cluster records', () => {
  it('round-trips, lists by name and leaves no temp file behind', () => {
    const dir = makeTempDir('cluster', 'record');
    writeClusterRecord(dir, record('b'));
    writeClusterRecord(dir, record('a'));
    expect(listClusterRecords(dir).map((r) => r.name)).toEqual(['a', 'b']);
    expect(readClusterRecord(dir, 'a')).toEqual(record('a'));
    expect(readdirSync(clusterDir(dir, 'a'))).toEqual(['cluster.json']);
    expect(kubeconfigPathOf(dir, 'a')).toBe(path.join(dir, 'clusters', 'a', 'kubeconfig'));
  });

  it('skips a damaged record instead of failing the whole list', () => {
    const dir = makeTempDir('cluster', 'damaged');
    writeClusterRecord(dir, record('good'));
    mkdirSync(clusterDir(dir, 'bad'), { recursive: true });
    writeFileSync(path.join(clusterDir(dir, 'bad'), 'cluster.json'), '{"name": "bad"');
    expect(listClusterRecords(dir).map((r) => r.name)).toEqual(['good']);
    expect(listClusterRecords(path.join(dir, 'nowhere'))).toEqual([]);
  });

  it('remove deletes the record and its kubeconfig folder', () => {
    const dir = makeTempDir('cluster', 'remove');
    writeClusterRecord(dir, record('x'));
    removeClusterRecord(dir, 'x');
    expect(readClusterRecord(dir, 'x')).toBeNull();
  });
});
