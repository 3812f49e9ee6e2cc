import { createAttune } from '@attune/core';
import { createAttunePlugin } from '@attune/vue';
import { createApp } from 'vue';
import { App } from './app.js';

const client = createAttune({ bundleUrl: '/bundles/shop.json', collectorUrl: '/collect' });
client.page();
createApp(App).use(createAttunePlugin({ client })).mount('#app');
