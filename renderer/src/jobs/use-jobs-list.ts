/**
 * The Jobs table's data: `jobs.list` pages (newest first, each after the previous page's cursor,
 * so rows added meanwhile do not shift them), kept current by `jobs.changed` events without
 * refetching, plus an engine-side search so matches beyond the loaded rows show up.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { JobSummary } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { statusesFor, type StatusFilter } from './jobs-filter';
import { mergeJobs, upsertJob } from './jobs-list';

export const PAGE_SIZE = 1000;

export interface JobsListState {
  jobs: JobSummary[];
  /** Jobs the engine has in total (null until the first page). */
  total: number | null;
  /** Matches the engine found for the current filter and search (null: no filter or not asked yet). */
  matchTotal: number | null;
  loaded: boolean;
  loadingMore: boolean;
  error: string | null;
}

type Action =
  | { type: 'page'; jobs: JobSummary[]; total: number }
  | { type: 'matches'; jobs: JobSummary[]; total: number | null }
  | { type: 'changed'; job: JobSummary }
  | { type: 'loadingMore' }
  | { type: 'failed'; message: string };

const initial: JobsListState = { jobs: [], total: null, matchTotal: null, loaded: false, loadingMore: false, error: null };

function reducer(state: JobsListState, action: Action): JobsListState {
  switch (action.type) {
    case 'page':
      return { ...state, jobs: mergeJobs(state.jobs, action.jobs), total: action.total, loaded: true, loadingMore: false, error: null };
    case 'matches':
      return { ...state, jobs: mergeJobs(state.jobs, action.jobs), matchTotal: action.total };
    case 'changed': {
      const jobs = upsertJob(state.jobs, action.job);
      if (jobs === state.jobs) return state;
      const isNew = jobs.length > state.jobs.length;
      return { ...state, jobs, total: state.total !== null && isNew ? state.total + 1 : state.total };
    }
    case 'loadingMore':
      return { ...state, loadingMore: true };
    case 'failed':
      return { ...state, loaded: true, loadingMore: false, error: action.message };
  }
}

export function useJobsList(filter: StatusFilter, search: string) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [state, dispatch] = useReducer(reducer, initial);
  // Rows read by plain paging (not search): where the next page starts; null after the last.
  const cursor = useRef<string | null>(null);
  const busy = useRef(false);

  // Subscribe first, then read, so no change between the two is missed.
  useEffect(() => api.on('jobs.changed', (job) => dispatch({ type: 'changed', job })), [api]);

  useEffect(() => {
    let alive = true;
    cursor.current = null;
    busy.current = true;
    api
      .call('jobs.list', { limit: PAGE_SIZE })
      .then((page) => {
        if (!alive) return;
        cursor.current = page.nextCursor ?? null;
        dispatch({ type: 'page', jobs: page.jobs, total: page.total });
      })
      .catch((err: unknown) => alive && dispatch({ type: 'failed', message: errorText(err) }))
      .finally(() => {
        busy.current = false;
      });
    return () => {
      alive = false;
    };
  }, [api, generation]);

  const loadMore = useCallback(() => {
    const after = cursor.current;
    if (busy.current || state.total === null || after === null) return;
    busy.current = true;
    dispatch({ type: 'loadingMore' });
    api
      .call('jobs.list', { limit: PAGE_SIZE, cursor: after })
      .then((page) => {
        cursor.current = page.nextCursor ?? null;
        dispatch({ type: 'page', jobs: page.jobs, total: page.total });
      })
      .catch((err: unknown) => dispatch({ type: 'failed', message: errorText(err) }))
      .finally(() => {
        busy.current = false;
      });
  }, [api, state.total]);

  // The engine searches everything, not just the loaded rows; its matches merge into the table.
  const status = statusesFor(filter);
  const statusKey = status?.join(',') ?? '';
  useEffect(() => {
    if (!state.loaded || state.error) return;
    if (statusKey === '' && search.trim() === '') {
      dispatch({ type: 'matches', jobs: [], total: null });
      return;
    }
    let alive = true;
    api
      .call('jobs.list', {
        ...(statusKey ? { status: statusKey.split(',') as JobSummary['status'][] } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
        limit: PAGE_SIZE,
      })
      .then((page) => alive && dispatch({ type: 'matches', jobs: page.jobs, total: page.total }))
      .catch(() => {
        // The loaded rows are still filtered locally; a failed engine search only narrows that.
      });
    return () => {
      alive = false;
    };
  }, [api, statusKey, search, state.loaded, state.error]);

  return { ...state, loadMore };
}
