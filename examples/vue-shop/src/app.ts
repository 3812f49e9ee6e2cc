import { defineComponent, h } from 'vue';
import { ConsentBanner } from './consent-banner.js';
import { DevicePanel } from './device-panel.js';
import { HomePage } from './home-page.js';
import { ProductPage } from './product-page.js';
import { ShopLink, useRouter } from './router.js';

/** The shop: a header, the page of the current URL (`?product=SKU` or home), what Attune knows, the consent banner. */
export const ShopApp = defineComponent({
  setup() {
    const router = useRouter();
    return () => {
      const sku = router.url.value.searchParams.get('product');
      return [
        h('header', [
          h('strong', 'Attune Outfitters (Vue)'),
          h('nav', [h(ShopLink, { to: './' }, () => 'Home'), ' · ', h(ShopLink, { to: './?utm_source=newsletter&utm_medium=email' }, () => 'Newsletter readers')]),
        ]),
        h('main', [sku ? h(ProductPage, { sku }) : h(HomePage), h(DevicePanel)]),
        h(ConsentBanner),
      ];
    };
  },
});
