import { describe, expect, it } from 'vitest';
import { addDays, dayRange, daysBetween, daysOfWeek, isDay, mondayOf, weekOf } from '../../src/lib/dates.ts';

describe('dates', () => {
  it('accepts only real calendar days', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2023-02-29')).toBe(false);
    expect(isDay('2024-13-01')).toBe(false);
    expect(isDay('2024-1-01')).toBe(false);
    expect(isDay(' 2024-01-01')).toBe(false);
    expect(isDay(20240101)).toBe(false);
  });
  it('bins days Monday..Sunday, named by the Sunday', () => {
    // 2024-01-07 is a Sunday.
    expect(weekOf('2024-01-01')).toBe('2024-01-07'); // Monday
    expect(weekOf('2024-01-07')).toBe('2024-01-07'); // Sunday
    expect(weekOf('2024-01-08')).toBe('2024-01-14');
    expect(mondayOf('2024-01-07')).toBe('2024-01-01');
    expect(daysOfWeek('2024-01-07')).toEqual(dayRange('2024-01-01', '2024-01-07'));
  });
  it('does day arithmetic across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2023-12-25', '2024-01-07')).toBe(13);
    expect(dayRange('2024-12-30', '2025-01-02')).toHaveLength(4);
  });
});
