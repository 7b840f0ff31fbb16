// Hash routing (#/ and #/vehicle/:vin): works from any static host without server rewrites.
import { useSyncExternalStore } from 'react';

export type Route = { page: 'map' } | { page: 'vehicle'; vin: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/vehicle\/([^/?#]+)/.exec(hash);
  if (m) return { page: 'vehicle', vin: decodeURIComponent(m[1]) };
  return { page: 'map' };
}

const subscribe = (fn: () => void): (() => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
