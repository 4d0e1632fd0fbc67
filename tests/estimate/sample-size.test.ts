import { describe, expect, it } from 'vitest';
import { PRECISION_NOTE_THRESHOLD, precisionNote, requiredSampleSize, requiredSampleSizeRaw } from '../../src/estimate/sample-size.ts';
import { confidenceForHalfWidth, requiredUploads, worstCaseHalfWidth } from '../reference/sample-size.ts';
import * as ref from './fixtures/reference-values.ts';

describe('sample size (§4)', () => {
  it('reproduces the reference table', () => {
    const rows = ref.sampleSize.cases;
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const key = `${r.conf} ±${r.halfWidth}`;
      expect(Math.abs(requiredSampleSizeRaw(r.halfWidth, r.conf, r.p) - r.raw), key).toBeLessThan(1e-6);
      expect(requiredSampleSize(r.halfWidth, r.conf, r.p), key).toBe(r.n);
    }
  });

  it('gives the figures quoted in the text', () => {
    expect(requiredSampleSize(0.01, 0.99)).toBe(16588);
    expect(worstCaseHalfWidth(16000, 0.99)).toBeCloseTo(0.010182, 6);
    expect(confidenceForHalfWidth(16000, 0.01)).toBeCloseTo(0.989, 3);
    expect(requiredSampleSize(0.001, 0.99, 0.01)).toBe(65686); // a 1% bucket to ±0.1 point
    expect(worstCaseHalfWidth(1600, 0.99)).toBeCloseTo(0.032, 3); // 16,000 reports at rate 0.1
    expect(requiredUploads(1600, 0.1)).toBe(16000);
    expect(requiredUploads(1600, 0.1, 0.5)).toBe(8000);
    expect(worstCaseHalfWidth(0)).toBe(Infinity);
    expect(() => requiredSampleSize(0)).toThrow(RangeError);
  });

  it('precision note: M = 100·z99·0.5/√N, note below 16,588, counts only below 50', () => {
    expect(PRECISION_NOTE_THRESHOLD).toBe(16588);
    const at16k = precisionNote(16000);
    expect(at16k.kind).toBe('note');
    expect(at16k.marginPoints).toBeCloseTo(1.0182, 4);
    expect(at16k.threshold).toBe(16588);
    expect(precisionNote(1000).marginPoints).toBeCloseTo((100 * 2.5758293035489004 * 0.5) / Math.sqrt(1000), 12);
    expect(precisionNote(16587).kind).toBe('note');
    expect(precisionNote(16588).kind).toBe('none');
    expect(precisionNote(50).kind).toBe('note');
    expect(precisionNote(49).kind).toBe('countsOnly');
    expect(precisionNote(887.4).kind).toBe('note'); // n_eff need not be an integer
  });
});
