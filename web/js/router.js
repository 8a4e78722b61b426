// Hash router: '#/settings/profile' matches the pattern '/settings/:tab'. Routes are
// declared in routes.js; this file only matches paths and reports changes.

let routes = [];
let handler = null;

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

export function currentPath() {
  const path = window.location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
}

export function resolve(path) {
  for (const route of routes) {
    const match = route.compiled.regex.exec(path);
    if (!match) continue;
    const params = {};
    route.compiled.names.forEach((name, i) => { params[name] = decodeURIComponent(match[i + 1]); });
    return { route, params, path };
  }
  return null;
}

export function navigate(path, { replace = false } = {}) {
  if (currentPath() === path) {
    handler(resolve(path), path);
  } else if (replace) {
    window.location.replace(`#${path}`);
  } else {
    window.location.hash = path;
  }
}

export function startRouter(routeTable, onRoute) {
  routes = routeTable.map((route) => ({ ...route, compiled: compile(route.path) }));
  handler = onRoute;
  window.addEventListener('hashchange', () => handler(resolve(currentPath()), currentPath()));
  handler(resolve(currentPath()), currentPath());
}
