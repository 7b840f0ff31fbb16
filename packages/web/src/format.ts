// Number and time formatting shared by panels.
export function fmtNum(v: number | null | undefined, digits = 0, unit = ''): string {
  if (v == null || Number.isNaN(v)) return '—';
  const s = v.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${s} ${unit}` : s;
}

export function toMs(at: number | string | null | undefined): number | null {
  if (at == null) return null;
  const n = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(n) ? n : null;
}

export function fmtTime(at: number | string | null | undefined, locale: string): string {
  const ms = toMs(at);
  if (ms == null) return '—';
  return new Date(ms).toLocaleTimeString(locale, { hour12: false });
}

export function fmtDateTime(at: number | string | null | undefined, locale: string): string {
  const ms = toMs(at);
  if (ms == null) return '—';
  return new Date(ms).toLocaleString(locale, { hour12: false });
}
