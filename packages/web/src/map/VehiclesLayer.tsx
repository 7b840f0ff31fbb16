// Vehicles as one GeoJSON circle layer coloured by status. The source is updated with setData
// straight from the FleetStore flush (no React render in between); filters are map expressions,
// so changing them does not rebuild the data. Alarmed vehicles get a halo that pulses in step
// with the flushes: it changes in the same frame as setData, so the pulse costs no extra repaint
// (a free-running paint animation repaints the whole map ~12×/s, which a software-rendered or
// busy map cannot afford).
import { useEffect, useRef } from 'react';
import type { ExpressionSpecification, GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { VehicleSummary } from '../api/types.js';
import { setRenderedCounter } from '../debug.js';
import { useI18n } from '../i18n/i18n.js';
import type { Translate } from '../i18n/i18n.js';
import { useLive } from '../live/LiveProvider.js';
import { STATUS_COLORS } from '../status.js';
import type { VehicleFilter } from '../status.js';
import { useMap } from './MapView.js';
import { el, showPopup } from './popup.js';

const SOURCE = 'vehicles';
const LAYER = 'vehicles';
const HALO = 'vehicles-alarm-halo';

function toFeatures(list: VehicleSummary[]): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const v of list) {
    if (v.lon == null || v.lat == null) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [v.lon, v.lat] },
      properties: {
        vin: v.vin,
        plate: v.plate ?? '',
        status: v.status,
        vehicleType: v.vehicleType,
        powertrain: v.powertrain,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

function filterExpression(f: VehicleFilter): ExpressionSpecification {
  const parts: ExpressionSpecification[] = [];
  if (f.type) parts.push(['==', ['get', 'vehicleType'], f.type]);
  if (f.powertrain) parts.push(['==', ['get', 'powertrain'], f.powertrain]);
  if (f.status) parts.push(['==', ['get', 'status'], f.status]);
  return ['all', ['boolean', true], ...parts];
}

function popupContent(v: VehicleSummary, t: Translate): HTMLElement {
  const link = el('a', 'pp-link', t('openVehicle')) as HTMLAnchorElement;
  link.href = `#/vehicle/${encodeURIComponent(v.vin)}`;
  const row = (k: string, val: string) => el('div', 'pp-row', [el('span', 'pp-k', k), el('span', 'pp-v', val)]);
  const dot = el('span', 'dot');
  dot.style.background = STATUS_COLORS[v.status];
  return el('div', 'pp', [
    el('div', 'pp-title', [dot, v.plate ?? v.vin]),
    el('div', 'pp-sub', `${v.vin} · ${t(v.vehicleType)} · ${t(v.powertrain)}`),
    row(t('status'), t(v.status)),
    row(t('speed'), v.speedKmh == null ? '—' : `${v.speedKmh.toFixed(0)} km/h`),
    row(t('soc'), v.socPct == null ? '—' : `${v.socPct.toFixed(0)} %`),
    link,
  ]);
}

export function VehiclesLayer({ filter }: { filter: VehicleFilter }) {
  const map = useMap();
  const { store } = useLive();
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (!map) return;
    map.addSource(SOURCE, { type: 'geojson', data: toFeatures(store.list()) });
    const color: ExpressionSpecification = [
      'match',
      ['get', 'status'],
      ...Object.entries(STATUS_COLORS).flat(),
      '#9ca3af',
    ] as unknown as ExpressionSpecification;
    map.addLayer({
      id: HALO,
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['get', 'status'], 'alarm'],
      paint: { 'circle-radius': 8, 'circle-color': STATUS_COLORS.alarm, 'circle-opacity': 0.45, 'circle-blur': 0.5 },
    });
    map.addLayer({
      id: LAYER,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 13, 4.5, 17, 8],
        'circle-color': color,
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0.5, 15, 1.5],
        'circle-stroke-color': '#0b1018',
      },
    });
    let phase = false;
    const unsubscribe = store.subscribe(() => {
      const list = store.list();
      map.getSource<GeoJSONSource>(SOURCE)?.setData(toFeatures(list));
      if (!list.some((v) => v.status === 'alarm')) return;
      phase = !phase;
      map.setPaintProperty(HALO, 'circle-radius', ['interpolate', ['linear'], ['zoom'], 10, phase ? 13 : 7, 16, phase ? 28 : 16]);
      map.setPaintProperty(HALO, 'circle-opacity', phase ? 0.3 : 0.6);
    });
    // A point near a tile edge is drawn in both tiles (tile buffer), so count distinct VINs.
    setRenderedCounter(() =>
      map.getLayer(LAYER) ? new Set(map.queryRenderedFeatures({ layers: [LAYER] }).map((f) => f.properties.vin as string)).size : 0,
    );

    const onClick = (e: MapLayerMouseEvent): void => {
      const vin = e.features?.[0]?.properties.vin as string | undefined;
      const v = vin ? store.get(vin) : undefined;
      if (!v || v.lon == null || v.lat == null) return;
      showPopup(map, [v.lon, v.lat], popupContent(v, tRef.current));
    };
    const enter = (): void => void (map.getCanvas().style.cursor = 'pointer');
    const leave = (): void => void (map.getCanvas().style.cursor = '');
    map.on('click', LAYER, onClick);
    map.on('mouseenter', LAYER, enter);
    map.on('mouseleave', LAYER, leave);
    return () => {
      unsubscribe();
      setRenderedCounter(() => 0);
      map.off('click', LAYER, onClick);
      map.off('mouseenter', LAYER, enter);
      map.off('mouseleave', LAYER, leave);
      for (const id of [LAYER, HALO]) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    };
  }, [map, store]);

  useEffect(() => {
    if (!map) return;
    const expr = filterExpression(filter);
    map.setFilter(LAYER, expr);
    map.setFilter(HALO, ['all', expr, ['==', ['get', 'status'], 'alarm']]);
  }, [map, filter]);

  return null;
}
