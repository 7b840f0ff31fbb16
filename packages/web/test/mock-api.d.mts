// Types for mock-api.mjs (imported by dashboard.test.ts).
export interface MockApi {
  url: string;
  port: number;
  token: string;
  stats: { requests: number; wsMessages: number; vehicleListRequests: number; wsConnections: number };
  vehicleCount: number;
  dropSockets(): void;
  close(): Promise<void>;
}
export function startMockApi(opts?: {
  port?: number;
  host?: string;
  distDir?: string;
  token?: string;
  vehicles?: number;
  tickMs?: number;
  /** Clamp /vehicles pages to this size (exercises the client's paging). */
  maxPageSize?: number;
}): Promise<MockApi>;
