import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { TokenOpsError } from '../core/errors.js';
import type { SecretSource } from './load.js';

/**
 * Secrets Manager through Powertools parameters, cached for `maxAgeSeconds` so a warm function does
 * not fetch on every request. Error messages name the secret, never its value.
 */
export function awsSecretSource(maxAgeSeconds = 300): SecretSource {
  const provider = new SecretsProvider();
  const get = async (name: string, transform?: 'json'): Promise<unknown> => {
    try {
      const v = await provider.get(name, { maxAge: maxAgeSeconds, ...(transform ? { transform } : {}) });
      if (v === undefined || v === null || v === '') throw new Error('empty');
      return v;
    } catch (err) {
      throw new TokenOpsError(
        'config',
        `The secret ${name} could not be read or is empty; fill it as README.md shows.`,
        { cause: (err as Error).name },
      );
    }
  };
  return {
    json: async (name) => {
      const value = (await get(name, 'json')) as Record<string, unknown>;
      // The stack creates secrets with a placeholder (CloudFormation cannot create an empty one).
      if ('tokenopsPlaceholder' in value)
        throw new TokenOpsError(
          'config',
          `The secret ${name} is not filled in yet; see README.md, "Filling the secrets".`,
        );
      return value;
    },
    text: async (name) => String(await get(name)),
  };
}
