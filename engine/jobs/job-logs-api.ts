/** `jobs.logs` paging over a job's rank files: merged by time, or one rank; forward or from the end. */
import type { LogLine } from '../api/schemas/jobs.js';
import { ApiError } from '../api/api-error.js';
import { JobLogIndex, type MergedCursor } from './logs/log-index.js';

type Cursor = { d: 'f' | 'b'; rank?: number; line?: number; merged?: MergedCursor };

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (c.d !== 'f' && c.d !== 'b') throw new Error('direction');
    return c;
  } catch {
    throw new ApiError('bad_request', 'jobs.logs: field `cursor` is not a cursor from an earlier jobs.logs answer.');
  }
}

export interface LogsRequest {
  rank?: number;
  cursor?: string;
  tail?: number;
  limit: number;
}

/** `final`: the job has ended, so reaching the end of the files means there is nothing more. */
export async function readJobLogs(index: JobLogIndex, req: LogsRequest, final: boolean): Promise<{ lines: LogLine[]; cursor: string; done: boolean }> {
  const cursor = req.cursor ? decode(req.cursor) : undefined;
  const backward = cursor ? cursor.d === 'b' : req.tail !== undefined;
  const count = cursor ? req.limit : (req.tail ?? req.limit);

  if (req.rank !== undefined) {
    const rank = req.rank;
    let from: number;
    if (!cursor) from = backward ? -count : 0;
    else from = backward ? Math.max(0, (cursor.line ?? 0) - count) : (cursor.line ?? 0);
    const want = cursor && backward ? Math.min(count, cursor.line ?? 0) : count;
    const page = await index.readPage(rank, from, want);
    const lines = page.records.map((r) => ({ rank, ts: r.ts, stream: r.stream, text: r.text }));
    const next: Cursor = backward ? { d: 'b', rank, line: page.fromLine } : { d: 'f', rank, line: page.nextLine };
    const done = backward ? page.fromLine === 0 : final && page.nextLine >= page.totalLines;
    return { lines, cursor: encode(next), done };
  }

  const page = await index.readMergedPage(cursor?.merged ?? null, count, { backward });
  const lines = page.records.map((r) => ({ rank: r.rank, ts: r.ts, stream: r.stream, text: r.text }));
  const next: Cursor = backward ? { d: 'b', merged: page.start } : { d: 'f', merged: page.end };
  const done = backward ? lines.length < count : final && lines.length < count;
  return { lines, cursor: encode(next), done };
}
