// The benchmark's peer, run by scripts/bench.ts in its own process: DuckDB's
// read_json over the same day files (named <day>.json), unnest of the program
// reports and counters, and the distinct reports per week bin, program, chart
// and bucket. Prints a JSON line with the seconds from creating the database
// to the last row (load included) and the number of result rows.
//
// Arguments: the folder @duckdb/node-api is installed in, the folder of .json
// day files, the thread count.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [moduleDir, filesDir, threads] = process.argv.slice(2) as [string, string, string];
const require = createRequire(join(moduleDir, 'package.json'));
// The few calls used here; the package is not a dependency of the project, so its types are not at hand.
interface Connection {
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync(): void;
}
interface Instance {
  connect(): Promise<Connection>;
  closeSync(): void;
}
const { DuckDBInstance } = require('@duckdb/node-api') as { DuckDBInstance: { create(path: string, options: Record<string, string>): Promise<Instance> } };

const PROGRAM =
  'STRUCT(Program VARCHAR, Version VARCHAR, GoVersion VARCHAR, GOOS VARCHAR, GOARCH VARCHAR, Counters MAP(VARCHAR, BIGINT), Stacks MAP(VARCHAR, BIGINT))';
const glob = join(filesDir, '*.json').replaceAll("'", "''");
const sql = `
WITH r AS (
  SELECT CAST(Week AS DATE) AS day, X, unnest(Programs) AS p
  FROM read_json('${glob}', format = 'newline_delimited',
    columns = {Week: 'VARCHAR', LastWeek: 'VARCHAR', X: 'DOUBLE', Programs: '${PROGRAM}[]', Config: 'VARCHAR'})
), c AS (
  SELECT day, X, p.Program AS program, unnest(map_keys(p.Counters)) AS k FROM r
)
SELECT day + CAST((7 - isodow(day)) % 7 AS INTEGER) AS week, program,
  split_part(k, ':', 1) AS chart, split_part(k, ':', 2) AS bucket, count(DISTINCT X) AS reports
FROM c GROUP BY ALL`;

const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:', { threads });
const conn = await db.connect();
const reader = await conn.runAndReadAll(sql);
const rows = reader.getRows().length;
const seconds = (performance.now() - t0) / 1000;
conn.closeSync();
db.closeSync();
process.stdout.write(JSON.stringify({ seconds, rows }) + '\n');
