// First: React Fast Refresh's dev preamble as a module. Vite also inlines it into index.html, but
// Electron's CSP (script-src 'self') blocks inline scripts in dev. A no-op in production builds.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiProvider';
import { createApiClient } from './api/client';
import { App } from './App';
import { applyTheme, readCachedTheme } from './theme/apply-theme';
import { ThemeProvider } from './theme/ThemeProvider';
import './styles/theme.css';
import './styles/base.css';
import './styles/dialog.css';
import './styles/layout.css';
import './styles/pages.css';
import './styles/jobs.css';
import './styles/job-detail.css';
import './styles/logs.css';

// Before the first render: the cached theme, so the window does not flash the wrong colours.
applyTheme(readCachedTheme());

// Creating the client also takes `?token=` out of the address bar (web mode).
const client = createApiClient();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <ApiProvider client={client}>
      <ThemeProvider>
        <App />
      </ThemeProvider>
    </ApiProvider>
  </StrictMode>,
);
