// Owns the live state for the whole app: REST snapshot + WebSocket stream into the FleetStore,
// recent events, fleet summary (polled), and the socket state for the header.
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api/client.js';
import type { FleetSummary, LiveEvent, VehicleSummary } from '../api/types.js';
import { installProbe } from '../debug.js';
import { EventLog, FleetStore } from './fleetStore.js';
import { LiveSocket } from './liveSocket.js';
import type { SocketState } from './liveSocket.js';

const SUMMARY_POLL_MS = 10_000;

interface Live {
  store: FleetStore;
  events: EventLog;
  socketState: SocketState;
  summary: FleetSummary | null;
}

const LiveContext = createContext<Live | null>(null);

export function LiveProvider({ token, children }: { token: string; children: ReactNode }) {
  const store = useMemo(() => new FleetStore(), []);
  const events = useMemo(() => new EventLog(), []);
  const [socketState, setSocketState] = useState<SocketState>('connecting');
  const [summary, setSummary] = useState<FleetSummary | null>(null);

  useEffect(() => {
    installProbe(store);
    let alive = true;
    const refreshVehicles = (): void => {
      api
        .allVehicles()
        .then((items) => alive && store.load(items))
        .catch(() => undefined);
    };
    const refreshSummary = (): void => {
      api
        .summary()
        .then((s) => alive && setSummary(s))
        .catch(() => undefined);
    };
    refreshVehicles();
    refreshSummary();
    let opened = 0;
    const socket = new LiveSocket(token, {
      onState: setSocketState,
      onOpen: () => {
        // The first open follows the mount-time fetch; any later open is a reconnect, and what
        // happened while the socket was down is only in the REST state.
        if (opened++ > 0) {
          refreshVehicles();
          refreshSummary();
        }
      },
      onMessage: (m) => {
        if (m.type === 'positions') store.applyPositions(m.vehicles);
        else if (m.type === 'event') events.push(m.event);
      },
    });
    socket.start();
    store.start();
    const poll = setInterval(refreshSummary, SUMMARY_POLL_MS);
    return () => {
      alive = false;
      socket.stop();
      store.stop();
      clearInterval(poll);
    };
  }, [store, events, token]);

  const value = useMemo(() => ({ store, events, socketState, summary }), [store, events, socketState, summary]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const ctx = useContext(LiveContext);
  if (!ctx) throw new Error('useLive outside LiveProvider');
  return ctx;
}

/** Re-render on every store flush (at most every 0.5–1 s). */
export function useVehicles(): VehicleSummary[] {
  const { store } = useLive();
  useSyncExternalStore(
    (fn) => store.subscribe(fn),
    () => store.version,
  );
  return store.list();
}

export function useEvents(): LiveEvent[] {
  const { events } = useLive();
  return useSyncExternalStore(
    (fn) => events.subscribe(fn),
    () => events.list(),
  );
}
