import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TokenOpsError } from '../core/errors.js';
import { TABLE_SCHEMA } from './table.js';

/** The audit/owner index of the one table. */
export const INDEX = TABLE_SCHEMA.index.name;
/** The sparse index of token records. */
export const TOKEN_INDEX = TABLE_SCHEMA.tokenIndex.name;

/** Wraps store failures in one typed error, so callers can fail closed or carry on. */
export async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TokenOpsError) throw err;
    throw new TokenOpsError('audit_unavailable', `The tokenops store could not ${what}.`, { cause: err });
  }
}

/** True when a conditional write was refused (the item exists, or is not in the expected state). */
export const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

/** An item without its key attributes: the record it stores. */
export function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, tokpk: _tp, toksk: _ts, ttl: _t, ...rest } = item;
  return rest as T;
}

/** Every item a query matches, page after page, stripped of the table's keys. */
export async function queryAll<T>(
  db: DynamoDBDocumentClient,
  what: string,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<T[]> {
  const out: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await guarded(what, () => db.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    out.push(...(res.Items ?? []).map((i) => strip<T>(i)));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}
