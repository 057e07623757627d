/**
 * The workspace as a tar, built the same way every time: entries sorted, fixed times and owners,
 * modes reduced to 644/755 (and, for the ConfigMap, gzip without a timestamp). So the same files
 * give the same bytes (and sha256): the promote preview's archive is the one that is applied.
 * An image build reads the tar as a stream (no copy of a large workspace in memory), at the pace
 * the engine takes it, which is what its progress counts.
 *
 * tar-stream rather than node-tar (which local-cluster's bundle uses): entries come from an
 * explicit list plus in-memory files (the Dockerfile), with headers set here; node-tar packs
 * paths from one folder with the modes and times it finds there.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack, type Pack } from 'tar-stream';
import type { WorkspaceListing } from './workspace-files.js';

/** 2000-01-01: tar tools warn about "implausibly old" times near the epoch. */
const FIXED_MTIME = new Date(946_684_800_000);

export interface WorkspaceArchive {
  bytes: Buffer;
  sha256: string;
}

export interface PackOptions {
  /** In-memory files put first (an image build's Dockerfile). */
  extra?: { name: string; text: string }[];
  /** Puts the workspace's files under a folder inside the archive (an image build context wants "workspace/"). */
  prefix?: string;
  /** Workspace bytes read so far, as they are read. */
  onBytes?: (bytes: number) => void;
  /** Stops between files and while reading one: the stream then fails with the abort reason. */
  signal?: AbortSignal;
}

/** The tar as a stream; an unreadable file, a file that changed size or an abort fails the stream. */
export function packWorkspace(root: string, listing: WorkspaceListing, opts: PackOptions = {}): Pack {
  const tar = pack();
  const prefix = opts.prefix ?? '';
  const header = (name: string, size: number, mode: number) => ({ name, size, mode, mtime: FIXED_MTIME, uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const });
  let read = 0;
  const write = async () => {
    for (const x of opts.extra ?? []) {
      const body = Buffer.from(x.text);
      await new Promise<void>((resolve, reject) => tar.entry(header(x.name, body.length, 0o644), body, (err) => (err ? reject(err) : resolve())));
    }
    for (const f of listing.files) {
      opts.signal?.throwIfAborted();
      const mode = f.mode & 0o111 ? 0o755 : 0o644;
      await new Promise<void>((resolve, reject) => {
        const entry = tar.entry(header(prefix + f.path, f.bytes, mode), (err) => (err ? reject(err) : resolve()));
        entry.on('error', reject); // a destroyed archive (abort, engine gone) fails the open entry too
        // A file that changed size while being read fails the entry (tar-stream checks), never a corrupt archive.
        const file = createReadStream(path.join(root, f.path), opts.signal ? { signal: opts.signal } : {});
        file.on('error', reject);
        if (opts.onBytes) {
          file.on('data', (c: string | Buffer) => {
            read += c.length;
            opts.onBytes!(read);
          });
        }
        file.pipe(entry);
      });
    }
    tar.finalize();
  };
  write().catch((err: unknown) => tar.destroy(err as Error));
  return tar;
}

/** The gzipped tar in memory (the ConfigMap archive), with its sha256. */
export async function archiveWorkspace(root: string, listing: WorkspaceListing, opts: PackOptions = {}): Promise<WorkspaceArchive> {
  const chunks: Buffer[] = [];
  const gzip = createGzip({ level: 9 });
  gzip.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(packWorkspace(root, listing, opts), gzip);
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
