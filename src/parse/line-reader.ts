/**
 * Splits a day file into lines, streaming: the file is read in fixed-size
 * chunks and never held whole, and a line longer than the limit is skipped
 * without being buffered whole.
 */

export const MAX_LINE_BYTES = 8 * 1024 * 1024;
const CHUNK = 1 << 20;

/** Positioned reads of a file; `read` returns the bytes read, 0 at its end. */
export interface LineSource {
  read(into: Buffer, offset: number, length: number, position: number): number;
}

interface LineCounts {
  bytes: number;
  lines: number;
}

/**
 * Calls `onLine(buffer, start, end, lineNo, fileOffset)` for each line
 * (without its newline; the bytes are valid only during the call) and
 * `onTooLong(lineNo, description)` for each line longer than maxLineBytes.
 * A last line without a newline still counts.
 */
export function forEachLine(
  file: LineSource,
  maxLineBytes: number,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number, fileOffset: number) => void,
  onTooLong: (lineNo: number, description: string) => void,
): LineCounts {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0; // bytes of buf holding data
  let bufBase = 0; // file offset of buf[0]
  let filePos = 0;
  let lineNo = 0;
  let skipping = false; // inside an over-long line
  let skipStart = 0;
  let skipHead = '';
  for (;;) {
    const n = file.read(buf, filled, buf.length - filled, filePos);
    filePos += n;
    filled += n;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= filled) break;
      lineNo++;
      if (skipping) {
        skipping = false;
        onTooLong(lineNo, `${skipHead} (${bufBase + nl - skipStart} bytes)`);
      } else {
        onLine(buf, pos, nl, lineNo, bufBase + pos);
      }
      pos = nl + 1;
    }
    if (n === 0) {
      if (skipping) {
        lineNo++;
        onTooLong(lineNo, `${skipHead} (${bufBase + filled - skipStart} bytes)`);
      } else if (pos < filled) {
        lineNo++;
        onLine(buf, pos, filled, lineNo, bufBase + pos);
      }
      return { bytes: filePos, lines: lineNo };
    }
    // Keep the unfinished line at the front of the buffer.
    const rest = filled - pos;
    if (skipping) {
      bufBase += filled;
      filled = 0;
      continue;
    }
    if (rest > maxLineBytes) {
      skipping = true;
      skipStart = bufBase + pos;
      skipHead = buf.toString('utf8', pos, pos + 120);
      bufBase += filled;
      filled = 0;
      continue;
    }
    if (pos > 0) buf.copy(buf, 0, pos, filled);
    bufBase += pos;
    filled = rest;
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes + CHUNK));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  }
}
