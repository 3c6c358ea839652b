import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiRequestError, configureApi } from './api/client.ts';
import { AuthProvider } from './auth/AuthProvider.tsx';
import { loadConfig } from './config.ts';
import { initTheme } from './lib/theme.ts';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // 4xx answers will not change on retry; transient failures get two more tries.
      retry: (failures, error) => !(error instanceof ApiRequestError && error.permanent) && failures < 2,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

// The theme is applied before anything renders, so a dark-mode user never sees a white flash.
initTheme();

// The runtime config decides which API every query talks to, so it is loaded before the first render.
void loadConfig(import.meta.env).then(({ config, source }) => {
  configureApi(config);
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AuthProvider configSource={source}>
          <App />
        </AuthProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
});
