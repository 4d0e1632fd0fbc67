/**
 * Output folders are swapped in whole and only replace what the build made;
 * locks name their holder and are taken over when the holder died.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, LockError, sharedLocksEnv } from '../../src/cli/lock.ts';
import { checkOutput, OUTPUT_MARKER, OutputError, stageOutput, writtenBefore } from '../../src/cli/output.ts';
import { snapshot } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-output-'));
const p = (...parts: string[]) => join(dir, ...parts);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

describe('staged output', () => {
  it('is written beside the output, swapped in whole, and the old files are gone', async () => {
    const out = p('a', 'site-data');
    let s = await stageOutput('--out', out, []);
    put(join(s.dir, 'index.json'), 'one\n');
    put(join(s.dir, 'charts', 'old.json'), 'old\n');
    await s.commit();
    expect(snapshot(out)).toMatchObject({ 'index.json': expect.any(String), 'charts/old.json': expect.any(String), [OUTPUT_MARKER]: expect.any(String) });

    s = await stageOutput('--out', out, []);
    put(join(s.dir, 'index.json'), 'two\n');
    // Until the commit, readers see the previous output, complete.
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe('one\n');
    expect(readdirSync(p('a')).sort()).toEqual([expect.stringMatching(/^\.site-data\.new-[A-Za-z0-9]{6}$/), 'site-data']);
    await s.commit();
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe('two\n');
    expect(existsSync(join(out, 'charts'))).toBe(false);
    expect(readdirSync(p('a'))).toEqual(['site-data']);
  });

  it('a discarded build leaves the previous output byte for byte', async () => {
    const out = p('b');
    const s1 = await stageOutput('--out', out, []);
    put(join(s1.dir, 'index.json'), 'kept\n');
    await s1.commit();
    const before = snapshot(out);
    const s2 = await stageOutput('--out', out, []);
    put(join(s2.dir, 'index.json'), 'half');
    await s2.discard();
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(dir).filter((e) => e.startsWith('.b.'))).toEqual([]);
  });

  it('refuses a folder it did not make, also when it appears during the build', async () => {
    put(p('foreign', 'notes.txt'), 'mine\n');
    await expect(checkOutput('--out', p('foreign'), [])).rejects.toThrow(
      new OutputError(
        `--out ${p('foreign')} is a folder this build did not create (it is not empty and has no ${OUTPUT_MARKER} file); each build replaces --out whole, so move its files away or pick an empty or new folder`,
      ),
    );
    // An empty folder is fine.
    mkdirSync(p('empty'));
    await expect(checkOutput('--out', p('empty'), [])).resolves.toBeUndefined();

    const out = p('c');
    const s = await stageOutput('--out', out, []);
    put(join(out, 'someone.txt'), 'else\n');
    await expect(s.commit()).rejects.toThrow(OutputError);
    await s.discard();
    expect(readFileSync(join(out, 'someone.txt'), 'utf8')).toBe('else\n');
    expect(readdirSync(out)).toEqual(['someone.txt']);
    expect(readdirSync(dir).filter((e) => e.startsWith('.c.'))).toEqual([]);
  });

  it('guards: not the root, not a protected folder or one of its ancestors, not inside a folder marked so; through symlinks too', async () => {
    mkdirSync(p('cache', 'archive'), { recursive: true });
    mkdirSync(p('src'), { recursive: true });
    const protect = [
      { what: 'the cache', path: p('cache') },
      { what: 'the archive folder', path: p('src'), noInside: true },
    ];
    await expect(checkOutput('--out', '/', protect)).rejects.toThrow('--out / is the root folder');
    await expect(checkOutput('--out', p('cache'), protect)).rejects.toThrow(`--out ${p('cache')} is the cache (${p('cache')})`);
    await expect(checkOutput('--out', dir, protect)).rejects.toThrow(`--out ${dir} contains the cache`);
    await expect(checkOutput('--out', p('src', 'site'), protect)).rejects.toThrow(`--out ${p('src', 'site')} is inside the archive folder`);
    await expect(checkOutput('--out', p('cache', 'site-data'), protect)).resolves.toBeUndefined();
    // A path that only reaches the cache through a symlink is the cache.
    const { symlinkSync } = await import('node:fs');
    symlinkSync(p('cache'), p('link'));
    await expect(checkOutput('--out', p('link'), protect)).rejects.toThrow(`is the cache (${p('cache')})`);
    // A name like "..x" is not a parent.
    await expect(checkOutput('--out', p('..site'), protect)).resolves.toBeUndefined();
  });

  it('recognises site data written before folders were marked, and nothing else', async () => {
    const old = p('legacy');
    put(join(old, 'index.json'), JSON.stringify({ build: { pipelineVersion: '7' }, files: ['estimates.csv', 'charts/x/y.json', 'index.json'] }));
    put(join(old, 'estimates.csv'), 'a\n');
    put(join(old, 'charts', 'x', 'y.json'), '{}\n');
    await expect(checkOutput('--out', old, [], writtenBefore('index.json'))).resolves.toBeUndefined();
    put(join(old, 'thesis.tex'), 'not ours\n');
    await expect(checkOutput('--out', old, [], writtenBefore('index.json'))).rejects.toThrow(OutputError);
    put(p('not-index', 'index.json'), '{"files": []}');
    await expect(checkOutput('--out', p('not-index'), [], writtenBefore('index.json'))).rejects.toThrow(OutputError);
  });

  it('removes folders an interrupted run left beside the output, and only those', async () => {
    const out = p('d');
    put(p('.d.new-Ab12Cd', 'half.json'), '{');
    put(p('.d.old-Zz99Yy', 'index.json'), 'old');
    put(p('.d.backup', 'keep.txt'), 'keep');
    const s = await stageOutput('--out', out, []);
    await s.commit();
    expect(readdirSync(dir).filter((e) => e.startsWith('.d.'))).toEqual(['.d.backup']);
  });
});

describe('locks', () => {
  const lockPath = p('locks', '.lock');
  /** A separate process that takes the lock and keeps it until killed. */
  function holder(): Promise<{ pid: number; kill: () => Promise<void> }> {
    const script = p('hold.mts');
    writeFileSync(
      script,
      `import { acquireLock } from ${JSON.stringify(resolve('src/cli/lock.ts'))};\nawait acquireLock('x', ${JSON.stringify(lockPath)});\nconsole.log('held');\nsetInterval(() => {}, 1000);\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((ready, fail) => {
      child.on('error', fail);
      child.on('exit', (code) => fail(new Error(`the holder exited with ${code} before taking the lock`)));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        if (d.includes('held'))
          ready({
            pid: child.pid!,
            kill: () =>
              new Promise((r) => {
                child.on('exit', () => r());
                child.kill('SIGKILL');
              }),
          });
      });
    });
  }

  it('a second holder is refused with the holder named; a holder killed without releasing is taken over at once', async () => {
    const h = await holder();
    const err = await acquireLock('the cache /x', lockPath).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockError);
    expect((err as Error).message).toMatch(new RegExp(`^the cache /x is in use by another run: pid ${h.pid} \\(.*hold\\.mts\\), started \\d{4}-`));
    await h.kill();
    // The lock folder is still there, its holder gone.
    expect(existsSync(lockPath)).toBe(true);
    const mine = await acquireLock('the cache /x', lockPath);
    expect(JSON.parse(readFileSync(`${lockPath}.json`, 'utf8'))).toMatchObject({ pid: process.pid });
    await mine.release();
    expect(readdirSync(p('locks'))).toEqual([]);
  }, 60_000);

  it("a child process given sharedLocksEnv() works under its parent's lock, and only its parent's", async () => {
    const script = p('child.mts');
    writeFileSync(
      script,
      `import { acquireLock } from ${JSON.stringify(resolve('src/cli/lock.ts'))};\nconst l = await acquireLock('the cache /x', ${JSON.stringify(lockPath)}).catch((e) => e);\nconsole.log(l instanceof Error ? l.message : 'taken');\n`,
    );
    const child = (env: NodeJS.ProcessEnv) =>
      new Promise<string>((done, fail) => {
        const c = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
        let out = '';
        c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        c.on('error', fail);
        c.on('close', () => done(out.trim()));
      });
    const mine = await acquireLock('the cache /x', lockPath);
    expect(await child(sharedLocksEnv())).toBe('taken');
    // The child's "release" leaves the parent's lock alone.
    expect(JSON.parse(readFileSync(`${lockPath}.json`, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await child({})).toMatch(new RegExp(`^the cache /x is in use by another run: pid ${process.pid} `));
    await mine.release();
    // Held by a run that is not the child's parent: refused, whatever the variable says.
    const h = await holder();
    expect(await child(sharedLocksEnv())).toMatch(new RegExp(`^the cache /x is in use by another run: pid ${h.pid} `));
    await h.kill();
    await (await acquireLock('the cache /x', lockPath)).release();
  }, 60_000);
});
