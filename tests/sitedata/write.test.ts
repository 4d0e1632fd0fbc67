/** The site-data writer with swapped effects: what it writes where, and that no write is left running when one fails. */
import { describe, expect, it } from 'vitest';
import { toDay } from '../../src/lib/dates.ts';
import { siteDataContents } from '../../src/sitedata/contents.ts';
import type { SiteData } from '../../src/sitedata/schema.ts';
import { writeSiteData, type WriteEffects } from '../../src/sitedata/write.ts';

const data: SiteData = {
  build: {
    source: 'test',
    asOf: toDay('2026-11-10'),
    from: toDay('2026-11-02'),
    to: toDay('2026-11-08'),
    finalityDays: 10,
    pipelineVersion: 5,
    spec: 'spec',
    sampleRate: 1,
    chartConfig: { location: 'config.txt', sha256: 'c', text: 'chart\n' },
    uploadConfig: { location: 'config.json', sha256: 'u', text: '{}\n' },
    reference: null,
  },
  weeks: [
    {
      info: { week: toDay('2026-11-08'), days: [], present: [], absent: [], missing: [], suspectDays: [], complete: true, provisional: true, reports: 0 },
      published: {
        week: toDay('2026-11-08'),
        reports: 0,
        programs: [
          {
            program: 'p',
            reports: 0,
            charts: [],
            stacks: [{ program: 'p', chart: 's', n: 0, distinct: 0, top: [] }],
            skew: [],
            adjustment: null,
            compositionShifts: [],
          },
        ],
      },
    },
  ],
  flagged: [],
  comparisons: [],
  minCell: 10,
  smallCells: 'group',
  programs: [
    {
      program: 'p',
      slug: 'p',
      versions: [],
      charts: [
        {
          program: 'p',
          chart: 's',
          slug: 's',
          kind: 'stack',
          type: 'stack',
          title: 's',
          description: '',
          issues: [],
          expression: '',
          rate: 1,
          minVersion: '',
          buckets: [],
          inChartConfig: true,
        },
      ],
    },
  ],
  quality: [],
  suspect: [],
  notCollected: [],
};

function recorder(fail?: string) {
  const dirs: string[] = [];
  const files = new Map<string, string>();
  const settled: string[] = [];
  const fx: WriteEffects = {
    mkdir: async (d) => {
      dirs.push(d);
    },
    writeFile: async (p, text) => {
      await new Promise((r) => setTimeout(r, p.endsWith('.csv') ? 20 : 0));
      settled.push(p);
      if (p === fail) throw Object.assign(new Error(`EIO: ${p}`), { code: 'EIO', path: p });
      files.set(p, text);
    },
  };
  return { fx, dirs, files, settled };
}

describe('writeSiteData', () => {
  it('writes each file of siteDataContents under the folder, its folders made first', async () => {
    const r = recorder();
    const written = await writeSiteData('/out', data, r.fx);
    const contents = siteDataContents(data);
    expect(written).toEqual([...contents.keys()].sort());
    expect(new Map([...r.files].map(([p, t]) => [p.slice('/out/'.length), t]))).toEqual(contents);
    expect(r.dirs.sort()).toEqual(['/out', '/out/charts/p', '/out/config', '/out/programs']);
    expect(r.files.get('/out/stacks.csv')).toBe('week,program,chart,stack,x,n,share,ci95_low,ci95_high,events,provisional\n');
  });

  it('reports a failed write only after every other write has settled', async () => {
    const r = recorder('/out/changes.json');
    await expect(writeSiteData('/out', data, r.fx)).rejects.toThrow('EIO: /out/changes.json');
    // The CSV writes finish last (20 ms later) and had settled before the error came back.
    expect(r.settled.length).toBe(siteDataContents(data).size);
    expect(r.files.has('/out/estimates.csv')).toBe(true);
  });
});
