import { describe, expect, it } from 'vitest';
import { addDays, type Day, dayRange, daysBetween, daysOfWeek, isDay, mondayOf, toDay, weekOf } from '../../src/lib/dates.ts';

describe('dates', () => {
  it('accepts only real calendar days', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2023-02-29')).toBe(false);
    expect(isDay('2024-13-01')).toBe(false);
    expect(isDay('2024-1-01')).toBe(false);
    expect(isDay(' 2024-01-01')).toBe(false);
    expect(isDay(20240101)).toBe(false);
  });
  it('makes a Day only of a real calendar day', () => {
    expect(toDay('2024-02-29')).toBe('2024-02-29');
    expect(() => toDay('2023-02-29')).toThrow(RangeError);
    expect(() => toDay('2024-01-01T00:00:00Z')).toThrow(/not a calendar day/);
    // @ts-expect-error a plain string is not a Day
    const day: Day = '2024-01-01';
    expect(isDay(day)).toBe(true);
  });
  it('bins days Monday..Sunday, named by the Sunday', () => {
    // 2024-01-07 is a Sunday.
    expect(weekOf(toDay('2024-01-01'))).toBe(toDay('2024-01-07')); // Monday
    expect(weekOf(toDay('2024-01-07'))).toBe(toDay('2024-01-07')); // Sunday
    expect(weekOf(toDay('2024-01-08'))).toBe(toDay('2024-01-14'));
    expect(mondayOf(toDay('2024-01-07'))).toBe(toDay('2024-01-01'));
    expect(daysOfWeek(toDay('2024-01-07'))).toEqual(dayRange(toDay('2024-01-01'), toDay('2024-01-07')));
  });
  it('does day arithmetic across months and leap days', () => {
    expect(addDays(toDay('2024-02-28'), 1)).toBe(toDay('2024-02-29'));
    expect(addDays(toDay('2024-03-01'), -1)).toBe(toDay('2024-02-29'));
    expect(daysBetween(toDay('2023-12-25'), toDay('2024-01-07'))).toBe(13);
    expect(dayRange(toDay('2024-12-30'), toDay('2025-01-02'))).toHaveLength(4);
  });
});
