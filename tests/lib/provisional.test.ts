/** The trailing run of provisional weeks (src/lib/provisional.ts). */
import { describe, expect, it } from 'vitest';
import { trailingProvisionalStart } from '../../src/lib/provisional.ts';

const weeks = (flags: boolean[]) => flags.map((provisional) => ({ provisional }));

describe('trailing provisional weeks', () => {
  it('starts after the last final week, skipping an incomplete week in the middle', () => {
    expect(trailingProvisionalStart(weeks([false, true, false, true, true]))).toBe(3);
    expect(trailingProvisionalStart(weeks([false, false]))).toBe(2);
    expect(trailingProvisionalStart(weeks([true, true]))).toBe(0);
    expect(trailingProvisionalStart([])).toBe(0);
  });
});
