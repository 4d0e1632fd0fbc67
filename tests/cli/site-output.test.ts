/**
 * The no-change skip of `npm run build`: the digest of a site's inputs and
 * the kept copy of the last site, restored byte for byte only when every
 * input is the same.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/cli/output.ts';
import { SavedSite, siteDigest, sourcesDigest } from '../../src/cli/site-output.ts';

/** The digest `npm run build` keeps its site under: the sources and options, then the site data. */
const digestOf = async (project: string, data: string, o: Record<string, string | null>) => siteDigest(await sourcesDigest(project, o), data);

const tmp = mkdtempSync(join(tmpdir(), 'site-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), text);
  }
}

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out[relative(root, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), 'utf8');
  return out;
}

describe('siteDigest of sourcesDigest', () => {
  const project = join(tmp, 'project');
  const data = join(tmp, 'data');
  write(project, {
    'src/pages/index.astro': '<p>hi</p>',
    'src/site/charts.ts': 'export {}',
    'public/site.js': '1',
    'astro.config.mjs': 'export default {}',
    'package.json': '{}',
    'package-lock.json': '{}',
    'tsconfig.json': '{}',
    'tests/unrelated.test.ts': 'x',
  });
  write(data, { 'index.json': '{"weeks":[]}', 'charts/a.json': '[1]' });
  const opts = { base: '/', siteUrl: null };

  it('is the same for the same inputs and changes with each of them', async () => {
    const d = await digestOf(project, data, opts);
    expect(await digestOf(project, data, { ...opts })).toBe(d);
    // Files outside the site's inputs do not count.
    writeFileSync(join(project, 'tests/unrelated.test.ts'), 'y');
    expect(await digestOf(project, data, opts)).toBe(d);

    const changed = async (edit: () => void, undo: () => void, o: Record<string, string | null> = opts) => {
      edit();
      const x = await digestOf(project, data, o);
      undo();
      expect(await digestOf(project, data, opts)).toBe(d);
      return x;
    };
    const seen = new Set([d]);
    const variants = [
      await changed(
        () => writeFileSync(join(project, 'src/site/charts.ts'), 'export {};'),
        () => writeFileSync(join(project, 'src/site/charts.ts'), 'export {}'),
      ),
      await changed(
        () => writeFileSync(join(project, 'src/site/new.ts'), ''),
        () => rmSync(join(project, 'src/site/new.ts')),
      ),
      await changed(
        () => writeFileSync(join(project, 'public/site.js'), '2'),
        () => writeFileSync(join(project, 'public/site.js'), '1'),
      ),
      await changed(
        () => writeFileSync(join(project, 'package-lock.json'), '{ }'),
        () => writeFileSync(join(project, 'package-lock.json'), '{}'),
      ),
      await changed(
        () => writeFileSync(join(project, 'astro.config.mjs'), 'export default { }'),
        () => writeFileSync(join(project, 'astro.config.mjs'), 'export default {}'),
      ),
      await changed(
        () => writeFileSync(join(data, 'charts/a.json'), '[2]'),
        () => writeFileSync(join(data, 'charts/a.json'), '[1]'),
      ),
      // A file renamed with the same bytes.
      await changed(
        () => cpSync(join(data, 'charts/a.json'), join(data, 'charts/b.json')) ?? rmSync(join(data, 'charts/a.json')),
        () => cpSync(join(data, 'charts/b.json'), join(data, 'charts/a.json')) ?? rmSync(join(data, 'charts/b.json')),
      ),
      await changed(
        () => {},
        () => {},
        { base: '/telemetry/', siteUrl: null },
      ),
      await changed(
        () => {},
        () => {},
        { base: '/', siteUrl: 'https://example.org/' },
      ),
    ];
    for (const v of variants) {
      expect(seen.has(v)).toBe(false);
      seen.add(v);
    }
  });
});

describe('SavedSite', () => {
  const cache = join(tmp, 'cache');
  const built = join(tmp, 'built');
  // As Astro leaves the folder it builds into: without the output marker, which is written when the folder is put in place.
  write(built, { 'index.html': '<p>a</p>', 'charts/x/index.html': '<p>x</p>', 'charts/x/1.png': '\x89PNG' });
  const saved = new SavedSite(cache);
  /** A fresh staged output folder: empty but for its marker. */
  const staged = (name: string) => {
    write(join(tmp, name), { [OUTPUT_MARKER]: 'marker\n' });
    return join(tmp, name);
  };
  const published = join(tmp, 'published');
  cpSync(built, published, { recursive: true });
  write(published, { [OUTPUT_MARKER]: 'marker\n' });

  it('restores the kept site byte for byte for the same digest, and only then', async () => {
    await saved.save('d1', built);
    // The live folder already holds it (with its marker): nothing to copy.
    expect(await saved.restore('d1', published, staged('unused'))).toBe('current');
    expect(readdirSync(join(tmp, 'unused'))).toEqual([OUTPUT_MARKER]);
    // No live folder (CI restores only the cache): copied into the staged folder.
    const dest = staged('dest');
    expect(await saved.restore('d1', join(tmp, 'absent'), dest)).toBe('restored');
    expect(tree(dest)).toEqual(tree(published));
    // A live folder that differs in any file is replaced by the kept copy.
    const live = join(tmp, 'live');
    cpSync(published, live, { recursive: true });
    writeFileSync(join(live, 'extra.html'), '');
    const dest2 = staged('dest2');
    expect(await saved.restore('d1', live, dest2)).toBe('restored');
    expect(tree(dest2)).toEqual(tree(published));
    writeFileSync(join(live, 'extra.html'), 'x');
    rmSync(join(live, 'extra.html'));
    writeFileSync(join(live, 'index.html'), '<p>A</p>');
    expect(await saved.restore('d1', live, staged('dest2b'))).toBe('restored');
    // Any other digest: build.
    expect(await saved.restore('d2', published, staged('dest3'))).toBeNull();
  });

  it('never uses a kept copy that does not match its stamp', async () => {
    await saved.save('d1', built);
    writeFileSync(join(saved.dir, 'site', 'index.html'), '<p>b</p>');
    const dest4 = staged('dest4');
    expect(await saved.restore('d1', join(tmp, 'absent'), dest4)).toBeNull();
    // The staged folder is left holding its marker alone, for the build that follows.
    expect(readdirSync(dest4)).toEqual([OUTPUT_MARKER]);
    await saved.save('d1', built);
    writeFileSync(join(saved.dir, 'site', 'stray.txt'), '');
    expect(await saved.restore('d1', join(tmp, 'absent'), staged('dest5'))).toBeNull();
    await saved.save('d1', built);
    writeFileSync(join(saved.dir, 'stamp.json'), '{');
    expect(await saved.restore('d1', published, staged('dest6'))).toBeNull();
    // Saving again replaces the copy whole.
    await saved.save('d3', join(tmp, 'dest'));
    expect(await saved.restore('d3', join(tmp, 'absent'), staged('dest7'))).toBe('restored');
    expect(await saved.restore('d1', join(tmp, 'absent'), staged('dest8'))).toBeNull();
  });

  it('saves a new site over the kept one by replacing only the files that changed', async () => {
    const c = new SavedSite(join(tmp, 'cache-incremental'));
    const a = join(tmp, 'site-a');
    write(a, { 'index.html': '<p>a</p>', 'same.csv': 'x\n', 'gone.csv': 'g', 'was-file': 'f', 'was/folder/deep.txt': 'd' });
    await c.save('da', a);
    const keptSame = join(c.dir, 'site', 'same.csv');
    const inode = statSync(keptSame).ino;
    // The next build writes every file anew: same bytes in new files, one changed, one gone, one added,
    // a file that became a folder and a folder that became a file.
    const b = join(tmp, 'site-b');
    write(b, { 'index.html': '<p>b</p>', 'same.csv': 'x\n', 'new/added.svg': '<svg/>', 'was-file/now-folder.txt': 'n', 'was/folder': 'now a file' });
    await c.save('db', b);
    expect(tree(join(c.dir, 'site'))).toEqual(tree(b));
    // The unchanged file was left in place.
    expect(statSync(keptSame).ino).toBe(inode);
    expect(await c.restore('db', join(tmp, 'absent'), staged('dest-b'))).toBe('restored');
    expect(tree(join(tmp, 'dest-b'))).toEqual({ ...tree(b), [OUTPUT_MARKER]: 'marker\n' });

    // Hashes the caller gives are recorded as they are; a wrong one makes the copy unusable, never published.
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    await c.save(
      'dc',
      b,
      undefined,
      new Map([
        ['index.html', sha('<p>b</p>')],
        ['same.csv', sha('y\n')],
      ]),
    );
    expect(await c.restore('dc', join(tmp, 'absent'), staged('dest-c'))).toBeNull();
    await c.save(
      'dd',
      b,
      undefined,
      new Map([
        ['index.html', sha('<p>b</p>')],
        ['same.csv', sha('x\n')],
      ]),
    );
    expect(await c.restore('dd', join(tmp, 'absent'), staged('dest-d'))).toBe('restored');
  });

  it('hands back the chart-week and week pages whose key is unchanged and whose file is intact, and places them', async () => {
    const site = join(tmp, 'paged');
    write(site, {
      'index.html': '<p>i</p>',
      'charts/p/c/2026-11-01/index.html': '<p>1</p>',
      'charts/p/c/2026-11-08/index.html': '<p>8</p>',
      'charts/p/c/2026-11-15/index.html': '<p>15</p>',
      'charts/p/c/2026-11-01.csv': 'csv 1',
      'charts/p/c/2026-11-01.png': 'png 1',
      'charts/p/c/2026-11-01/breakdowns.csv': 'bd 1',
      'charts/p/c/2026-11-08.csv': 'csv 8',
      'charts/p/c/2026-11-15.json': 'json 15',
      'charts/p/c/all-weeks.csv': 'all',
      'weeks/2026-11-01.csv': 'not a file of a week page',
      // A program whose slug is "weeks": its chart-week routes have three parts, a week page's two.
      'charts/weeks/c/2026-11-01/index.html': '<p>w1</p>',
      'weeks/2026-11-01/index.html': '<p>week 1</p>',
      'weeks/2026-11-08/index.html': '<p>week 8</p>',
    });
    const pages: [string, string][] = [
      ['p/c/2026-11-01', 'k1'],
      ['p/c/2026-11-08', 'k8'],
      ['p/c/2026-11-15', 'k15'],
      ['weeks/c/2026-11-01', 'kw1'],
      ['weeks/2026-11-01', 'week1'],
      ['weeks/2026-11-08', 'week8'],
    ];
    // A kept copy without page keys (an older build) offers none.
    await saved.save('d4', site);
    expect(await saved.reusablePages(pages)).toEqual([]);
    await saved.save('d4', site, pages);
    const now: [string, string][] = [
      ['p/c/2026-11-01', 'k1'],
      ['p/c/2026-11-08', 'k8-changed'],
      ['p/c/2026-11-15', 'k15'],
      ['p/c/2026-11-22', 'k22'],
      ['weeks/c/2026-11-01', 'kw1'],
      ['weeks/2026-11-01', 'week1'],
      ['weeks/2026-11-08', 'week8-changed'],
    ];
    const reused = await saved.reusablePages(now);
    expect(reused.map((r) => r.route)).toEqual(['p/c/2026-11-01', 'p/c/2026-11-15', 'weeks/c/2026-11-01', 'weeks/2026-11-01']);
    expect(reused.map((r) => r.file)).toEqual([
      'charts/p/c/2026-11-01/index.html',
      'charts/p/c/2026-11-15/index.html',
      'charts/weeks/c/2026-11-01/index.html',
      'weeks/2026-11-01/index.html',
    ]);
    const dest = join(tmp, 'paged-dest');
    await saved.placePages(reused, dest);
    expect(tree(dest)).toEqual({
      'charts/p/c/2026-11-01/index.html': '<p>1</p>',
      'charts/p/c/2026-11-15/index.html': '<p>15</p>',
      'charts/weeks/c/2026-11-01/index.html': '<p>w1</p>',
      'weeks/2026-11-01/index.html': '<p>week 1</p>',
    });
    // The files beside the reused permalinks, with their hashes in the stamp (not read: the file writer checks them).
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(await saved.reusableFiles(reused)).toEqual({
      dir: join(saved.dir, 'site'),
      files: [
        ['charts/p/c/2026-11-01.csv', sha('csv 1')],
        ['charts/p/c/2026-11-01.png', sha('png 1')],
        ['charts/p/c/2026-11-01/breakdowns.csv', sha('bd 1')],
        ['charts/p/c/2026-11-15.json', sha('json 15')],
      ],
    });
    // A kept page that is no longer the file its stamp lists is drawn again. (It is replaced, not changed in place:
    // the kept copy shares its files with the site it was saved from.)
    rmSync(join(saved.dir, 'site', 'charts/p/c/2026-11-15/index.html'));
    writeFileSync(join(saved.dir, 'site', 'charts/p/c/2026-11-15/index.html'), '<p>tampered</p>');
    expect((await saved.reusablePages(now)).map((r) => r.route)).toEqual(['p/c/2026-11-01', 'weeks/c/2026-11-01', 'weeks/2026-11-01']);
    expect(readFileSync(join(site, 'charts/p/c/2026-11-15/index.html'), 'utf8')).toBe('<p>15</p>');
  });
});
