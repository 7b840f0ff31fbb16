// @nevhub/platform public surface: gateway, configuration, the embedded platform, seams.
export { Gateway, type GatewayInit } from './gateway/server.js';
export { Session, type SessionState } from './gateway/session.js';
export type { GatewayDeps, SessionOptions } from './gateway/host.js';
export type { GatewayMetrics } from './gateway/metrics.js';
export type {
  DownlinkCommand,
  DownlinkRequest,
  DownlinkOptions,
  DownlinkOutcome,
} from './gateway/downlink.js';
export * from './config/index.js';
export { startPlatform, type Platform, type StartOptions } from './platform.js';
export type * from './log/types.js';
export type * from './store/types.js';
