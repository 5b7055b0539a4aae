import { main } from './main.js';

// `crossroute`: the command line (see main.ts); the exit status is main's.
process.exitCode = await main(process.argv.slice(2), { out: (text) => console.log(text), err: (text) => console.error(text) });
