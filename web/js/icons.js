// Inline SVG icons drawn with DOM calls (no innerHTML, CSP-safe). Each icon is a list of
// path data on a 24x24 grid, stroked with currentColor so CSS decides the colour.

const NS = 'http://www.w3.org/2000/svg';

const CIRCLE = 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z';

const PATHS = {
  home: ['M4 11 12 4l8 7', 'M6 9.5V20h12V9.5', 'M10 20v-5h4v5'],
  settings: [
    'M4 7h9', 'M17 7h3', 'M17 7a2 2 0 1 1-4 0 2 2 0 0 1 4 0Z',
    'M4 17h3', 'M11 17h9', 'M11 17a2 2 0 1 1-4 0 2 2 0 0 1 4 0Z',
  ],
  logout: ['M14 4H6v16h8', 'M11 12h10', 'M17 8l4 4-4 4'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  chevronDown: ['M7 10l5 5 5-5'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  checkCircle: [CIRCLE, 'M8 12.5l2.8 2.8L16.5 9.5'],
  circle: [CIRCLE],
  alert: [CIRCLE, 'M12 7.5V13', 'M12 16.5v.01'],
  info: [CIRCLE, 'M12 11v5.5', 'M12 7.5v.01'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  refresh: ['M20 12a8 8 0 1 1-2.3-5.7', 'M20 4v5h-5'],
  user: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M4.5 20.5c1.2-3.5 4-5 7.5-5s6.3 1.5 7.5 5'],
  lock: ['M6 11h12v9H6Z', 'M9 11V8a3 3 0 0 1 6 0v3'],
  server: ['M4 4h16v6H4Z', 'M4 14h16v6H4Z', 'M8 7h.01', 'M8 17h.01'],
  arrowRight: ['M5 12h14', 'M13 6l6 6-6 6'],
  users: ['M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z', 'M2.5 20c.8-3.3 3.3-5 6.5-5s5.7 1.7 6.5 5',
    'M16 4.3a3.5 3.5 0 0 1 0 6.4', 'M18.5 15.3c1.5.8 2.6 2.4 3 4.7'],
  key: ['M8 15a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M11.5 11H21', 'M18 11v3.5', 'M15 11v2.5'],
  copy: ['M9 9h11v11H9Z', 'M5 15H4V4h11v1'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
  edit: ['M4 20h4L19 9l-4-4L4 16v4Z', 'M13.5 6.5l4 4'],
  plus: ['M12 5v14', 'M5 12h14'],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Z', 'M20 20l-4-4'],
  shield: ['M12 3l8 3v6c0 4.5-3.4 7.8-8 9-4.6-1.2-8-4.5-8-9V6l8-3Z', 'M9 12l2 2 4-4'],
  activity: ['M3 12h4l3-7 4 14 3-7h4'],
  tag: ['M3.5 12.5V4h8.5l8.5 8.5-8 8-9-8Z', 'M8 8.5h.01'],
  terminal: ['M4 5h16v14H4Z', 'M8 10l2.5 2L8 14', 'M13 14h3'],
  chat: ['M4 5h16v11H9.5L5 19.5V16H4Z', 'M8 9h8', 'M8 12h5'],
  send: ['M21 3 3 10.5l7 2.5 2.5 7L21 3Z', 'M10 13l4.5-4.5'],
  arrowLeft: ['M19 12H5', 'M11 6l-6 6 6 6'],
  clock: [CIRCLE, 'M12 7.5V12l3 2'],
  phone: ['M7.5 3h9v18h-9Z', 'M11 17.5h2'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  file: ['M6 3h8l4 4v14H6Z', 'M14 3v4h4'],
  template: ['M5 4h14v16H5Z', 'M8 8h8', 'M8 12h8', 'M8 16h4'],
  broadcast: ['M3 10v4h4l9 5V5l-9 5H3Z', 'M7 14l1.5 6h3l-1.3-4.8', 'M19.5 9a4 4 0 0 1 0 6'],
  image: ['M4 5h16v14H4Z', 'M4 16l5-5 4 4 2-2 5 5', 'M15 9h.01'],
  mapPin: ['M12 21s-6-5.5-6-11a6 6 0 0 1 12 0c0 5.5-6 11-6 11Z', 'M12 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z'],
  zap: ['M13 3 5 14h6l-1 7 8-11h-6l1-7Z'],
  star: ['M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9Z'],
  flask: ['M9 3h6', 'M10 3v6L5 19.5h14L14 9V3', 'M7.5 15h9'],
  pause: ['M9 6v12', 'M15 6v12'],
  tick: ['M4 12.5l4.5 4.5L19 6.5'],
  ticks: ['M1.5 12.5 6 17 15.5 6.5', 'M11 16.2l.8.8L22 6.5'],
};

export function icon(name, extraClass = '') {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon ${extraClass}`.trim());
  for (const d of PATHS[name] || []) {
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
