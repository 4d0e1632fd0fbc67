/**
 * Text width estimates for layout (label columns, collision checks), from
 * DejaVu Sans advance widths. DejaVu Sans is what PNGs are drawn with, and it
 * is wider than most system UI fonts, so layouts that fit it also fit pages.
 */
import { invisibleMarker, isInvisible } from '../lib/visible.ts';

// Advance widths in thousandths of an em for U+0020..U+007E (DejaVu Sans 2.37).
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
  531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390,
  838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337,
  636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838,
  580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457,
  838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365,
  712, 838,
];
const SPECIAL: Readonly<Record<number, number>> = {
  160: 318,
  181: 636,
  183: 318,
  8201: 200,
  8211: 500,
  8212: 1000,
  8230: 1000,
  8722: 838,
  9650: 769,
  9660: 769,
};

function advance(cp: number, bold: boolean): number {
  if (cp >= 0x20 && cp < 0x7f) return (bold ? BOLD : REGULAR)[cp - 0x20]!;
  const s = SPECIAL[cp];
  if (s !== undefined) return s;
  // An invisible character is drawn as its marker, `<U+202E>` (see escapeXml).
  const ch = String.fromCodePoint(cp);
  if (isInvisible(ch)) {
    let w = 0;
    for (const m of invisibleMarker(ch)) w += advance(m.codePointAt(0)!, bold);
    return w;
  }
  // Wide scripts (CJK, Hangul, emoji) take about one em; other letters about 0.68.
  return cp >= 0x2e80 ? 1000 : 680;
}

/** Estimated width in px of `s` at `fontSize` px. */
export function textWidth(s: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of s) w += advance(ch.codePointAt(0)!, bold);
  return (w / 1000) * fontSize;
}

/** `s` cut at a character boundary and ended with `…` so it fits `maxWidth` px. */
export function truncateText(s: string, maxWidth: number, fontSize: number, bold = false): string {
  if (textWidth(s, fontSize, bold) <= maxWidth) return s;
  const ell = textWidth('…', fontSize, bold);
  let out = '';
  let w = 0;
  for (const ch of s) {
    const a = (advance(ch.codePointAt(0)!, bold) / 1000) * fontSize;
    if (w + a + ell > maxWidth) break;
    out += ch;
    w += a;
  }
  return `${out.trimEnd()}…`;
}

/** Breaks `s` at spaces into at most `maxLines` lines of `maxWidth` px; the last line is truncated if needed. */
export function wrapText(s: string, maxWidth: number, fontSize: number, bold = false, maxLines = 2): string[] {
  const words = s.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < words.length; i++) {
    const next = current ? `${current} ${words[i]}` : words[i]!;
    if (textWidth(next, fontSize, bold) <= maxWidth || !current) {
      current = next;
      continue;
    }
    if (lines.length === maxLines - 1) {
      current = `${current} ${words.slice(i).join(' ')}`;
      break;
    }
    lines.push(current);
    current = words[i]!;
  }
  if (current) lines.push(current);
  return lines.map((l) => truncateText(l, maxWidth, fontSize, bold));
}
