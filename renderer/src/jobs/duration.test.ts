import { describe, expect, it } from 'vitest';
import { formatDuration, formatFullTimestamp, formatTimestamp, jobDuration } from './duration';

describe('formatDuration', () => {
  it('picks the two largest units', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(2 * 3600_000 + 3 * 60_000 + 59_000)).toBe('2h 03m');
    expect(formatDuration(4 * 86400_000 + 7 * 3600_000)).toBe('4d 07h');
  });
  it('never shows nonsense', () => {
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(Number.NaN)).toBe('0s');
  });
});

describe('jobDuration', () => {
  it('is null before the start, ticks while running, fixed once finished', () => {
    expect(jobDuration({ startedAt: null, finishedAt: null }, 5000)).toBeNull();
    expect(jobDuration({ startedAt: 1000, finishedAt: null }, 5000)).toBe(4000);
    expect(jobDuration({ startedAt: 1000, finishedAt: 3000 }, 9000)).toBe(2000);
    expect(jobDuration({ startedAt: 1000, finishedAt: null }, 500)).toBe(0); // clock skew
  });
});

describe('formatTimestamp', () => {
  const now = new Date(2025, 2, 3, 18, 0, 0).getTime();
  it('shows only the clock today', () => {
    expect(formatTimestamp(new Date(2025, 2, 3, 14, 3, 12).getTime(), now)).toBe('14:03');
    expect(formatTimestamp(new Date(2025, 2, 3, 9, 3, 2).getTime(), now, true)).toBe('09:03:02');
  });
  it('adds the day this year and the year before that', () => {
    expect(formatTimestamp(new Date(2025, 0, 15, 8, 30).getTime(), now)).toBe('Jan 15 08:30');
    expect(formatTimestamp(new Date(2024, 11, 31, 23, 59).getTime(), now)).toBe('Dec 31 2024');
  });
  it('formats a full local timestamp', () => {
    expect(formatFullTimestamp(new Date(2025, 2, 3, 14, 3, 12).getTime())).toBe('2025-03-03 14:03:12');
  });
});
