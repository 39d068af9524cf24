import { afterAll, beforeAll } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynalite.js';
import { dynamoStores, type Stores } from '../../src/store/dynamo-store.js';
import { documentClient } from '../../src/store/table.js';

/** Starts dynalite for the enclosing suite and hands out stores on a fresh table per call. */
export function useDynamo(): {
  stores(options?: { auditRetentionDays?: number }): Promise<Stores & { tableName: string }>;
  endpoint(): string;
} {
  let db: LocalDynamo;
  let n = 0;
  beforeAll(async () => {
    db = await startLocalDynamo();
  });
  afterAll(async () => db?.close());
  return {
    endpoint: () => db.endpoint,
    async stores(options = {}) {
      const tableName = `table-${++n}`;
      const { ensureTable } = await import('../../src/store/table.js');
      await ensureTable({ tableName, endpoint: db.endpoint });
      return { tableName, ...dynamoStores(documentClient({ tableName, endpoint: db.endpoint }), tableName, options) };
    },
  };
}
