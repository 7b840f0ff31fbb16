// Terminal parameters (spec §11.3) and the answers to platform query (0x80), setting (0x81) and
// terminal control (0x82): same command, response flag success/error (spec §4, §11).
import { paramName, paramsWithLengths, type Param, type ParamValue } from '@nevhub/gbt32960';

export interface TerminalParams {
  storagePeriodMs: number;
  reportPeriodS: number;
  /** 2016: ms; 2025: raw 0/1 (1 s). Either way the terminal samples alarms at 1 s (spec §13). */
  alarmReportPeriod: number;
  platformDomain: string;
  platformPort: number;
  heartbeatPeriodS: number;
  terminalResponseTimeoutS: number;
  platformResponseTimeoutS: number;
  loginRetryWaitMin: number;
  publicDomain: string;
  publicPort: number;
  samplingMonitoring: number;
}

export function defaultParams(edition: 2016 | 2025, host: string, port: number, reportPeriodS: number, heartbeatPeriodS: number): TerminalParams {
  return {
    storagePeriodMs: 1000,
    reportPeriodS,
    alarmReportPeriod: edition === 2016 ? 1000 : 1,
    platformDomain: host,
    platformPort: port,
    heartbeatPeriodS,
    terminalResponseTimeoutS: 60,
    platformResponseTimeoutS: 60,
    loginRetryWaitMin: 30,
    publicDomain: '',
    publicPort: 0,
    samplingMonitoring: 2,
  };
}

const HW = 'HW1.0';
const FW = 'FW2.3';

export function paramValue(p: TerminalParams, id: number): ParamValue | undefined {
  switch (id) {
    case 0x01: return p.storagePeriodMs;
    case 0x02: return p.reportPeriodS;
    case 0x03: return p.alarmReportPeriod;
    case 0x05: return p.platformDomain;
    case 0x06: return p.platformPort;
    case 0x07: return HW;
    case 0x08: return FW;
    case 0x09: return p.heartbeatPeriodS;
    case 0x0a: return p.terminalResponseTimeoutS;
    case 0x0b: return p.platformResponseTimeoutS;
    case 0x0c: return p.loginRetryWaitMin;
    case 0x0e: return p.publicDomain;
    case 0x0f: return p.publicPort;
    case 0x10: return p.samplingMonitoring;
    default: return undefined;
  }
}

/** Reply parameters for a query; undefined when an id is unknown (→ error reply). */
export function answerQuery(p: TerminalParams, ids: number[]): Param[] | undefined {
  const values: { id: number; value: ParamValue }[] = [];
  for (const id of ids) {
    if (id === 0x04 || id === 0x0d) continue; // lengths are added in front of their domain
    const v = paramValue(p, id);
    if (v === undefined) return undefined;
    values.push({ id, value: v });
  }
  return paramsWithLengths(values).params;
}

/** Applies a setting; all or nothing (spec §11.2). Returns false to reject it. */
export function applySetting(p: TerminalParams, params: Param[], edition: 2016 | 2025): boolean {
  const next = { ...p };
  for (const { id, value } of params) {
    if (value === undefined) return false;
    const n = typeof value === 'number' ? value : NaN;
    const inRange = (lo: number, hi: number): boolean => Number.isInteger(n) && n >= lo && n <= hi;
    switch (id) {
      case 0x01: if (!inRange(0, 60000)) return false; next.storagePeriodMs = n; break;
      case 0x02: if (!inRange(1, edition === 2025 ? 30 : 600)) return false; next.reportPeriodS = n; break;
      case 0x03: if (!inRange(0, edition === 2025 ? 1 : 60000)) return false; next.alarmReportPeriod = n; break;
      case 0x04: case 0x0d: break;
      case 0x05: next.platformDomain = String(value); break;
      case 0x06: if (!inRange(0, 65531)) return false; next.platformPort = n; break;
      case 0x09: if (!inRange(1, 240)) return false; next.heartbeatPeriodS = n; break;
      case 0x0a: if (!inRange(1, 600)) return false; next.terminalResponseTimeoutS = n; break;
      case 0x0b: if (!inRange(1, 600)) return false; next.platformResponseTimeoutS = n; break;
      case 0x0c: if (!inRange(1, 240)) return false; next.loginRetryWaitMin = n; break;
      case 0x0e: next.publicDomain = String(value); break;
      case 0x0f: if (!inRange(0, 65531)) return false; next.publicPort = n; break;
      case 0x10: if (!inRange(1, 2)) return false; next.samplingMonitoring = n; break;
      default: return false; // 0x07/0x08 are query-only; others unknown (spec §11.2)
    }
  }
  Object.assign(p, next);
  return true;
}

export { paramName };
