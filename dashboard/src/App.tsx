import { useEffect } from 'react';
import { AppHeader } from './components/AppHeader.tsx';
import { AssetPage } from './pages/AssetPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { TodayPage } from './pages/TodayPage.tsx';
import { useRoute } from './router.ts';

export function App() {
  const route = useRoute();
  const routeKey = route.page === 'asset' ? `${route.assetType}/${route.symbol}` : route.page;

  const title = route.page === 'asset' ? `${route.symbol} · Stratos` : 'Stratos';

  useEffect(() => {
    document.title = title;
  }, [title]);
  // A new page starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: routeKey is the trigger, not an input
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [routeKey]);

  return (
    <>
      <AppHeader />
      <main className="page">
        {route.page === 'today' && <TodayPage />}
        {route.page === 'asset' && (
          <AssetPage key={routeKey} assetType={route.assetType} symbol={route.symbol} />
        )}
        {route.page === 'not-found' && <NotFoundPage path={route.path} />}
      </main>
    </>
  );
}
