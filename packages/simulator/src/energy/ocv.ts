// Open-circuit voltage of one cell against state of charge, per chemistry. Tables are typical
// published shapes: NCM rises steadily 3.0→4.18 V; LFP is flat around 3.3 V with steep ends.

export type Chemistry = 'NCM' | 'LFP';

const TABLES: Record<Chemistry, readonly number[]> = {
  // SOC 0, 10, …, 100 %
  NCM: [3.0, 3.45, 3.55, 3.62, 3.67, 3.73, 3.8, 3.88, 3.97, 4.07, 4.18],
  LFP: [2.8, 3.18, 3.22, 3.25, 3.27, 3.29, 3.3, 3.31, 3.32, 3.34, 3.45],
};

/** Cell OCV in volts for SOC in % (clamped to 0…100). */
export function ocv(chem: Chemistry, socPct: number): number {
  const t = TABLES[chem];
  const s = Math.max(0, Math.min(100, socPct)) / 10;
  const i = Math.min(9, Math.floor(s));
  return t[i] + (t[i + 1] - t[i]) * (s - i);
}
