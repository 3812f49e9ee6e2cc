// The server-rendered Vue shop in the browser: the app hydrates the server's HTML with the
// server's decisions (what the visitor sees first is exactly what the server sent), then follows
// the browser's own decisions. The id cookie lets the server decide the A/B test on the next page.
import { createAttune, type ServerDecisions } from '@attune/core';
import { createAttunePlugin } from '@attune/vue';
import { createSSRApp } from 'vue';
import { ShopApp } from '../../vue-shop/src/app.js';
import { createShopRouter } from '../../vue-shop/src/router.js';

const serverDecisions = JSON.parse(document.getElementById('attune-server-decisions')!.textContent!) as ServerDecisions;
const client = createAttune({ bundleUrl: '/bundles/shop.json', collectorUrl: '/collect' });
client.page();
const router = createShopRouter(location.href, () => client.page());

createSSRApp(ShopApp).use(createAttunePlugin({ client, serverDecisions, idCookie: true })).use(router).mount('#app');
