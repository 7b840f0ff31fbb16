// HTML popups (instead of map text labels, which would need a glyphs download).
import { Popup } from 'maplibre-gl';
import type { Map as MlMap, LngLatLike } from 'maplibre-gl';

let open: Popup | null = null;

export function showPopup(map: MlMap, at: LngLatLike, content: HTMLElement): void {
  open?.remove();
  open = new Popup({ closeButton: true, maxWidth: '280px', className: 'nh-popup' })
    .setLngLat(at)
    .setDOMContent(content)
    .addTo(map);
}

export function closePopup(): void {
  open?.remove();
  open = null;
}

/** Tiny DOM builder: el('div', 'cls', 'text' | [children]). */
export function el(tag: string, className: string, content?: string | (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (typeof content === 'string') e.textContent = content;
  else if (content) e.append(...content);
  return e;
}
