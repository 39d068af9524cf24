import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports.js';

/** The Powertools logger, adapted to the runner's Log port. The event itself is never logged. */
export function powertoolsLog(serviceName = 'tokenops'): Log & { logger: Logger } {
  const logger = new Logger({
    serviceName,
    logLevel: (process.env['POWERTOOLS_LOG_LEVEL'] as 'INFO' | undefined) ?? 'INFO',
  });
  return {
    logger,
    info: (m, extra) => logger.info(m, extra ?? {}),
    warn: (m, extra) => logger.warn(m, extra ?? {}),
    error: (m, extra) => logger.error(m, extra ?? {}),
  };
}
