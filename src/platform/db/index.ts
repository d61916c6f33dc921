export { lockForTransaction, lockItemForTransaction } from './advisory-lock.ts';
export { batchedRead } from './batched-read.ts';
export { lockDataDir } from './data-dir-lock.ts';
export { type Database, type Listener, type Queryable, toBossDb } from './database.ts';
export { instrumentDatabase } from './instrumented-database.ts';
export { migrate } from './migrate.ts';
export { createPgliteDatabase } from './pglite-database.ts';
export { createPostgresDatabase } from './postgres-database.ts';
export { isUniqueViolation, toIso, toIsoOrNull } from './rows.ts';
