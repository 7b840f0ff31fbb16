// JSON schemas shared by the routes: they validate input, drive fast serialization and become the
// OpenAPI document at /docs. Kept as plain `as const` objects.

export const vinParams = {
  type: 'object',
  properties: { vin: { type: 'string', minLength: 1, maxLength: 17, description: 'VIN (17 characters; shorter custom ids are accepted)' } },
  required: ['vin'],
} as const;

export const timeRangeQuery = {
  from: { type: 'string', description: 'start, ISO 8601 (e.g. 2026-11-29T08:00:00+08:00) or epoch ms; default: 24 h before `to`' },
  to: { type: 'string', description: 'end, ISO 8601 or epoch ms; default: now' },
} as const;

export const nullableNumber = { type: ['number', 'null'] } as const;
export const nullableString = { type: ['string', 'null'] } as const;

export const statusEnum = ['driving', 'charging', 'refuelling', 'parked', 'offline', 'alarm'] as const;

export const vehicleRecordSchema = {
  type: 'object',
  properties: {
    vin: { type: 'string' },
    plate: { type: 'string' },
    vehicleType: { type: 'string' },
    powertrain: { type: 'string' },
    enabled: { type: 'boolean' },
    iccid: { type: 'string' },
    version: { type: 'integer' },
    lastLoginSerial: { type: 'integer' },
    lastLoginDate: { type: 'string' },
    createdAt: { type: 'integer' },
    updatedAt: { type: 'integer' },
  },
  required: ['vin', 'enabled'],
} as const;

export const latestStateSchema = {
  type: ['object', 'null'],
  properties: {
    vin: { type: 'string' },
    at: { type: 'integer' },
    receivedAt: { type: 'integer' },
    online: { type: 'boolean' },
    lon: { type: 'number' },
    lat: { type: 'number' },
    speedKmh: { type: 'number' },
    socPct: { type: 'number' },
    totalVoltageV: { type: 'number' },
    totalCurrentA: { type: 'number' },
    odometerKm: { type: 'number' },
    vehicleState: { type: 'string' },
    chargingState: { type: 'string' },
    alarmLevel: { type: 'number' },
    alarmFlags: { type: 'array', items: { type: 'string' } },
    h2RemainingPct: { type: 'number' },
    h2MaxPressureMpa: { type: 'number' },
    maxCellVoltageV: { type: 'number' },
    minCellVoltageV: { type: 'number' },
    maxTempC: { type: 'number' },
    minTempC: { type: 'number' },
    status: { type: 'string', enum: statusEnum },
  },
} as const;

export const vehicleListItemSchema = {
  type: 'object',
  properties: {
    vin: { type: 'string' },
    plate: nullableString,
    vehicleType: { type: 'string' },
    powertrain: nullableString,
    version: { type: ['integer', 'null'] },
    status: { type: 'string', enum: statusEnum },
    online: { type: 'boolean' },
    lon: nullableNumber,
    lat: nullableNumber,
    speedKmh: nullableNumber,
    socPct: nullableNumber,
    h2RemainingPct: nullableNumber,
    alarmLevel: nullableNumber,
    at: { type: ['integer', 'null'], description: 'collection time of the latest data, epoch ms' },
  },
  required: ['vin', 'vehicleType', 'status', 'online'],
} as const;

export const seriesSchema = {
  type: 'object',
  properties: {
    t: { type: 'array', items: { type: 'number' }, description: 'epoch ms (bucket start when downsampled)' },
    series: { type: 'object', additionalProperties: { type: 'array', items: nullableNumber } },
  },
  required: ['t', 'series'],
} as const;

/** The decoded-frame model (spec/data-model.md); documented there, passed through as is. */
export const frameSchema = { type: 'object', additionalProperties: true, description: 'decoded frame, nevhub data model v1' } as const;

export const explainFieldSchema = {
  type: 'object',
  properties: {
    start: { type: 'integer' },
    end: { type: 'integer' },
    name: { type: 'string' },
    path: { type: 'string' },
    value: {},
    hex: { type: 'string' },
  },
  required: ['start', 'end', 'name', 'path', 'hex'],
} as const;

/** Standard error responses, referenced by every route. */
export const errorResponses = {
  400: { $ref: 'ApiError#' },
  401: { $ref: 'ApiError#' },
  403: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
} as const;
