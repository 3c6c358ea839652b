import { serveStage } from '../_shared/serve-stage.ts';
import { createApp } from './app.ts';

// Edge Function entry: see serveStage.
serveStage('lifecycle', createApp);
