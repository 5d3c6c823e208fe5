/**
 * Two applications in one build, split by route: /wall (the operations screen, kiosk) and /console (staff).
 * The wall's chunk never contains the console and the console's never the wall.
 */
// first: before any zod schema is built (see zod-jitless.ts)
import './app/zod-jitless';
import { lazy, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import './app/base.css';

const WallApp = lazy(() => import('./wall/WallApp'));
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));

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
  return <Suspense fallback={null}>{route === 'console' ? <ConsoleApp /> : route === 'wall' ? <WallApp /> : null}</Suspense>;
}

createRoot(document.getElementById('root')!).render(<App />);
