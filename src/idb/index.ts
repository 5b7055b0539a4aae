export { openDB } from './open-db.js';
export type * from './types.js';
