/**
 * The simulated Redis: a server answering real commands (`RedisServer.execute(argv)`), its replies,
 * and (on a simulated node) its network service and client. See docs/redis.md.
 */
export { COMMAND_NAMES, RedisServer, type RedisServerOptions } from "./redis-server.ts"
export { FUNCTION_NAMES } from "./redis-functions.ts"
export { type ExpiryWay, Keyspace, NO_EXPIRY } from "./redis-keyspace.ts"
export { formatDouble, parseDouble, parseInteger } from "./redis-numbers.ts"
export {
  type ArrayReply,
  type BulkReply,
  type ErrorReply,
  formatReply,
  type IntegerReply,
  isError,
  quoteBulk,
  type RedisReply,
  replyToJson,
  type StatusReply,
} from "./redis-reply.ts"
export { compareBytes, SortedSet } from "./sorted-set.ts"
export { type CommandOutcome, RedisClient, type RedisClientOptions } from "./redis-client.ts"
export type { CommandExecuted, KeyExpired, KeyspaceLost, RedisEvent } from "./redis-events.ts"
export { REDIS_SERVICE, redisRpc, RedisService, type RedisServiceOptions } from "./redis-service.ts"
export { isRedisTimelineRecord, quoteWord, redisTimeline, replyOnOneLine } from "./redis-timeline.ts"
export { type ParsedScript, parseRedisScript, type ScriptStep } from "./redis-script.ts"
export {
  CLIENT_NODE,
  type ExecutedCommand,
  REDIS_NODE,
  RedisCommandsResult,
  RedisCommandsScenario,
  type RedisCommandsOptions,
} from "./redis-commands-scenario.ts"
export { checkEveryCommandAnswered } from "./redis-checks.ts"
