// npm run data -- [options]: the data pipeline without the site build.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2), false);
