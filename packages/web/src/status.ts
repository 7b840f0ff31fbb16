// Status colours and the shared vehicle filter (map layer and list use the same one).
import type { Powertrain, VehicleStatus, VehicleSummary, VehicleType } from './api/types.js';

export const STATUS_COLORS: Record<VehicleStatus, string> = {
  driving: '#22c55e',
  charging: '#3b82f6',
  refuelling: '#06b6d4',
  parked: '#9ca3af',
  offline: '#4b5563',
  alarm: '#ef4444',
};

export interface VehicleFilter {
  type: VehicleType | '';
  powertrain: Powertrain | '';
  status: VehicleStatus | '';
  q: string;
}

export const NO_FILTER: VehicleFilter = { type: '', powertrain: '', status: '', q: '' };

export function matchesFilter(v: VehicleSummary, f: VehicleFilter): boolean {
  if (f.type && v.vehicleType !== f.type) return false;
  if (f.powertrain && v.powertrain !== f.powertrain) return false;
  if (f.status && v.status !== f.status) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!v.vin.toLowerCase().includes(q) && !(v.plate ?? '').toLowerCase().includes(q)) return false;
  }
  return true;
}
