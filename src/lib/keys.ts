/**
 * One key for a program and one of its charts, for Maps and Sets. The parts
 * are joined with NUL, which neither Go's configs nor the archive allow in a
 * name, so two different pairs never share a key.
 */
export type ChartKey = string & { readonly __chartKey: unique symbol };

/** The key of `chart` of `program`. */
export function chartKey(program: string, chart: string): ChartKey {
  return `${program}\0${chart}` as ChartKey;
}
