/**
 * The workspace as a gzipped tar, built the same way every time: entries sorted, fixed times and
 * owners, modes reduced to 644/755, and gzip without a timestamp. So the same files give the
 * same bytes (and sha256): the promote preview's archive is the one that is applied.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { WorkspaceListing } from './workspace-files.js';

/** 2000-01-01: tar tools warn about "implausibly old" times near the epoch. */
const FIXED_MTIME = new Date(946_684_800_000);

export interface WorkspaceArchive {
  bytes: Buffer;
  sha256: string;
}

/** `prefix` puts the files under a folder inside the archive (an image build context wants "workspace/"). */
export async function archiveWorkspace(root: string, listing: WorkspaceListing, extra: { name: string; text: string }[] = [], prefix = ''): Promise<WorkspaceArchive> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const gzip = createGzip({ level: 9 });
  gzip.on('data', (c: Buffer) => chunks.push(c));
  const done = pipeline(tar, gzip);
  const header = (name: string, size: number, mode: number) => ({ name, size, mode, mtime: FIXED_MTIME, uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const });
  for (const x of extra) {
    const body = Buffer.from(x.text);
    await new Promise<void>((resolve, reject) => tar.entry(header(x.name, body.length, 0o644), body, (err) => (err ? reject(err) : resolve())));
  }
  for (const f of listing.files) {
    const mode = f.mode & 0o111 ? 0o755 : 0o644;
    await new Promise<void>((resolve, reject) => {
      const entry = tar.entry(header(prefix + f.path, f.bytes, mode), (err) => (err ? reject(err) : resolve()));
      // A file that changed size while being read fails the entry (tar-stream checks), never a corrupt archive.
      createReadStream(path.join(root, f.path)).on('error', reject).pipe(entry);
    });
  }
  tar.finalize();
  await done;
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
