// Northbound: what leaves the platform towards people and other systems (live WebSocket stream).
export { LiveHub, type LiveHubOptions, type LiveEvent, type LivePosition, type LiveMessage, type LiveClient } from './live-hub.js';
export { attachLiveFeed, type LiveFeed, type LiveFeedOptions } from './live-feed.js';
export { latestFieldsFromFrame } from './latest-fields.js';
export { DailyTotals, H2_TANK_KG } from './daily-totals.js';
