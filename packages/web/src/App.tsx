// Shell: login gate, then the live app. The map stays mounted for the app's lifetime; the vehicle
// page is drawn over it, so going back to the map costs nothing.
import { useEffect, useState } from 'react';
import { setUnauthorizedHandler } from './api/client.js';
import { clearToken, getToken, setToken } from './api/auth.js';
import { EventsList } from './fleet/EventsList.js';
import { FleetPanel } from './fleet/FleetPanel.js';
import { VehicleList } from './fleet/VehicleList.js';
import { Header } from './Header.js';
import { LiveProvider, useLive } from './live/LiveProvider.js';
import { Login } from './Login.js';
import { MapView } from './map/MapView.js';
import { RoadsLayer } from './map/RoadsLayer.js';
import { VehiclesLayer } from './map/VehiclesLayer.js';
import { useRoute } from './router.js';
import { NO_FILTER } from './status.js';
import type { VehicleFilter } from './status.js';
import { VehiclePage } from './vehicle/VehiclePage.js';

function Dashboard({ onLogout }: { onLogout: () => void }) {
  const { socketState } = useLive();
  const route = useRoute();
  const [filter, setFilter] = useState<VehicleFilter>(NO_FILTER);
  return (
    <div className="app">
      <Header socketState={socketState} onLogout={onLogout} />
      <main className="main">
        <aside className="sidebar">
          <FleetPanel status={filter.status} onStatus={(status) => setFilter({ ...filter, status })} />
          <VehicleList filter={filter} onFilter={setFilter} />
          <EventsList />
        </aside>
        <MapView>
          <RoadsLayer />
          <VehiclesLayer filter={filter} />
        </MapView>
        {route.page === 'vehicle' && (
          <div className="overlay">
            <VehiclePage key={route.vin} vin={route.vin} />
          </div>
        )}
      </main>
    </div>
  );
}

export function App() {
  const [token, setTokenState] = useState<string | null>(getToken);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearToken();
      setTokenState(null);
    });
    return () => setUnauthorizedHandler(null);
  }, []);
  if (!token) {
    return (
      <Login
        onToken={(tk) => {
          setToken(tk);
          setTokenState(tk);
        }}
      />
    );
  }
  return (
    <LiveProvider token={token}>
      <Dashboard
        onLogout={() => {
          clearToken();
          setTokenState(null);
        }}
      />
    </LiveProvider>
  );
}
