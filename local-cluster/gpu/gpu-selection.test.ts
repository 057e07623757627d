import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi } from '../../engine/doctor/checks/nvidia-smi-parse.js';
import { TWO_GPUS } from '../../engine/doctor/test-support/fake-nvidia-smi.js';
import { distribute, GpuChoiceError, parseGpuChoice, planGpus } from './gpu-selection.js';

const gpus = parseNvidiaSmi(TWO_GPUS.join('\n'));
const ready = { ready: true, problems: [] };
const notReady = { ready: false, problems: [{ detail: "Docker's default runtime is runc.", fix: 'sudo nvidia-ctk runtime configure --runtime=docker --set-as-default' }] };

describe('--gpus', () => {
  it('parses auto, all, none and index lists; names the flag otherwise', () => {
    expect(parseGpuChoice('AUTO')).toBe('auto');
    expect(parseGpuChoice('0, 1')).toEqual([0, 1]);
    expect(() => parseGpuChoice('two')).toThrow('--gpus "two" is not auto, all, none');
    expect(() => parseGpuChoice('1,1')).toThrow('listed twice');
  });

  it('auto: on with every GPU on one node (nvkind\'s "all" mount), or off with the reason', () => {
    expect(planGpus('auto', gpus, ready, 0)).toMatchObject({ enabled: true, specs: [{ mode: 'all' }], indexes: [0, 1], reason: '2 GPU(s) passed through (NVIDIA A100-SXM4-40GB, NVIDIA GeForce RTX 4090).' });
    expect(planGpus('auto', [], ready, 0)).toMatchObject({ enabled: false, specs: [{ mode: 'none' }], reason: expect.stringContaining('No NVIDIA GPU found') });
    expect(planGpus('auto', gpus, notReady, 0)).toMatchObject({ enabled: false, reason: "2 GPU(s) found, but Docker cannot pass them to kind nodes: Docker's default runtime is runc." });
    expect(planGpus('none', gpus, ready, 2).specs).toEqual([{ mode: 'none' }, { mode: 'none' }]);
  });

  it('all / a list: fails with the fix when GPUs cannot be passed; splits over workers', () => {
    expect(() => planGpus('all', gpus, notReady, 0)).toThrow(GpuChoiceError);
    expect(() => planGpus('all', [], ready, 0)).toThrow('nvidia-smi lists no NVIDIA GPU');
    expect(() => planGpus([3], gpus, ready, 0)).toThrow('no GPU 3 here (nvidia-smi lists 0, 1)');
    expect(planGpus([1], gpus, ready, 0)).toMatchObject({ specs: [{ mode: 'per-gpu', gpuIndexes: [1] }], indexes: [1] });
    expect(planGpus('all', gpus, ready, 3).specs).toEqual([{ mode: 'per-gpu', gpuIndexes: [0] }, { mode: 'per-gpu', gpuIndexes: [1] }, { mode: 'none' }]);
    expect(distribute([0, 1, 2, 3, 4], 2)).toEqual([[0, 1, 2], [3, 4]]);
  });
});
