// npm run build -- [options]: the data pipeline, then the Astro site.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2), true);
