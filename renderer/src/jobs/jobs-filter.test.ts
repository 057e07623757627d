import { describe, expect, it } from 'vitest';
import {
  compareNewestFirst,
  countByFilter,
  filterJobs,
  matchesSearch,
  nextSelection,
  searchTerms,
  statusesFor,
} from './jobs-filter';
import { job } from './test-job';

describe('status chips', () => {
  it('maps chips to API statuses; Running includes Created', () => {
    expect(statusesFor('All')).toBeUndefined();
    expect(statusesFor('Running')).toEqual(['Created', 'Running']);
    expect(statusesFor('Failed')).toEqual(['Failed']);
  });
  it('filters and counts', () => {
    const jobs = [
      job({ id: 'a', status: 'Created' }),
      job({ id: 'b', status: 'Running' }),
      job({ id: 'c', status: 'Failed' }),
      job({ id: 'd', status: 'Cancelled' }),
      job({ id: 'e', status: 'Complete' }),
    ];
    expect(filterJobs(jobs, 'Running', '').map((j) => j.id)).toEqual(['a', 'b']);
    expect(filterJobs(jobs, 'Cancelled', '').map((j) => j.id)).toEqual(['d']);
    expect(filterJobs(jobs, 'All', '')).toBe(jobs); // nothing to filter: same array
    expect(countByFilter(jobs)).toEqual({ All: 5, Running: 2, Complete: 1, Failed: 1, Cancelled: 1 });
  });
});

describe('search', () => {
  const j = job({ id: 'job-7f3a', name: 'mnist-ddp', workspace: '/home/me/Projects/Digits' });
  it('matches name, id and workspace case-insensitively, all terms required', () => {
    expect(searchTerms('  MNIST   digits ')).toEqual(['mnist', 'digits']);
    expect(matchesSearch(j, searchTerms('mnist'))).toBe(true);
    expect(matchesSearch(j, searchTerms('7F3A'))).toBe(true);
    expect(matchesSearch(j, searchTerms('projects/digits'))).toBe(true);
    expect(matchesSearch(j, searchTerms('mnist cifar'))).toBe(false);
    expect(matchesSearch(j, [])).toBe(true);
  });
  it('combines with the status chip', () => {
    const jobs = [j, job({ id: 'x', name: 'mnist-2', status: 'Failed' })];
    expect(filterJobs(jobs, 'Failed', 'mnist').map((r) => r.id)).toEqual(['x']);
  });
});

describe('order and keyboard selection', () => {
  it('sorts newest first with a stable tie-break', () => {
    const jobs = [job({ id: 'a', createdAt: 1 }), job({ id: 'c', createdAt: 3 }), job({ id: 'b', createdAt: 3 })];
    expect(jobs.sort(compareNewestFirst).map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
  it('moves within bounds', () => {
    expect(nextSelection(-1, 'ArrowDown', 5)).toBe(0);
    expect(nextSelection(0, 'ArrowDown', 5)).toBe(1);
    expect(nextSelection(4, 'ArrowDown', 5)).toBe(4);
    expect(nextSelection(0, 'ArrowUp', 5)).toBe(0);
    expect(nextSelection(2, 'PageDown', 50)).toBe(12);
    expect(nextSelection(2, 'PageUp', 50)).toBe(0);
    expect(nextSelection(2, 'End', 50)).toBe(49);
    expect(nextSelection(2, 'Home', 50)).toBe(0);
    expect(nextSelection(2, 'Enter', 50)).toBeNull();
    expect(nextSelection(0, 'ArrowDown', 0)).toBeNull();
  });
});
