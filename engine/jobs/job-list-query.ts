/**
 * The job list's SQL: newest first, filtered by status and a search, paged by offset or by a
 * cursor (keyset: the list position of the last row shown, so a page is an index range however
 * deep it is and rows added meanwhile do not shift it). Searches of three characters or more go
 * through the trigram index (`jobs_search`); shorter ones scan.
 */
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { JobOwnerKind, JobStatus } from '../api/schemas/jobs.js';

export interface ListQuery {
  status?: JobStatus[];
  search?: string;
  /** Only the jobs one orchestrator made (an experiment's trials, a pipeline run's tasks). */
  owner?: { kind: JobOwnerKind; id: string };
  limit: number;
  offset: number;
  /** From an earlier page's `nextCursor`: the rows after it. */
  cursor?: string;
}

export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return v as [number, string];
  } catch {
    // fall through
  }
  throw new ApiError('bad_request', 'jobs.list: field `cursor` is not a cursor this list gave out; start again without it.');
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * Matches up to this many are read from the search index and sorted; beyond it the list index is
 * walked in list order and each row looked up among the matches (the cheaper way round then).
 */
const SORT_MATCHES_UP_TO = 2000;

/** WHERE clauses and their parameters for the filters (not the page position); `total` when already known. */
function filters(db: Database.Database, q: ListQuery): { where: string[]; params: Record<string, unknown>; total: number | null } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  let total: number | null = null;
  if (q.owner) {
    where.push('owner_kind = @ownerKind AND owner_id = @ownerId');
    params.ownerKind = q.owner.kind;
    params.ownerId = q.owner.id;
  }
  if (q.status?.length) {
    where.push(`status IN (${q.status.map((_, i) => `@s${i}`).join(', ')})`);
    q.status.forEach((s, i) => (params[`s${i}`] = s));
  }
  const search = q.search?.trim();
  if (search) {
    if ([...search].length >= 3) {
      // One phrase: the trigrams of the whole text, in order (a substring match). Counting in the
      // index is cheap; `+rowid` keeps SQLite from driving the page from the matches.
      params.match = `"${search.replace(/"/g, '""')}"`;
      const matches = db.prepare('SELECT COUNT(*) FROM jobs_search WHERE jobs_search MATCH ?').pluck().get(params.match) as number;
      where.push(`${matches <= SORT_MATCHES_UP_TO ? 'rowid' : '+rowid'} IN (SELECT rowid FROM jobs_search WHERE jobs_search MATCH @match)`);
      if (!q.status?.length && !q.owner) total = matches;
    } else {
      where.push(`(name LIKE @q ESCAPE '\\' OR id LIKE @q ESCAPE '\\' OR workspace LIKE @q ESCAPE '\\')`);
      params.q = `%${likeEscape(search)}%`;
    }
  }
  return { where, params, total };
}

export interface ListPage<Row> {
  rows: Row[];
  total: number;
  /** Where the next page starts, or null after the last row. */
  nextCursor: string | null;
}

export function listJobRows<Row extends { created_at: number; id: string }>(db: Database.Database, q: ListQuery): ListPage<Row> {
  const { where, params, total: known } = filters(db, q);
  const clause = (extra: string[] = []) => ([...where, ...extra].length ? `WHERE ${[...where, ...extra].join(' AND ')}` : '');
  const total = known ?? (db.prepare(`SELECT COUNT(*) FROM jobs ${clause()}`).pluck().get(params) as number);
  const position: string[] = [];
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(q.cursor);
    position.push('(created_at, id) < (@cAt, @cId)');
    Object.assign(params, { cAt: createdAt, cId: id });
  }
  // The page's rows are found in the index (skipping `offset` entries costs no row reads), then read.
  const rows = db
    .prepare(
      `SELECT * FROM jobs WHERE rowid IN (SELECT rowid FROM jobs ${clause(position)} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset)
        ORDER BY created_at DESC, id DESC`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as Row[];
  const last = rows.at(-1);
  return { rows, total, nextCursor: rows.length === q.limit && last ? encodeCursor(last.created_at, last.id) : null };
}
