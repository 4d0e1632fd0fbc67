/**
 * URL slugs for programs and charts: readable, reversible, and collision-free.
 * `/` becomes `-`, a literal `-` becomes `--`, letters, digits and `.` stay,
 * and any other byte becomes `_` and two hex digits. A `/` or `-` right after
 * another `/` or `-` is hex-escaped too, so the dashes always read one way.
 *
 *     golang.org/x/tools/gopls  -> golang.org-x-tools-gopls
 *     vscode-go/command/trigger -> vscode--go-command-trigger
 */

export function slugify(name: string): string {
  let out = '';
  let prev = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    const afterDash = prev === '/' || prev === '-';
    if (/[A-Za-z0-9.]/.test(c)) out += c;
    else if (c === '/' && !afterDash) out += '-';
    else if (c === '-' && !afterDash) out += '--';
    else out += '_' + byte.toString(16).padStart(2, '0');
    prev = c;
  }
  // "." and ".." are not usable as path segments.
  return out === '' || /^\.+$/.test(out) ? out.replace(/\./g, '_2e') || '_' : out;
}

export function unslugify(slug: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < slug.length; i++) {
    const c = slug[i]!;
    if (c === '-') {
      if (slug[i + 1] === '-') {
        bytes.push(0x2d);
        i++;
      } else bytes.push(0x2f);
    } else if (c === '_') {
      if (slug === '_') return '';
      bytes.push(parseInt(slug.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
