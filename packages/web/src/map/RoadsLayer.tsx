// Road network and points of interest from GET /api/v1/roads, drawn under the vehicles.
import { useEffect } from 'react';
import type { GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import { LngLatBounds } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { api } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/dict.js';
import { MAP_COLORS, useMap } from './MapView.js';
import { el, showPopup } from './popup.js';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
export const POI_COLORS = { depot: '#f59e0b', charger: '#3b82f6', h2station: '#06b6d4' } as const;

function boundsOf(fc: FeatureCollection): LngLatBounds | null {
  const b = new LngLatBounds();
  let any = false;
  for (const f of fc.features) {
    const g = f.geometry;
    const coords = g.type === 'LineString' ? g.coordinates : g.type === 'Point' ? [g.coordinates] : [];
    for (const c of coords) {
      b.extend([c[0], c[1]]);
      any = true;
    }
  }
  return any ? b : null;
}

export function RoadsLayer() {
  const map = useMap();
  const { t } = useI18n();

  useEffect(() => {
    if (!map) return;
    map.addSource('roads', { type: 'geojson', data: EMPTY });
    const line = (id: string, cls: string, color: string, w: [number, number]) =>
      map.addLayer({
        id,
        type: 'line',
        source: 'roads',
        filter: ['all', ['==', ['geometry-type'], 'LineString'], ['==', ['get', 'class'], cls]],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': color,
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, w[0], 16, w[1]],
        },
      });
    line('roads-street', 'street', MAP_COLORS.street, [0.5, 4]);
    line('roads-arterial', 'arterial', MAP_COLORS.arterial, [1.2, 8]);
    line('roads-ring', 'ring', MAP_COLORS.ring, [2, 12]);
    map.addLayer({
      id: 'pois',
      type: 'circle',
      source: 'roads',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 16, 10],
        'circle-color': ['match', ['get', 'kind'], 'depot', POI_COLORS.depot, 'charger', POI_COLORS.charger, POI_COLORS.h2station],
        'circle-opacity': 0.25,
        'circle-stroke-width': 2,
        'circle-stroke-color': ['match', ['get', 'kind'], 'depot', POI_COLORS.depot, 'charger', POI_COLORS.charger, POI_COLORS.h2station],
      },
    });
    let alive = true;
    api
      .roads()
      .then((fc) => {
        if (!alive) return;
        map.getSource<GeoJSONSource>('roads')?.setData(fc);
        const b = boundsOf(fc);
        if (b) map.fitBounds(b, { padding: 40, animate: false });
      })
      .catch(() => undefined);
    return () => {
      alive = false;
      for (const id of ['pois', 'roads-ring', 'roads-arterial', 'roads-street']) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource('roads')) map.removeSource('roads');
    };
  }, [map]);

  // Popups read the current language, so (re)bind when it changes.
  useEffect(() => {
    if (!map) return;
    const onClick = (e: MapLayerMouseEvent): void => {
      const f = e.features?.[0];
      if (!f || f.geometry.type !== 'Point') return;
      const kind = String(f.properties.kind ?? '');
      const kindLabel = kind in POI_COLORS ? t(kind as MessageKey) : kind;
      showPopup(map, f.geometry.coordinates as [number, number], el('div', 'pp', [
        el('div', 'pp-title', String(f.properties.name ?? '')),
        el('div', 'pp-sub', kindLabel),
      ]));
    };
    const enter = (): void => void (map.getCanvas().style.cursor = 'pointer');
    const leave = (): void => void (map.getCanvas().style.cursor = '');
    map.on('click', 'pois', onClick);
    map.on('mouseenter', 'pois', enter);
    map.on('mouseleave', 'pois', leave);
    return () => {
      map.off('click', 'pois', onClick);
      map.off('mouseenter', 'pois', enter);
      map.off('mouseleave', 'pois', leave);
    };
  }, [map, t]);

  return null;
}
