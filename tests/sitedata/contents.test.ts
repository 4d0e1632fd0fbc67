/** The site data as file contents, from a small hand-built SiteData: exact bytes of every table and the files the index lists. */
import { figure } from '../../src/sitedata/figures.ts';
import { describe, expect, it } from 'vitest';
import { toDay, type Day } from '../../src/lib/dates.ts';
import type { PublishedBucket, PublishedWeek } from '../../src/estimate/publish.ts';
import { zeroBucket } from '../../src/estimate/weekly.ts';
import { siteDataContents, siteDataFiles } from '../../src/sitedata/contents.ts';
import type { ChartWeekParts, PartsCache, WeekDigest } from '../../src/sitedata/parts.ts';
import type { ChartFile, ChartInfo, CounterChartWeek, IndexFile, SiteData, StackChartWeek } from '../../src/sitedata/schema.ts';

const FORMULA = '=SUM(A1)';

function info(chart: string, kind: ChartInfo['kind'], buckets: string[], slug = chart): ChartInfo {
  return {
    program: 'cmd/go',
    chart,
    slug,
    kind,
    type: kind === 'stack' ? 'stack' : 'partition',
    title: chart,
    description: '',
    issues: [],
    expression: '',
    rate: kind === 'counter' ? 0.5 : 1,
    minVersion: '',
    buckets,
    inChartConfig: kind !== 'metadata',
  };
}

function bucket(name: string, x: number, n: number, extra: Partial<PublishedBucket> = {}): PublishedBucket {
  return {
    bucket: name,
    x,
    share: x / n,
    ci: [0.1, 0.9],
    naiveShare: x / 40,
    events: 3 * x,
    meanEvents: { estimate: 3, se: 0.5, interval: [2, 4], n },
    eventShare: { estimate: 0.25, se: 0.05, interval: [0.15, 0.35], n },
    composition: null,
    status: 'published',
    ...extra,
  };
}

/** One week of cmd/go: GOOS saw linux only; the counter has a published, a hidden and a grouped bucket; two stacks, one below k. */
function week(w: Day, change: PublishedBucket['change']): PublishedWeek {
  return {
    week: w,
    reports: 20,
    programs: [
      {
        program: 'cmd/go',
        reports: 20,
        charts: [
          {
            program: 'cmd/go',
            chart: 'GOOS',
            kind: 'metadata',
            n: 20,
            nActive: 0,
            buckets: [bucket('linux', 20, 20, { events: 0, meanEvents: null, eventShare: null })],
            other: null,
          },
          {
            program: 'cmd/go',
            chart: 'go/mode',
            kind: 'counter',
            n: 20,
            nActive: 16,
            buckets: [
              bucket('build', 12, 20, { change }),
              bucket(FORMULA, 0, 20, { status: 'hidden' }),
              bucket('vet', 4, 20, { status: 'grouped', eventsHidden: 'dominance' }),
            ],
            other: { label: 'other (each < 10)', members: ['vet'], x: null, share: null, ci: null, suppressed: true },
          },
        ],
        stacks: [
          {
            program: 'cmd/go',
            chart: 'go/bug',
            n: 20,
            distinct: 2,
            top: [
              { stack: 'go/bug\nmain.main:+1', x: 11, share: 0.55, ci: [0.34, 0.74], events: 14 },
              { stack: 'rare', x: 2, share: 0.1, ci: [0.03, 0.3], events: 2 },
            ],
          },
        ],
        skew: [],
        adjustment: null,
        compositionShifts: [],
      },
    ],
  };
}

const charts = [
  info('GOOS', 'metadata', ['darwin', 'linux']),
  info('go/mode', 'counter', ['build', FORMULA, 'vet'], 'go-mode'),
  info('go/bug', 'stack', [], 'go-bug'),
];
const weeks = [
  {
    info: { week: toDay('2026-11-01'), days: [], present: [], absent: [], missing: [], suspectDays: [], complete: true, provisional: false, reports: 20 },
    published: week(toDay('2026-11-01'), null),
  },
  {
    info: { week: toDay('2026-11-08'), days: [], present: [], absent: [], missing: [], suspectDays: [], complete: true, provisional: true, reports: 20 },
    published: week(toDay('2026-11-08'), { difference: -0.05, ci: [-0.2, 0.1], p: 0.5, adjustedP: 0.9, flagged: false, failed: [] }),
  },
];
const data: SiteData = {
  build: {
    source: 'test',
    asOf: toDay('2026-11-10'),
    from: toDay('2026-10-26'),
    to: toDay('2026-11-08'),
    finalityDays: 10,
    pipelineVersion: 5,
    spec: 'spec',
    sampleRate: 1,
    chartConfig: { location: 'config.txt', sha256: 'c', text: 'chart config text\n' },
    uploadConfig: { location: 'config.json', sha256: 'u', text: '{"upload":1}\n' },
    reference: null,
  },
  weeks,
  flagged: [],
  comparisons: [],
  minCell: 10,
  // The fixture has a hidden bucket, which only complementary suppression makes.
  smallCells: 'suppress-complements',
  programs: [{ program: 'cmd/go', slug: 'cmd-go', versions: ['go1.23.1'], charts }],
  quality: [],
  suspect: [],
  notCollected: [],
};

describe('siteDataContents', () => {
  const files = siteDataContents(data);

  it('writes every file the index lists, and no other', () => {
    const index = JSON.parse(files.get('index.json')!) as IndexFile;
    const expected = [
      'breakdowns.csv',
      'changes.json',
      'charts/cmd-go/GOOS.json',
      'charts/cmd-go/go-bug.json',
      'charts/cmd-go/go-mode.json',
      'config/chart-config.txt',
      'config/upload-config.json',
      'estimates.csv',
      'index.json',
      'programs/cmd-go.json',
      'quality.json',
      'stacks.csv',
    ];
    expect(index.files).toEqual(expected);
    expect([...files.keys()].sort()).toEqual(expected);
    expect(index.programs[0]!.charts.map((c) => c.file)).toEqual(['charts/cmd-go/GOOS.json', 'charts/cmd-go/go-mode.json', 'charts/cmd-go/go-bug.json']);
    expect(index.latestFinalWeek).toBe('2026-11-01');
    expect(files.get('config/chart-config.txt')).toBe('chart config text\n');
    expect(files.get('changes.json')).toBe('{"changes":[],"comparisons":[],"minCell":10}\n');
  });

  it('writes estimates.csv week by week, charts in their order, withheld buckets without figures and grouped ones in the other row', () => {
    const [lo, hi] = zeroBucket('darwin', 20).ci.map((v) => figure(v));
    const head =
      'week,program,chart,bucket,x,n,share,ci95_low,ci95_high,provisional,kind,rate,naive_share,events,mean_events,mean_events_ci95_low,mean_events_ci95_high,event_share,event_share_ci95_low,event_share_ci95_high,adj_share,adj_ci95_low,adj_ci95_high,n_eff,small_cell,change,change_ci95_low,change_ci95_high,change_p,change_p_adjusted,change_flagged,events_median,events_p90,mean_approximate';
    const weekRows = (w: string, provisional: boolean, change: string) => [
      `${w},cmd/go,GOOS,darwin,0,20,0,${lo},${hi},${provisional},metadata,1,0,,,,,,,,,,,,,,,,,,,,,`,
      `${w},cmd/go,GOOS,linux,20,20,1,0.1,0.9,${provisional},metadata,1,0.5,,,,,,,,,,,,,,,,,,,,,`,
      `${w},cmd/go,go/mode,build,12,20,0.6,0.1,0.9,${provisional},counter,0.5,0.3,36,3,2,4,0.25,0.15,0.35,,,,,,${change},,,`,
      `${w},cmd/go,go/mode,"'${FORMULA}",,20,,,,${provisional},counter,0.5,,,,,,,,,,,,,hidden,,,,,,,,,`,
      `${w},cmd/go,go/mode,other (each < 10),,20,,,,${provisional},counter,0.5,,,,,,,,,,,,,suppressed,,,,,,,,,`,
    ];
    expect(files.get('estimates.csv')).toBe(
      [head, ...weekRows('2026-11-01', false, ',,,,,'), ...weekRows('2026-11-08', true, '-0.05,-0.2,0.1,0.5,0.9,false')].join('\n') + '\n',
    );
  });

  it('lists every stack under the default policy, and records the policy in index.json', () => {
    const grouped = siteDataContents({ ...data, smallCells: 'group' });
    expect(grouped.get('stacks.csv')).toBe(
      [
        'week,program,chart,stack,x,n,share,ci95_low,ci95_high,events,provisional',
        '2026-11-01,cmd/go,go/bug,"go/bug\nmain.main:+1",11,20,0.55,0.34,0.74,14,false',
        '2026-11-01,cmd/go,go/bug,rare,2,20,0.1,0.03,0.3,2,false',
        '2026-11-08,cmd/go,go/bug,"go/bug\nmain.main:+1",11,20,0.55,0.34,0.74,14,true',
        '2026-11-08,cmd/go,go/bug,rare,2,20,0.1,0.03,0.3,2,true',
      ].join('\n') + '\n',
    );
    const stack = JSON.parse(grouped.get('charts/cmd-go/go-bug.json')!) as ChartFile;
    expect(stack.weeks.map((x) => (x as StackChartWeek).notShown)).toEqual([0, 0]);
    expect((JSON.parse(grouped.get('index.json')!) as IndexFile).build.smallCells).toBe('group');
    expect((JSON.parse(files.get('index.json')!) as IndexFile).build.smallCells).toBe('suppress-complements');
  });

  it('with suppress-complements, writes stacks.csv with the stacks seen by at least k installations', () => {
    expect(files.get('stacks.csv')).toBe(
      [
        'week,program,chart,stack,x,n,share,ci95_low,ci95_high,events,provisional',
        '2026-11-01,cmd/go,go/bug,"go/bug\nmain.main:+1",11,20,0.55,0.34,0.74,14,false',
        '2026-11-08,cmd/go,go/bug,"go/bug\nmain.main:+1",11,20,0.55,0.34,0.74,14,true',
      ].join('\n') + '\n',
    );
  });

  it('writes chart files whose withheld buckets carry their name and status only', () => {
    const counter = JSON.parse(files.get('charts/cmd-go/go-mode.json')!) as ChartFile;
    const w = counter.weeks[0] as CounterChartWeek;
    expect(w.buckets.map((b) => b.bucket)).toEqual(['build', FORMULA, 'vet']);
    expect(w.buckets[1]).toEqual({ bucket: FORMULA, status: 'hidden' });
    expect(w.buckets[2]).toEqual({ bucket: 'vet', status: 'grouped' });
    const stack = JSON.parse(files.get('charts/cmd-go/go-bug.json')!) as ChartFile;
    expect(stack.weeks.map((x) => (x as StackChartWeek).notShown)).toEqual([1, 1]);
    expect(files.get('charts/cmd-go/go-mode.json')!.endsWith('}\n')).toBe(true);
  });

  it('with suppress-complements, shows a change from a value the week before did not see, whatever the week before that saw', () => {
    const change = { difference: 0.1, ci: [0.05, 0.15] as [number, number], p: 0.01, adjustedP: 0.02, flagged: true, failed: [] };
    const goos = (w: SiteData['weeks'][number]) => w.published!.programs[0]!.charts[0]!;
    const darwin = (d: SiteData) =>
      ((JSON.parse(siteDataContents(d).get('charts/cmd-go/GOOS.json')!) as ChartFile).weeks[1] as CounterChartWeek).buckets.find((b) => b.bucket === 'darwin')!;
    const seen = structuredClone(data);
    goos(seen.weeks[1]!).buckets.push(bucket('darwin', 2, 20, { events: 0, meanEvents: null, eventShare: null, change }));
    expect(darwin(seen)).toMatchObject({ status: 'published', change });
    // The week before's chart holding it as a zero (publishWeeks adds one when the week before that saw it) changes nothing.
    const zero = structuredClone(seen);
    goos(zero.weeks[0]!).buckets.push({ ...zeroBucket('darwin', 20), status: 'published' });
    expect(darwin(zero)).toEqual(darwin(seen));
    // Withheld the week before: the change would give its count away.
    const hidden = structuredClone(seen);
    goos(hidden.weeks[0]!).buckets.push(bucket('darwin', 2, 20, { status: 'hidden' }));
    expect(darwin(hidden)).toMatchObject({ change: null });
  });

  it('is a pure function: the same data gives the same bytes', () => {
    expect(siteDataContents(structuredClone(data))).toEqual(files);
  });

  /** A parts cache in memory: what one build makes, the next one keeps. */
  function memoryCache() {
    const kept = new Map<string, ChartWeekParts>();
    const digests = new Map<string, WeekDigest>();
    const made: string[] = [];
    const madeDigests: string[] = [];
    const cache: PartsCache = {
      get: (week, chart) => kept.get(`${week} ${chart}`),
      has: (week, chart) => kept.has(`${week} ${chart}`),
      made: (week, chart, parts) => {
        made.push(`${week} ${chart}`);
        kept.set(`${week} ${chart}`, parts);
      },
      digest: (week) => digests.get(week),
      madeDigest: (week, d) => {
        madeDigests.push(week);
        digests.set(week, d);
      },
    };
    return { kept, digests, made, madeDigests, cache };
  }

  it('gives the same bytes with kept chart weeks as without, and takes the kept ones as they are', () => {
    const { kept, made: madeFirst, madeDigests, cache } = memoryCache();
    const first = new Map(siteDataFiles(structuredClone(data), cache));
    expect(first).toEqual(files);
    // Every chart week: 4 charts, 2 weeks; and both weeks' digests.
    expect(madeFirst).toHaveLength(charts.length * weeks.length);
    expect(new Set(madeFirst).size).toBe(madeFirst.length);
    expect(madeDigests).toEqual(weeks.map((w) => w.info.week));

    madeFirst.length = 0;
    expect(new Map(siteDataFiles(structuredClone(data), cache))).toEqual(files);
    expect(madeFirst).toEqual([]);

    // Weeks taken whole from the kept parts: without their published estimates but as the week before a made one.
    const withKept = (keep: (wi: number) => 'kept' | 'kept, before a made week' | 'made'): SiteData => {
      const d = structuredClone(data);
      d.weeks = d.weeks.map((w, wi) => {
        const how = keep(wi);
        if (how === 'made') return w;
        return how === 'kept' ? { info: w.info, kept: true } : { ...w, kept: true };
      });
      d.flagged = d.flagged.filter((f) => keep(d.weeks.findIndex((w) => w.info.week === f.week)) === 'made');
      d.comparisons = [];
      return d;
    };
    madeDigests.length = 0;
    expect(
      new Map(
        siteDataFiles(
          withKept(() => 'kept'),
          cache,
        ),
      ),
    ).toEqual(files);
    expect(
      new Map(
        siteDataFiles(
          withKept((wi) => (wi === 0 ? 'kept, before a made week' : 'made')),
          cache,
        ),
      ),
    ).toEqual(files);
    expect(madeFirst).toEqual([]);
    expect(madeDigests).toEqual([weeks[1]!.info.week]);
    // A kept week the cache does not keep whole is an error, never a file made without it.
    const { cache: empty } = memoryCache();
    expect(() => [
      ...siteDataFiles(
        withKept(() => 'kept'),
        empty,
      ),
    ]).toThrow(/was to be taken from the last build/);

    // A kept part is written as it is, without being made again: the first week of go-mode, marked.
    const key = [...kept.keys()].find((k) => k.startsWith('2026-11-01 '))!;
    const marked = kept.get(key)!;
    kept.set(key, { ...marked, json: marked.json.replace('"n":', '"n_marked":'), estimates: 'marked row\n' });
    const changed = new Map(
      siteDataFiles(
        withKept(() => 'kept'),
        cache,
      ),
    );
    const differs = [...changed].filter(([path, text]) => text !== files.get(path)).map(([path]) => path);
    expect(differs).toContain('estimates.csv');
    expect(differs.filter((p) => p.startsWith('charts/'))).toHaveLength(1);
    expect(changed.get('estimates.csv')!.split('\n')).toContain('marked row');
  });
});
