import { describe, expect, it } from 'vitest';
import type { PromotePreview } from '../../../engine/api/contract';
import { formatBytes } from '../components/format-bytes';
import { filesHeading, shippingSummary, sortFiles } from './shipping-view';

const shipping = (over: Partial<PromotePreview['shipping']>): PromotePreview['shipping'] => ({
  mode: 'configMap',
  detail: 'archive of 3 files in ConfigMap digits-ws',
  archiveBytes: 40 * 1024,
  limitBytes: 1024 * 1024,
  image: null,
  sha256: 'ab12',
  ...over,
});

describe('shippingSummary', () => {
  it('shows how much of the ConfigMap limit the archive uses', () => {
    expect(shippingSummary({ shipping: shipping({}) })).toEqual({
      mode: 'Archive in a ConfigMap',
      detail: 'archive of 3 files in ConfigMap digits-ws',
      size: 'archive 40.0 KiB of the 1.0 MiB limit (4%)',
      overLimit: false,
    });
  });

  it('flags an archive above the limit', () => {
    const s = shippingSummary({ shipping: shipping({ archiveBytes: 2 * 1024 * 1024 }) });
    expect(s.overLimit).toBe(true);
    expect(s.size).toContain('(200%)');
  });

  it('says nothing about size when the folder is mounted', () => {
    expect(shippingSummary({ shipping: shipping({ mode: 'hostPath', archiveBytes: null }) })).toMatchObject({ size: null, overLimit: false, mode: 'Folder mounted into the nodes (hostPath)' });
  });
});

describe('files', () => {
  it('lists the largest first and counts them', () => {
    const files = [
      { path: 'b.py', bytes: 10 },
      { path: 'data.csv', bytes: 5000 },
      { path: 'a.py', bytes: 10 },
    ];
    expect(sortFiles(files).map((f) => f.path)).toEqual(['data.csv', 'a.py', 'b.py']);
    expect(filesHeading({ files, totalBytes: 5020, shipping: shipping({}) })).toBe('3 files shipped, 4.9 KiB');
    expect(filesHeading({ files: files.slice(0, 1), totalBytes: 1, shipping: shipping({ mode: 'hostPath' }) })).toBe('1 file seen by the nodes, 1 byte');
  });

  it('formats bytes in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 2), formatBytes(3 * 1024 ** 3)]).toEqual(['0 bytes', '1023 bytes', '1.5 KiB', '5.0 MiB', '3.0 GiB']);
  });
});
