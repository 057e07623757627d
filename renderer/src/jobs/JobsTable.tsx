/**
 * The jobs table: virtualized (only the rows in view exist in the DOM, so thousands of jobs stay
 * smooth), Up/Down/PageUp/PageDown/Home/End move the selection, Enter or a click opens a job.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { JobSummary } from '../../../engine/api/contract';
import { jobHref } from '../routes';
import { ownerLabel } from './job-owner';
import { formatDuration, formatFullTimestamp, formatTimestamp, jobDuration } from './duration';
import { nextSelection } from './jobs-filter';
import { exitLabel, shapeLabel } from './jobs-list';
import { JobStatusBadge } from './JobStatusBadge';
import { useNow } from './use-now';

const ROW_HEIGHT = 34;
const COLUMNS = ['Status', 'Name', 'Backend', 'Nodes×procs', 'Started', 'Duration', 'Exit'] as const;

const BACKEND_LABELS: Record<JobSummary['backend'], string> = {
  'local-process': 'Processes',
  container: 'Containers',
  kubernetes: 'Kubernetes',
};

export function backendLabel(job: Pick<JobSummary, 'backend' | 'target'>): string {
  const base = BACKEND_LABELS[job.backend];
  return job.backend === 'kubernetes' && job.target ? `${base} (${job.target})` : base;
}

export function JobsTable({
  jobs,
  selectedId,
  onSelect,
  onOpen,
  onNearEnd,
  footer,
  viewKey,
}: {
  jobs: readonly JobSummary[];
  selectedId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
  /** The user scrolled close to the last loaded row: load more. */
  onNearEnd(): void;
  footer?: string;
  /** Changes with the filter and search: the view goes back to the top (or the selected row). */
  viewKey: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => jobs[i]?.id ?? i,
    overscan: 12,
    scrollPaddingStart: ROW_HEIGHT, // the sticky header covers the first row's height
  });
  const items = virtualizer.getVirtualItems();
  const selectedIndex = selectedId === null ? -1 : jobs.findIndex((j) => j.id === selectedId);
  const anyRunning = items.some((it) => {
    const s = jobs[it.index]?.status;
    return s === 'Running' || s === 'Created';
  });
  const now = useNow(anyRunning);

  const lastIndex = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= jobs.length - 30) onNearEnd();
  }, [lastIndex, jobs.length, onNearEnd]);

  // Keep the selected row in view (keyboard, and coming back from a job's page).
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // Another filter: start from the top unless the selected job is still shown.
  const selectedShown = selectedIndex >= 0;
  useEffect(() => {
    if (!selectedShown) virtualizer.scrollToOffset(0);
  }, [viewKey]); // only when the filter changes, not as rows come and go

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.key === 'Enter' && selectedIndex >= 0) {
      e.preventDefault();
      onOpen(jobs[selectedIndex]!.id);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const next = nextSelection(selectedIndex, e.key, jobs.length, page);
    if (next === null) return;
    e.preventDefault();
    onSelect(jobs[next]!.id);
  }

  return (
    <div
      ref={scrollRef}
      className="jobs-table"
      role="grid"
      aria-label="Jobs"
      aria-rowcount={jobs.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? rowDomId(selectedIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (selectedIndex < 0 && jobs[0]) onSelect(jobs[0].id);
      }}
    >
      <div className="jobs-row jobs-head" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div key={c} role="columnheader" className={`jobs-cell col-${c.toLowerCase().replace('×', 'x')}`}>
            {c}
          </div>
        ))}
      </div>
      <div className="jobs-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const job = jobs[item.index]!;
          return (
            <JobRow
              key={item.key}
              job={job}
              index={item.index}
              top={item.start}
              selected={item.index === selectedIndex}
              now={job.status === 'Running' || job.status === 'Created' ? now : 0}
              onOpen={onOpen}
              onSelect={onSelect}
            />
          );
        })}
      </div>
      {footer ? <div className="jobs-footer muted">{footer}</div> : null}
    </div>
  );
}

const rowDomId = (index: number) => `job-row-${index}`;

const JobRow = memo(function JobRow({
  job,
  index,
  top,
  selected,
  now,
  onOpen,
  onSelect,
}: {
  job: JobSummary;
  index: number;
  top: number;
  selected: boolean;
  /** 0 for finished jobs (their duration does not tick, so they need not re-render). */
  now: number;
  onOpen(id: string): void;
  onSelect(id: string): void;
}) {
  const started = job.startedAt ?? null;
  const duration = jobDuration(job, now || Date.now());
  return (
    <div
      id={rowDomId(index)}
      className={`jobs-row jobs-item${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      onMouseDown={() => onSelect(job.id)}
      onClick={(e) => {
        if (e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey) onOpen(job.id);
      }}
    >
      <div role="gridcell" className="jobs-cell col-status">
        <JobStatusBadge status={job.status} />
      </div>
      <div role="gridcell" className="jobs-cell col-name" title={`${job.name}\n${job.id}\n${job.workspace}${job.parentId ? `\nmade from job ${job.parentId}` : ''}${job.owner ? `\n${ownerLabel(job.owner)}` : ''}`}>
        <a href={jobHref(job.id)} tabIndex={-1} className="job-name" onClick={(e) => e.preventDefault()}>
          {job.name}
        </a>
        <span className="job-id muted">{job.id}</span>
        {/* Lineage in the history: re-runs and promotions name the job they came from. */}
        {job.parentId ? (
          <span className="job-parent muted" data-testid="job-parent">
            ↳ {job.parentId}
          </span>
        ) : null}
        {job.owner ? (
          <span className="job-parent muted" data-testid="job-owner">
            ↳ {ownerLabel(job.owner)}
          </span>
        ) : null}
      </div>
      {/* The column is narrow: a cluster target's full name is in the tooltip (and on the job page). */}
      <div role="gridcell" className="jobs-cell col-backend" title={backendLabel(job)}>
        {backendLabel(job)}
      </div>
      <div role="gridcell" className="jobs-cell col-nodesxprocs mono">
        {shapeLabel(job)}
      </div>
      <div role="gridcell" className="jobs-cell col-started" title={formatFullTimestamp(started ?? job.createdAt)}>
        {started !== null ? formatTimestamp(started, Date.now()) : <span className="muted">not started</span>}
      </div>
      <div role="gridcell" className="jobs-cell col-duration mono">
        {duration === null ? <span className="muted">—</span> : formatDuration(duration)}
      </div>
      <div role="gridcell" className="jobs-cell col-exit" title={job.message ?? undefined}>
        {exitLabel(job)}
      </div>
    </div>
  );
});
