// The Vue shop as a single-page app: one Attune client for the page, given to the app by the plugin.
import { createAttune } from '@attune/core';
import { createAttunePlugin } from '@attune/vue';
import { createApp } from 'vue';
import { ShopApp } from './app.js';
import { createShopRouter } from './router.js';

const client = createAttune({ bundleUrl: '/bundles/shop.json', collectorUrl: '/collect' });
client.page();
// Every client-side navigation is a page view: slots decide again for the new page.
const router = createShopRouter(location.href, () => client.page());

createApp(ShopApp).use(createAttunePlugin({ client })).use(router).mount('#app');
