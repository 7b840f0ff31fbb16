import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromUrl } from './api/auth.js';
import { App } from './App.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { I18nProvider } from './i18n/i18n.js';
import './styles.css';

adoptTokenFromUrl();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </I18nProvider>
    </StrictMode>,
  );
}
