import type { AddressInfo } from 'node:net';
import { ensureTable } from '../store/table.js';

/** A running embedded DynamoDB-compatible server. */
export interface LocalDynamo {
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on loopback (port 0 unless told) with the tokenops table: in memory, or on disk
 * under `path` so data survives a restart (`npm start`).
 */
export async function startLocalDynamo(
  options: { port?: number; path?: string; tableName?: string } = {},
): Promise<LocalDynamo> {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tableName = options.tableName ?? 'tokenops';
  await ensureTable({ tableName, endpoint });
  return {
    endpoint,
    tableName,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
