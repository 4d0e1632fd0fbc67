/**
 * Where the trailing run of provisional weeks begins: the weeks still
 * receiving uploads, which charts draw apart. An incomplete week between
 * final ones (a day of the archive missing) is provisional for good but is
 * not part of that run, so it is drawn in place. Returns `weeks.length` when
 * the last week is final.
 */
export function trailingProvisionalStart(weeks: readonly { provisional?: boolean }[]): number {
  let i = weeks.length;
  while (i > 0 && weeks[i - 1]!.provisional) i--;
  return i;
}
