// window.__nevhub: read-only probes for browser tests (and curious operators in the console).
import type { FleetStore } from './live/fleetStore.js';

interface NevhubProbe {
  vehicleCount: () => number;
  renderedFeatureCount: () => number;
  positions: () => { vin: string; lon: number | null; lat: number | null }[];
  flushIntervalMs: () => number;
  lastFlushCostMs: () => number;
  mapReady: () => boolean;
  /** Pixel position of a vehicle in the map canvas, or null when it is not on the map. */
  screenPoint: (vin: string) => { x: number; y: number } | null;
}

declare global {
  interface Window {
    __nevhub?: NevhubProbe;
  }
}

let renderedCounter: () => number = () => 0;
let mapReady = false;
let projector: (lonLat: [number, number]) => { x: number; y: number } | null = () => null;

export function setProjector(fn: typeof projector): void {
  projector = fn;
}

export function setRenderedCounter(fn: () => number): void {
  renderedCounter = fn;
}

export function setMapReady(ready: boolean): void {
  mapReady = ready;
}

export function installProbe(store: FleetStore): void {
  window.__nevhub = {
    vehicleCount: () => store.size,
    renderedFeatureCount: () => renderedCounter(),
    positions: () => store.list().map((v) => ({ vin: v.vin, lon: v.lon, lat: v.lat })),
    flushIntervalMs: () => store.flushIntervalMs,
    lastFlushCostMs: () => store.lastFlushCostMs,
    mapReady: () => mapReady,
    screenPoint: (vin) => {
      const v = store.get(vin);
      return v && v.lon != null && v.lat != null ? projector([v.lon, v.lat]) : null;
    },
  };
}
