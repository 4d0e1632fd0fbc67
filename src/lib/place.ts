import { constants } from 'node:fs';
import { copyFile, link } from 'node:fs/promises';

/**
 * Puts the file `from` at `to`: a hard link (the builds write every file anew
 * and never change one in place, and every file taken from a kept copy of the
 * site is checked against its stamp first), else a copy-on-write clone or a
 * copy where links cannot be made.
 */
export async function place(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    await copyFile(from, to, constants.COPYFILE_FICLONE);
  }
}
