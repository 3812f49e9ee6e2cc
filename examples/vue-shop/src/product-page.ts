import { useAttune } from '@attune/vue';
import { defineComponent, h, onMounted, watch } from 'vue';
import { PRODUCTS } from './products.js';
import { ShopLink } from './router.js';

/** A product's page: viewing it is recorded (in the browser only: a server render records nothing). */
export const ProductPage = defineComponent({
  props: { sku: { type: String, required: true } },
  setup(props) {
    const attune = useAttune();
    const product = () => PRODUCTS.find((candidate) => candidate.sku === props.sku);
    const viewed = (): void => {
      const shown = product();
      if (shown) attune?.track('product_viewed', { sku: shown.sku, category: shown.category });
    };
    onMounted(viewed);
    watch(() => props.sku, viewed);
    return () => {
      const shown = product();
      return h('section', { class: 'panel', id: 'detail' }, [
        h('h2', { id: 'detail-title' }, shown ? shown.name : 'No such product'),
        shown && h('p', `${shown.price}: the address bar changed without a page load, and Attune recorded a page view.`),
        h(ShopLink, { to: './' }, () => 'Back to the shop'),
      ]);
    };
  },
});
