export { openDB, unwrap } from './open-db.js';
export type * from './types.js';
