// Every API error is defined once here, with a stable code, a message template and an HTTP
// status (house style, after fastify's own error table). Handlers throw `apiError(...)`; the error
// handler turns it into { statusCode, code, error, message }.
import { STATUS_CODES } from 'node:http';

export const API_ERRORS = {
  NEVHUB_ERR_UNAUTHORIZED: { status: 401, message: 'missing or invalid token: send "Authorization: Bearer <token>" (WebSocket: ?token=)' },
  NEVHUB_ERR_FORBIDDEN: { status: 403, message: 'role %s may not do this; it needs role %s' },
  NEVHUB_ERR_VALIDATION: { status: 400, message: '%s' },
  NEVHUB_ERR_BAD_REQUEST: { status: 400, message: '%s' },
  NEVHUB_ERR_BAD_HEX: { status: 400, message: 'not a hex string: %s' },
  NEVHUB_ERR_BAD_TIME_RANGE: { status: 400, message: '%s' },
  NEVHUB_ERR_BAD_COMMAND: { status: 400, message: '%s' },
  NEVHUB_ERR_VEHICLE_NOT_FOUND: { status: 404, message: 'no vehicle with VIN %s' },
  NEVHUB_ERR_VEHICLE_EXISTS: { status: 409, message: 'vehicle %s is already registered' },
  NEVHUB_ERR_PLATFORM_NOT_FOUND: { status: 404, message: 'no platform account %s' },
  NEVHUB_ERR_TOKEN_NOT_FOUND: { status: 404, message: 'no token %s' },
  NEVHUB_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'no route %s %s' },
  NEVHUB_ERR_GATEWAY_UNAVAILABLE: { status: 503, message: 'no gateway is attached to this API: downlink commands are unavailable' },
  NEVHUB_ERR_VEHICLE_OFFLINE: { status: 409, message: 'vehicle %s is not connected' },
  NEVHUB_ERR_NOT_READY: { status: 503, message: '%s' },
  NEVHUB_ERR_LIVE_UNAVAILABLE: { status: 503, message: 'no live hub is attached to this API' },
  NEVHUB_ERR_INTERNAL: { status: 500, message: 'internal error: %s' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The JSON body of every error response. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.statusCode = API_ERRORS[code].status;
  }

  toBody(): ApiErrorBody {
    return { statusCode: this.statusCode, code: this.code, error: STATUS_CODES[this.statusCode] ?? 'Error', message: this.message };
  }
}

/** Builds the error of `code`, filling each `%s` of its template with the next argument. */
export function apiError(code: ApiErrorCode, ...args: (string | number)[]): ApiError {
  let i = 0;
  const message = API_ERRORS[code].message.replace(/%s/g, () => String(args[i++] ?? ''));
  return new ApiError(code, message);
}

/** JSON schema of the error body, shared by every route's 4xx/5xx responses (OpenAPI). */
export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'stable code, NEVHUB_ERR_…' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['statusCode', 'code', 'error', 'message'],
} as const;
