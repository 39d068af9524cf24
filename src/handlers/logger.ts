import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports.js';

/**
 * The Powertools logger, adapted to the Log port. Service name and level come from the environment
 * the stack sets (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL); `fallbackService` applies only when
 * the variable is unset (local runs). Handlers call `logger.addContext(context)` per invocation, so
 * every line carries the Lambda context (function_request_id, cold_start…). The event is never logged.
 */
export function powertoolsLog(fallbackService = 'tokenops'): Log & { logger: Logger } {
  const logger = new Logger(process.env['POWERTOOLS_SERVICE_NAME'] ? {} : { serviceName: fallbackService });
  return {
    logger,
    info: (m, extra) => logger.info(m, extra ?? {}),
    warn: (m, extra) => logger.warn(m, extra ?? {}),
    error: (m, extra) => logger.error(m, extra ?? {}),
  };
}
