import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/core/audit.js';
import { startLocalDynamo } from '../../../src/local/dynalite.js';
import { dynamoStores, monthsSince } from '../../../src/store/dynamo-store.js';
import { documentClient } from '../../../src/store/table.js';
import { useDynamo } from '../../support/dynamo.js';

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `a${Math.random().toString(36).slice(2)}`,
  at: new Date().toISOString(),
  actor: 'U1',
  action: 'revoke',
  provider: 'triton',
  connection: 'prod',
  ref: 'triton:prod/abc',
  outcome: 'in_progress',
  ...over,
});

describe('DynamoDB store on dynalite', () => {
  const dynamo = useDynamo();

  it('writes audit records and reads them back newest first, filtered by provider and time', async () => {
    const { audit } = await dynamo.stores();
    const old = record({ at: new Date(Date.now() - 40 * 86400_000).toISOString() });
    const a = record({ at: new Date(Date.now() - 2000).toISOString() });
    const b = record({ at: new Date(Date.now() - 1000).toISOString(), provider: 'mailtrap' });
    for (const r of [old, a, b]) await audit.put(r);
    const since = new Date(Date.now() - 7 * 86400_000).toISOString();
    expect((await audit.list({ since })).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await audit.list({ since, provider: 'triton' })).map((r) => r.id)).toEqual([a.id]);
    const all = await audit.list({ since: new Date(Date.now() - 60 * 86400_000).toISOString() });
    expect(all.map((r) => r.id)).toEqual([b.id, a.id, old.id]);
  });

  it('gives audit records a TTL of auditRetentionDays from their own time, and none without it', async () => {
    const kept = await dynamo.stores();
    const expiring = await dynamo.stores({ auditRetentionDays: 400 });
    const r = record({ at: '2026-01-10T12:00:00.000Z' });
    await kept.audit.put(r);
    await expiring.audit.put(r);
    const raw = async (tableName: string) =>
      (
        await documentClient({ tableName, endpoint: dynamo.endpoint() }).send(
          new GetCommand({ TableName: tableName, Key: { pk: `AUDIT#${r.id}`, sk: 'A' } }),
        )
      ).Item;
    expect((await raw(kept.tableName))!.ttl).toBeUndefined();
    expect((await raw(expiring.tableName))!.ttl).toBe(Date.parse(r.at) / 1000 + 400 * 86400);
    // The record read back is the record: no key or TTL attributes leak into it.
    expect(await expiring.audit.get(r.id)).toEqual(r);
  });

  it('reads every token record from the sparse token index, never the audit items beside them', async () => {
    const s = await dynamo.stores();
    for (let i = 0; i < 30; i++) await s.audit.put(record());
    const token = {
      ref: 'mailtrap:main/1',
      provider: 'mailtrap' as const,
      connection: 'main',
      name: 'ci',
      owner: 'U1',
      fingerprint: 'fp',
      last4: 'ab12',
      createdAt: new Date().toISOString(),
    };
    await s.tokens.put(token);
    expect(await s.tokens.all()).toEqual([token]);
    const indexed = await documentClient({ tableName: s.tableName, endpoint: dynamo.endpoint() }).send(
      new QueryCommand({
        TableName: s.tableName,
        IndexName: 'tokens',
        KeyConditionExpression: 'tokpk = :t',
        ExpressionAttributeValues: { ':t': 'TOKEN' },
      }),
    );
    expect(indexed.Items?.map((i) => i.ref)).toEqual([token.ref]);
  });

  it('finishes a record with its outcome and refuses to overwrite an id', async () => {
    const { audit } = await dynamo.stores();
    const r = record();
    await audit.put(r);
    await audit.finish(r.id, 'succeeded', { detail: 'deactivated', last4: 'ab12' });
    expect(await audit.get(r.id)).toMatchObject({
      outcome: 'succeeded',
      detail: 'deactivated',
      last4: 'ab12',
      actor: 'U1',
    });
    await expect(audit.put(r)).rejects.toMatchObject({ code: 'audit_unavailable' });
  });

  it('indexes minted tokens by owner and marks revocations', async () => {
    const { tokens } = await dynamo.stores();
    const base = {
      provider: 'triton' as const,
      connection: 'prod',
      name: 'ci',
      fingerprint: 'f'.repeat(64),
      last4: 'abcd',
      createdAt: new Date().toISOString(),
    };
    await tokens.put({ ...base, ref: 'triton:prod/1', owner: 'U1' });
    await tokens.put({ ...base, ref: 'triton:prod/2', owner: 'U2' });
    expect((await tokens.byOwner('U1')).map((t) => t.ref)).toEqual(['triton:prod/1']);
    const at = '2026-01-01T00:00:00.000Z';
    await tokens.markRevoked({ ref: 'triton:prod/1', at, by: 'U9' });
    await tokens.markRevoked({ ref: 'triton:prod/unknown', at, by: 'U9', how: 'deactivated' });
    await tokens.markRevoked({ ref: 'triton:prod/unknown', at, by: 'U9', how: 'deactivated' }); // repeats are harmless
    expect(await tokens.get('triton:prod/1')).toMatchObject({ revokedAt: at, revokedBy: 'U9' });
    // A token tokenops did not mint gets no token record, but its revocation is kept: revocation is final.
    expect(await tokens.get('triton:prod/unknown')).toBeUndefined();
    expect(await tokens.revocation('triton:prod/unknown')).toEqual({
      ref: 'triton:prod/unknown',
      at,
      by: 'U9',
      how: 'deactivated',
    });
    expect(await tokens.revocation('triton:prod/2')).toBeUndefined();
    expect((await tokens.revocations('triton', 'prod')).map((r) => r.ref).sort()).toEqual([
      'triton:prod/1',
      'triton:prod/unknown',
    ]);
    expect(await tokens.revocations('triton', 'staging')).toEqual([]);
    expect((await tokens.all()).length).toBe(2);
  });

  it('lets exactly one approver decide a request', async () => {
    const { approvals } = await dynamo.stores();
    await approvals.create({
      id: 'ap1',
      requester: 'U1',
      job: '{}',
      summary: 'create',
      status: 'pending',
      createdAt: new Date().toISOString(),
    });
    const [x, y] = await Promise.all([
      approvals.decide('ap1', 'approved', 'U2'),
      approvals.decide('ap1', 'denied', 'U3'),
    ]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(await approvals.decide('missing', 'approved', 'U2')).toBeUndefined();
  });

  it('claims a job once, reports it done, and lets a released job run again', async () => {
    const { claims } = await dynamo.stores();
    expect(await claims.claim('j1', 60_000)).toBe('claimed');
    expect(await claims.claim('j1', 60_000)).toBe('busy');
    await claims.complete('j1', 'ok');
    expect(await claims.claim('j1', 60_000)).toBe('done');
    expect(await claims.claim('j2', 60_000)).toBe('claimed');
    await claims.release('j2');
    expect(await claims.claim('j2', 60_000)).toBe('claimed');
    expect(await claims.claim('j3', -1)).toBe('claimed');
    expect(await claims.claim('j3', 60_000)).toBe('claimed'); // the first lease ran out
  });

  it('does not let a job that mints take over a lapsed lease: it reports it interrupted', async () => {
    const { claims } = await dynamo.stores();
    expect(await claims.claim('mint-1', -1, { takeover: false })).toBe('claimed');
    expect(await claims.claim('mint-1', 60_000, { takeover: false })).toBe('interrupted');
    expect(await claims.claim('mint-1', 60_000, { takeover: true })).toBe('claimed');
  });

  it('stores an audit record once, however often it is offered', async () => {
    const { audit } = await dynamo.stores();
    const r = record({ outcome: 'refused' });
    await audit.putIfAbsent(r);
    await audit.putIfAbsent({ ...r, detail: 'second copy' });
    const got = await audit.get(r.id);
    expect(got?.outcome).toBe('refused');
    expect(got?.detail).toBeUndefined();
  });

  it('fails with audit_unavailable when the store is down', async () => {
    const db = await startLocalDynamo();
    const stores = dynamoStores(documentClient({ tableName: db.tableName, endpoint: db.endpoint }), db.tableName);
    await db.close();
    await expect(stores.audit.put(record())).rejects.toMatchObject({ code: 'audit_unavailable' });
  });

  it('lists the months of a time range', () => {
    expect(monthsSince('2026-10-15T00:00:00Z', new Date('2026-12-02T00:00:00Z'))).toEqual([
      '2026-12',
      '2026-11',
      '2026-10',
    ]);
  });
});
