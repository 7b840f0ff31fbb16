// One long-lived MapLibre map (traccar-web): created once, never re-created on navigation; layers
// are renderless children that add their sources/layers in effects and update with setData.
// Offline basemap: a style with only a background layer, no tiles and no glyphs (names live in
// HTML popups), so nothing is fetched from the internet.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Map as MlMap, NavigationControl, ScaleControl } from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { setMapReady, setProjector } from '../debug.js';
import { useI18n } from '../i18n/i18n.js';

export const MAP_COLORS = {
  background: '#0d1520',
  ring: '#41506a',
  arterial: '#33405a',
  street: '#243045',
} as const;

const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } }],
};

const MapContext = createContext<MlMap | null>(null);

export function useMap(): MlMap | null {
  return useContext(MapContext);
}

export function MapView({ children }: { children?: ReactNode }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MlMap | null>(null);
  const [failed, setFailed] = useState(false);
  const { t } = useI18n();

  useEffect(() => {
    if (!containerRef.current) return;
    let instance: MlMap;
    try {
      instance = new MlMap({
        container: containerRef.current,
        style: OFFLINE_STYLE,
        center: [115.46, 38.87],
        zoom: 12,
        attributionControl: false,
      });
    } catch {
      setFailed(true);
      return;
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    instance.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    instance.on('load', () => {
      setMapReady(true);
      setProjector((lonLat) => {
        const p = instance.project(lonLat);
        return { x: p.x, y: p.y };
      });
      setMap(instance);
    });
    const onResize = new ResizeObserver(() => instance.resize());
    onResize.observe(containerRef.current);
    return () => {
      onResize.disconnect();
      setMapReady(false);
      setProjector(() => null);
      setMap(null);
      // React runs this cleanup before the layers' own cleanups (parents first on unmount);
      // removing the map after them lets each layer take its sources and layers off cleanly.
      queueMicrotask(() => instance.remove());
    };
  }, []);

  return (
    <div className="map-wrap">
      <div className="map" data-testid="map" ref={containerRef} />
      {failed && <div className="map-failed">{t('mapUnavailable')}</div>}
      <MapContext.Provider value={map}>{map && children}</MapContext.Provider>
    </div>
  );
}
