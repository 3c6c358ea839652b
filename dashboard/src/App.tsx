import { lazy, Suspense, useEffect, useRef } from 'react';
import { AppHeader } from './components/AppHeader.tsx';
import { DeniedBanner } from './components/DeniedBanner.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Loading } from './components/QueryState.tsx';
import { SettingsDialog } from './components/SettingsDialog.tsx';
import { useRunWatcher } from './lib/useRunWatcher.ts';
import { useSlashFocus } from './lib/useSlashFocus.ts';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { TodayPage } from './pages/TodayPage.tsx';
import { type Route, useRoute } from './router.ts';

// Today is in the main chunk (it is the page a trader opens); every other page is its own chunk,
// and the asset page loads the chart library only when it draws a chart.
const ScreenerPage = lazy(() =>
  import('./pages/ScreenerPage.tsx').then((m) => ({ default: m.ScreenerPage })),
);
const AssetPage = lazy(() => import('./pages/AssetPage.tsx').then((m) => ({ default: m.AssetPage })));
const SignalsPage = lazy(() => import('./pages/SignalsPage.tsx').then((m) => ({ default: m.SignalsPage })));
const ReviewsPage = lazy(() => import('./pages/ReviewsPage.tsx').then((m) => ({ default: m.ReviewsPage })));
const BacktestsPage = lazy(() =>
  import('./pages/BacktestsPage.tsx').then((m) => ({ default: m.BacktestsPage })),
);
const NewsPage = lazy(() => import('./pages/NewsPage.tsx').then((m) => ({ default: m.NewsPage })));
const PortfolioPage = lazy(() =>
  import('./pages/PortfolioPage.tsx').then((m) => ({ default: m.PortfolioPage })),
);
const SearchPage = lazy(() => import('./pages/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const StrategiesPage = lazy(() =>
  import('./pages/StrategiesPage.tsx').then((m) => ({ default: m.StrategiesPage })),
);
const LearningPage = lazy(() =>
  import('./pages/LearningPage.tsx').then((m) => ({ default: m.LearningPage })),
);
const PipelinePage = lazy(() =>
  import('./pages/PipelinePage.tsx').then((m) => ({ default: m.PipelinePage })),
);

const TITLES: Record<string, string> = {
  today: 'Today',
  screener: 'Screener',
  signals: 'Signals',
  reviews: 'AI reviews',
  backtests: 'Backtests',
  news: 'News',
  portfolio: 'Portfolio',
  strategies: 'Strategies',
  search: 'Strategy search',
  learning: 'Learning',
  pipeline: 'Pipeline',
};

function titleOf(route: Route): string {
  if (route.page === 'asset') return `${route.symbol} · Stratos`;
  if (route.page === 'backtest') return `Backtest #${route.id} · Stratos`;
  if (route.page === 'not-found') return 'Not found · Stratos';
  return `${TITLES[route.page] ?? route.page} · Stratos`;
}

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'today':
      return <TodayPage />;
    case 'screener':
      return <ScreenerPage query={route.query} />;
    case 'signals':
      return <SignalsPage />;
    case 'reviews':
      return <ReviewsPage />;
    case 'backtests':
      return <BacktestsPage backtestId={null} query={route.query} />;
    case 'backtest':
      return <BacktestsPage backtestId={route.id} query={route.query} />;
    case 'news':
      return <NewsPage query={route.query} />;
    case 'portfolio':
      return <PortfolioPage query={route.query} />;
    case 'strategies':
      return <StrategiesPage />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'learning':
      return <LearningPage />;
    case 'pipeline':
      return <PipelinePage />;
    case 'asset':
      return (
        <AssetPage
          key={`${route.assetType}/${route.symbol}`}
          assetType={route.assetType}
          symbol={route.symbol}
          query={route.query}
        />
      );
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}

/** The shell: skip link, header with navigation, the current page, the settings dialog. */
export function App() {
  const route = useRoute();
  const routeKey =
    route.page === 'asset'
      ? `asset/${route.assetType}/${route.symbol}`
      : route.page === 'backtest'
        ? `backtest/${route.id}`
        : route.page;
  const main = useRef<HTMLElement>(null);
  const runInProgress = useRunWatcher();
  useSlashFocus();

  const title = titleOf(route);
  useEffect(() => {
    document.title = title;
  }, [title]);

  // A new page starts at the top, and keyboard and screen-reader users land on it; the first
  // render keeps the browser's own focus.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: routeKey is the trigger, not an input
  useEffect(() => {
    window.scrollTo(0, 0);
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
  }, [routeKey]);

  return (
    <>
      {/* A button, not a link: the hash belongs to the router. */}
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <AppHeader route={route} runInProgress={runInProgress} />
      <DeniedBanner />
      <main id="main" ref={main} tabIndex={-1} className="page">
        <ErrorBoundary key={routeKey}>
          <Suspense fallback={<Loading what="page" />}>
            <PageFor route={route} />
          </Suspense>
        </ErrorBoundary>
      </main>
      <SettingsDialog />
    </>
  );
}
