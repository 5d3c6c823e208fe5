/**
 * Two applications in one build, split by route: /wall (the operations screen, kiosk) and /console (staff).
 * The wall's chunk never contains the console and the console's never the wall.
 */
// first: before any zod schema is built (see zod-jitless.ts)
import './app/zod-jitless';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import './app/base.css';

/**
 * Each route's code, once loaded, is drawn directly: the first render waits for the route's chunk instead of
 * suspending on a lazy component, whose content React reveals only at its next 300 ms throttle step (the wall drew
 * ~0.3 s after its code had run; issue 14 goal 6). The lazy components serve a later switch between routes.
 */
const loaded: { wall?: ComponentType; console?: ComponentType } = {};
const load = {
  wall: () => import('./wall/WallApp').then((module) => (loaded.wall = module.default)),
  console: () => import('./console/ConsoleApp').then((module) => (loaded.console = module.default)),
};
const WallApp = lazy(() => load.wall().then((component) => ({ default: component })));
const ConsoleApp = lazy(() => load.console().then((component) => ({ default: component })));

export function routeOf(pathname: string): 'wall' | 'console' | 'root' {
  if (pathname === '/console' || pathname.startsWith('/console/')) return 'console';
  if (pathname === '/wall' || pathname.startsWith('/wall/')) return 'wall';
  return 'root';
}

function App() {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const route = routeOf(path);
  useEffect(() => {
    if (route === 'root') {
      window.history.replaceState(null, '', `/wall${window.location.search}`);
      setPath('/wall');
    }
  }, [route]);
  const Wall = loaded.wall ?? WallApp;
  const Console = loaded.console ?? ConsoleApp;
  return <Suspense fallback={null}>{route === 'console' ? <Console /> : route === 'wall' ? <Wall /> : null}</Suspense>;
}

// a failed download is drawn as before: the lazy component retries it and its error shows
void (routeOf(window.location.pathname) === 'console' ? load.console() : load.wall())
  .catch(() => undefined)
  .then(() => createRoot(document.getElementById('root')!).render(<App />));
