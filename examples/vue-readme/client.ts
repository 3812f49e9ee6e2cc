import { createAttune } from '@attune/core';
import { createAttunePlugin } from '@attune/vue';
import { createSSRApp } from 'vue';
import { App } from './app.js';

const serverDecisions = JSON.parse(document.getElementById('attune-server-decisions')!.textContent!);
const client = createAttune({ bundleUrl: '/bundles/shop.json', collectorUrl: '/collect' });
client.page();
// idCookie: the server sees who consented, and decides their A/B tests too.
createSSRApp(App).use(createAttunePlugin({ client, serverDecisions, idCookie: true })).mount('#app');
