/**
 * CLI for the CORS lab:
 *   tsx demo/lab/main.ts --port 0 --app-origin http://localhost:5173 [--host 127.0.0.1]
 * Prints the lab origin (one line on stdout, so scripts can read it) and runs
 * until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startLab } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'app-origin': { type: 'string' },
    host: { type: 'string' },
  },
});

const port = Number(values.port);
const appOrigin = values['app-origin'];
if (!Number.isInteger(port) || port < 0 || port > 65535 || appOrigin === undefined) {
  console.error('usage: tsx demo/lab/main.ts [--port N] --app-origin http://localhost:5173 [--host 127.0.0.1]');
  process.exit(2);
}

const lab = await startLab({ port, appOrigin, host: values.host });
console.log(lab.origin);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void lab.close().then(() => process.exit(0)));
}
