import { request } from 'undici';

/** Calls a URL and returns its status, discarding the body (it may echo the secret). */
async function status(url: string, headers: Record<string, string>): Promise<number> {
  const res = await request(url, { headers });
  await res.body.dump();
  return res.statusCode;
}

/**
 * How a managed token proves it works, the way its owner would use it; the same calls run against a
 * simulator on loopback and a real account, so live mode on loopback exercises what a real run does.
 */
export const PROBES = {
  /** `GET /v1/me` with the `VTOKEN` header. */
  vaultoro: (baseUrl: string) => (secret: string) =>
    status(`${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/me`, {
      vtoken: secret,
      'content-type': 'application/json',
    }),
  /** Any authenticated call: `GET /api/accounts`. */
  mailtrap: (baseUrl: string) => (secret: string) =>
    status(`${baseUrl.replace(/\/+$/, '')}/api/accounts`, { authorization: `Bearer ${secret}` }),
  /** `GET /orgs`, the first call Cobalt's docs show. */
  cobalt: (baseUrl: string) => (secret: string) =>
    status(`${baseUrl.replace(/\/+$/, '')}/orgs`, {
      authorization: `Bearer ${secret}`,
      accept: 'application/vnd.cobalt.v2+json',
    }),
  /** The Core API (styles) with the token as Bearer. */
  vectorcharts: (probeUrl: string) => (secret: string) => status(probeUrl, { authorization: `Bearer ${secret}` }),
  /** A JSON-RPC `getHealth` with the token's value appended to the endpoint URL, as Triton documents. */
  triton: (rpcUrl: string) => async (secret: string) => {
    const res = await request(`${rpcUrl.replace(/\/+$/, '')}/${encodeURIComponent(secret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' }),
    });
    await res.body.dump();
    return res.statusCode;
  },
} as const;
