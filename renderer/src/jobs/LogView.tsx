/**
 * A job's log: `jobs.logs` pages plus live `jobs.log` lines, each tagged with its rank, ANSI
 * colours rendered, filter by rank, search with highlights, Follow, line wrapping. Virtualized
 * over a bounded window (see log-pager.ts), so a million-line log scrolls like a short one.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { RefreshIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { stripAnsi } from './ansi';
import type { LogEntry } from './log-buffer';
import { LogFooter, LogToolbar } from './LogControls';
import { LogRow, LINE_HEIGHT } from './LogRow';
import { LogPager } from './log-pager';
import { keepCurrent, searchLines, stepMatch, type LogMatch } from './log-search';
import { useDebounced } from './use-now';

const plainOf = (e: LogEntry) => (e.plain ??= stripAnsi(e.text));
/** Start paging when this close (px) to either end of the window. */
const EDGE_PX = LINE_HEIGHT * 150;

export function LogView({ jobId, live, ranks }: { jobId: string; live: boolean; ranks: readonly number[] }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [rank, setRank] = useState<number | null>(null);
  const [wrap, setWrap] = useState(false);
  const [follow, setFollowState] = useState(true);
  const followRef = useRef(true);
  const [query, setQuery] = useState('');
  const search = useDebounced(query, 150);
  const [current, setCurrent] = useState<LogMatch | null>(null);
  const [epoch, setEpoch] = useState(0);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [pager, setPager] = useState<LogPager | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastTop = useRef(0);
  const userScrollAt = useRef(0);
  const resetPending = useRef(false);

  const setFollow = useCallback((on: boolean) => {
    followRef.current = on;
    setFollowState(on);
  }, []);

  // One pager per job, rank filter and "jump to latest"; live lines are subscribed before the first read.
  useEffect(() => {
    const p = new LogPager(
      (req) => api.call('jobs.logs', { id: jobId, ...(rank !== null ? { rank } : {}), ...req }),
      (change) => {
        if (change.reset) resetPending.current = true;
        bump();
      },
      { errorText },
    );
    const off = api.on('jobs.log', (event) => {
      if (event.jobId !== jobId) return;
      p.pushLive(rank === null ? event.lines : event.lines.filter((l) => l.rank === rank));
    });
    setPager(p);
    setFollow(true);
    void p.start();
    return () => {
      off();
      p.dispose();
    };
  }, [api, jobId, rank, epoch, generation, setFollow]);

  const buffer = pager?.buffer;
  const count = buffer?.length ?? 0;
  // The newest lines were let go to page older ones in: there is nothing to follow until reopened.
  const following = follow && (buffer?.atEnd ?? true);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    getItemKey: (i) => buffer?.at(i)?.seq ?? i,
    overscan: 20,
    anchorTo: 'end', // prepending older lines or dropping the oldest keeps the view where it is
    followOnAppend: following,
  });

  // Wrapping changes every row's height.
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);

  // A fresh window opens at its end.
  useLayoutEffect(() => {
    if (!resetPending.current || count === 0) return;
    resetPending.current = false;
    virtualizer.scrollToEnd();
  }, [version, count, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;

  // Tell the pager what is on screen (it trims the far end) and page in when near an edge.
  const checkEdges = useCallback(() => {
    const el = scrollRef.current;
    if (!pager || !el) return;
    pager.setViewport(firstIndex, lastIndex);
    if (el.scrollTop < EDGE_PX && pager.canLoadOlder()) void pager.loadOlder();
  }, [pager, firstIndex, lastIndex]);
  useEffect(checkEdges, [checkEdges, version]);

  function onScroll(): void {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= 2;
    const byUser = performance.now() - userScrollAt.current < 1000;
    if (followRef.current && byUser && el.scrollTop < lastTop.current - 1 && !atBottom) setFollow(false);
    else if (!followRef.current && byUser && atBottom && buffer?.atEnd) setFollow(true);
    lastTop.current = el.scrollTop;
    checkEdges();
  }

  const markUserScroll = () => {
    userScrollAt.current = performance.now();
  };

  function toggleFollow(): void {
    if (following) {
      setFollow(false);
      return;
    }
    setFollow(true);
    if (buffer && !buffer.atEnd) jumpToLatest();
    else virtualizer.scrollToEnd();
  }

  /** The newest lines were dropped to page older ones in: reopen at the tail. */
  function jumpToLatest(): void {
    setEpoch((n) => n + 1);
  }

  // Search over the lines held; stays on the same match as lines come and go.
  const result = useMemo(
    () => (buffer && search ? searchLines(buffer.lines(), search, plainOf) : { matches: [], truncated: false }),
    [buffer, search, version], // `version`: the buffer's lines changed
  );
  const currentIndex = useMemo(() => keepCurrent(result.matches, current), [result, current]);
  const active = currentIndex >= 0 ? result.matches[currentIndex]! : null;

  const jumpTo = useCallback(
    (match: LogMatch | null) => {
      setCurrent(match);
      if (!match || !buffer) return;
      const index = buffer.indexOfSeq(match.seq);
      if (index < 0) return;
      setFollow(false);
      virtualizer.scrollToIndex(index, { align: 'center' });
    },
    [buffer, virtualizer, setFollow],
  );

  // A new query jumps to its first match at or below the top of the view.
  useEffect(() => {
    if (!search || !buffer) return;
    const top = buffer.at(firstIndex)?.seq ?? Number.MIN_SAFE_INTEGER;
    jumpTo(result.matches.find((m) => m.seq >= top) ?? result.matches[0] ?? null);
  }, [search]); // only when the query changes, not when lines arrive

  function step(dir: 1 | -1): void {
    const next = stepMatch(currentIndex, result.matches.length, dir);
    jumpTo(next >= 0 ? result.matches[next]! : null);
  }

  const status = pager?.status;
  const loadingInitial = !pager || status?.loading === 'initial';
  const matchLabel = search
    ? result.matches.length === 0
      ? buffer && (!buffer.reachedStart || !buffer.atEnd)
        ? 'No matches in the loaded lines'
        : 'No matches'
      : `${currentIndex + 1} / ${result.matches.length}${result.truncated ? '+' : ''}`
    : '';

  return (
    <div className={`log-view${wrap ? ' wrap' : ''}`} data-testid="log-view">
      <LogToolbar
        rank={rank}
        ranks={ranks}
        onRank={setRank}
        query={query}
        onQuery={setQuery}
        onStep={step}
        matchLabel={matchLabel}
        hasMatches={result.matches.length > 0}
        wrap={wrap}
        onWrap={() => setWrap((w) => !w)}
        following={following}
        onFollow={toggleFollow}
        live={live}
      />

      {status?.error && count > 0 ? (
        <div className="log-status">
          <InlineError prefix="Could not read more log lines" message={status.error} />
          <button type="button" className="btn btn-small" onClick={() => checkEdges()}>
            Try again
          </button>
        </div>
      ) : null}

      <div
        ref={scrollRef}
        className="log-scroll"
        onScroll={onScroll}
        onWheel={markUserScroll}
        onPointerDown={markUserScroll}
        onTouchMove={markUserScroll}
        onKeyDown={markUserScroll}
        tabIndex={0}
        role="log"
        aria-label="Log lines"
        aria-busy={loadingInitial}
        style={{ height: shortHeight(virtualizer.getTotalSize(), count) }}
      >
        {count === 0 ? (
          <div className="log-empty">
            {loadingInitial ? (
              <span className="muted">
                <Spinner size={13} /> Reading the log…
              </span>
            ) : status?.error ? (
              <div data-testid="log-error">
                <InlineError prefix="Could not read the log" message={status.error} />
                <button type="button" className="btn btn-small" onClick={() => setEpoch((n) => n + 1)}>
                  <RefreshIcon size={13} /> Try again
                </button>
              </div>
            ) : (
              <span className="muted">{live ? 'No output yet — lines appear here as the job prints them.' : 'This job printed nothing.'}</span>
            )}
          </div>
        ) : (
          <div className="log-lines" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const entry = buffer?.at(item.index);
              if (!entry) return null;
              return (
                <LogRow
                  key={item.key}
                  entry={entry}
                  index={item.index}
                  top={item.start}
                  query={search}
                  currentStart={active && active.seq === entry.seq ? active.start : -1}
                  measure={wrap ? virtualizer.measureElement : undefined}
                />
              );
            })}
          </div>
        )}
      </div>
      {buffer && count > 0 ? (
        <LogFooter
          count={count}
          loadingOlder={status?.loading === 'older'}
          reachedStart={buffer.reachedStart}
          canPageOlder={buffer.olderCursor() !== null}
          atEnd={buffer.atEnd}
          onReopen={jumpToLatest}
        />
      ) : null}
    </div>
  );
}

/** A short log gets a short box; longer ones the CSS height (which the user may resize). */
function shortHeight(total: number, count: number): number | undefined {
  if (count === 0) return 120;
  return total < 440 ? Math.max(120, total + 8) : undefined;
}
