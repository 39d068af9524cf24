/** The local Slack stand-in: Web API, response URLs, signed commands and clicks, and the browser console. */
export { startSlackStandin } from './server.js';
export { signSlackRequest, verifySlackSignature } from './signing.js';
export { SLACK_METHOD_LIMITS, SLACK_TIERS, type RateLimitOptions } from './rate-limits.js';
export type {
  BotReply,
  RecordedCall,
  SlackStandin,
  StandinMessage,
  StandinOptions,
  StandinUser,
  StandinView,
} from './types.js';
