import { describe, expect, it } from 'vitest';
import { PullTracker } from '../container/pull-progress.js';
import { BuildTracker, imageMessage, loadProgress, parseBuildStep } from './image-progress.js';

describe('workspace image progress', () => {
  it("reads build steps as Docker's classic builder and Podman print them", () => {
    expect(parseBuildStep('Step 2/4 : COPY workspace/ /workspace/')).toEqual({ index: 2, count: 4, text: 'COPY workspace/ /workspace/' });
    expect(parseBuildStep('STEP 3/4: WORKDIR /workspace')).toEqual({ index: 3, count: 4, text: 'WORKDIR /workspace' });
    expect(parseBuildStep(' ---> 1be125482b05')).toBeNull();
  });

  it('a build: the bytes of the workspace sent, then each step, then built', () => {
    const b = new BuildTracker('reg/ws:1', 'j', 2_000_000);
    expect(imageMessage(b.snapshot())).toBe('Building image reg/ws:1: checking the base image…');
    b.sending(500_000);
    expect(b.snapshot()).toMatchObject({ action: 'build', current: 500_000, total: 2_000_000, step: null, done: false });
    expect(imageMessage(b.snapshot())).toBe('Building image reg/ws:1: sending the workspace, 25% (500.0 KB of 2.0 MB)');
    b.line('Step 1/4 : FROM python:3.11');
    b.line(' ---> d09be9051db0');
    b.line('Step 3/4 : COPY workspace/ /workspace/');
    expect(b.snapshot()).toMatchObject({ current: 2_000_000, step: { index: 3, count: 4 }, status: 'Step 3/4' });
    expect(imageMessage(b.snapshot())).toBe('Building image reg/ws:1: step 3/4, COPY workspace/ /workspace/');
    expect(imageMessage(b.snapshot(true))).toBe('Built image reg/ws:1.');
  });

  it("a push: the engine's per-layer messages (as Docker sends them) as bytes and layers", () => {
    const p = new PullTracker('127.0.0.1:5000/kubeflow-desktop/big:j', 'j', 'push');
    p.add({ status: 'The push refers to repository [127.0.0.1:5000/kubeflow-desktop/big]' });
    p.add({ status: 'Preparing', id: 'aaa' });
    p.add({ status: 'Preparing', id: 'bbb' });
    p.add({ status: 'Layer already exists', id: 'bbb' });
    p.add({ status: 'Pushing', id: 'aaa', progressDetail: { current: 30_000_000, total: 120_000_000 } });
    expect(p.snapshot()).toMatchObject({ action: 'push', current: 30_000_000, total: 120_000_000 });
    expect(imageMessage(p.snapshot())).toBe('Pushing image 127.0.0.1:5000/kubeflow-desktop/big:j: 25% (30.0 MB of 120.0 MB, 1/2 layers)');
    p.add({ status: 'Pushed', id: 'aaa' });
    p.add({ status: 'j: digest: sha256:abc size: 741' });
    expect(imageMessage(p.snapshot(true))).toBe('Pushed image 127.0.0.1:5000/kubeflow-desktop/big:j.');
  });

  it('kind load: what kind says it is doing', () => {
    const line = 'Image: "kfd.local/x:1" with ID "sha256:1" not yet present on node "kfd-control-plane", loading...';
    expect(imageMessage(loadProgress('kfd.local/x:1', 'j', 'kfd', line))).toBe(`Loading image kfd.local/x:1 into the local cluster (kind load): ${line}`);
    expect(imageMessage(loadProgress('kfd.local/x:1', 'j', 'kfd', ''))).toBe('Loading image kfd.local/x:1 into the local cluster (kind load): starting (cluster kfd)');
  });
});
