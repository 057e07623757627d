import { describe, expect, it } from 'vitest';
import { describeGpu, parseNvidiaSmi } from './nvidia-smi-parse.js';

describe('parseNvidiaSmi', () => {
  it('parses one GPU per CSV row', () => {
    const out = [
      '0, NVIDIA A100-SXM4-40GB, GPU-5f0c1a2b-0000-1111-2222-333344445555, 40960, 550.54.15',
      '1, NVIDIA GeForce RTX 4090, GPU-9a8b, 24564, 550.54.15',
      '',
    ].join('\n');
    expect(parseNvidiaSmi(out)).toEqual([
      { index: 0, name: 'NVIDIA A100-SXM4-40GB', uuid: 'GPU-5f0c1a2b-0000-1111-2222-333344445555', memoryMiB: 40960, driverVersion: '550.54.15' },
      { index: 1, name: 'NVIDIA GeForce RTX 4090', uuid: 'GPU-9a8b', memoryMiB: 24564, driverVersion: '550.54.15' },
    ]);
  });

  it('keeps a GPU whose memory is [N/A] and handles CRLF', () => {
    const [gpu] = parseNvidiaSmi('0, NVIDIA GH200, GPU-1, [N/A], 560.1\r\n');
    expect(gpu).toMatchObject({ name: 'NVIDIA GH200', memoryMiB: null, driverVersion: '560.1' });
    expect(describeGpu(gpu!)).toBe('GPU 0: NVIDIA GH200 (memory unknown, GPU-1)');
  });

  it('ignores lines that are not GPU rows (messages, wrong field counts)', () => {
    expect(parseNvidiaSmi('No devices were found\n')).toEqual([]);
    expect(parseNvidiaSmi('index, name, uuid, memory.total [MiB], driver_version\n')).toEqual([]);
    expect(parseNvidiaSmi('0, A, B\n')).toEqual([]);
  });
});
