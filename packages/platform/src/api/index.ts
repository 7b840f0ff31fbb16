// The nevhub HTTP API: REST + OpenAPI (/docs), WebSocket live stream, auth, health, metrics.
export { buildApi, startApi, API_VERSION, type ApiOptions } from './server.js';
export type { ApiDeps, GatewayPort, HistorySeriesPort, RecentFramesPort, Explainer, ExplainedField, DownlinkCommand } from './deps.js';
export { openApiDb, ensureAdminToken, verifyPlatformLogin, platformAccountsForGateway, API_DB_FILE, type ApiDb } from './api-db.js';
export { platformAllowsVin, type PlatformAccount } from './platform-accounts.js';
export { ROLES, type Role, type TokenInfo } from './tokens.js';
export { PlatformMetrics } from './metrics.js';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.js';
export { deriveStatus, VEHICLE_STATUSES, type VehicleStatus } from './status.js';
