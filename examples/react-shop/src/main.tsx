import { createAttune } from '@attune/core';
import { AttuneProvider } from '@attune/react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';

// One client for the page, and this page view recorded before anything renders (its exposures belong to it).
const attune = createAttune({ bundleUrl: '/bundles/shop.json', collectorUrl: '/collect' });
attune.page();

createRoot(document.getElementById('root')!).render(
  <AttuneProvider client={attune}>
    <App />
  </AttuneProvider>,
);
