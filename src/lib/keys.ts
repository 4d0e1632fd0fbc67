/**
 * One key for a program and one of its charts, for Maps and Sets. The parts
 * are joined with NUL, which no program or chart name in Go's configs
 * contains, so two different pairs of such names never share a key.
 */
export type ChartKey = string & { readonly __chartKey: unique symbol };

/** The key of `chart` of `program`. */
export function chartKey(program: string, chart: string): ChartKey {
  return `${program}\0${chart}` as ChartKey;
}
