/** The log view's toolbar (rank, search, wrap, follow) and its footer (what is loaded). */
import { ChevronDownIcon, ChevronUpIcon, FollowIcon, SearchIcon, WrapIcon } from '../components/Icons';

export function LogToolbar(props: {
  rank: number | null;
  ranks: readonly number[];
  onRank(rank: number | null): void;
  query: string;
  onQuery(query: string): void;
  onStep(dir: 1 | -1): void;
  matchLabel: string;
  hasMatches: boolean;
  wrap: boolean;
  onWrap(): void;
  following: boolean;
  onFollow(): void;
  live: boolean;
}) {
  const { rank, ranks, onRank, query, onQuery, onStep, matchLabel, hasMatches, wrap, onWrap, following, onFollow, live } = props;
  return (
    <div className="log-toolbar">
      <label className="log-rank">
        <span>Rank</span>
        <select
          className="input select"
          value={rank === null ? 'all' : String(rank)}
          onChange={(e) => onRank(e.target.value === 'all' ? null : Number(e.target.value))}
          aria-label="Rank"
        >
          <option value="all">All ranks</option>
          {ranks.map((r) => (
            <option key={r} value={r}>
              r{r}
            </option>
          ))}
        </select>
      </label>
      <label className="search-box log-search">
        <SearchIcon size={13} className="muted" />
        <input
          type="search"
          className="input"
          placeholder="Search logs"
          aria-label="Search logs"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onStep(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') onQuery('');
          }}
        />
      </label>
      <span className="log-match-count muted" aria-live="polite" data-testid="log-match-count">
        {matchLabel}
      </span>
      <button type="button" className="btn btn-small btn-icon" aria-label="Previous match" title="Previous match (Shift+Enter)" onClick={() => onStep(-1)} disabled={!hasMatches}>
        <ChevronUpIcon size={13} />
      </button>
      <button type="button" className="btn btn-small btn-icon" aria-label="Next match" title="Next match (Enter)" onClick={() => onStep(1)} disabled={!hasMatches}>
        <ChevronDownIcon size={13} />
      </button>
      <span className="log-toolbar-gap" />
      <button type="button" className={`btn btn-small toggle${wrap ? ' on' : ''}`} aria-pressed={wrap} onClick={onWrap} title="Wrap long lines">
        <WrapIcon size={13} />
        <span className="btn-label">Wrap</span>
      </button>
      <button
        type="button"
        className={`btn btn-small toggle${following ? ' on' : ''}`}
        aria-pressed={following}
        onClick={onFollow}
        title={live ? 'Keep showing the newest lines' : 'Stay at the last line'}
      >
        <FollowIcon size={13} />
        <span className="btn-label">Follow</span>
      </button>
    </div>
  );
}

export function LogFooter(props: {
  count: number;
  loadingOlder: boolean;
  reachedStart: boolean;
  canPageOlder: boolean;
  atEnd: boolean;
  onReopen(): void;
}) {
  const { count, loadingOlder, reachedStart, canPageOlder, atEnd, onReopen } = props;
  const older = loadingOlder
    ? 'loading older lines…'
    : reachedStart
      ? 'from the first line'
      : canPageOlder
        ? 'older lines load as you scroll up'
        : 'older lines were let go to save memory';
  const reopen = !atEnd ? 'Newer lines were let go to page older ones in.' : !reachedStart && !canPageOlder ? 'Reopen to page older lines again.' : null;
  return (
    <div className="log-footer muted" data-testid="log-footer">
      <span>
        {count.toLocaleString('en-US')} {count === 1 ? 'line' : 'lines'} loaded · {older}
      </span>
      {reopen ? (
        <span className="log-footer-action">
          {reopen}{' '}
          <button type="button" className="btn btn-small" onClick={onReopen}>
            Jump to latest
          </button>
        </span>
      ) : null}
    </div>
  );
}
