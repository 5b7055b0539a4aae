// Replaced at bundle time (rollup): dev-only checks and logging vanish from production builds.
declare const process: { env: { NODE_ENV?: string } };
