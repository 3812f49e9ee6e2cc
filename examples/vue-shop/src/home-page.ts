import { AttuneSlot } from '@attune/vue';
import { defineComponent, h } from 'vue';
import { PRODUCTS } from './products.js';
import { ShopLink } from './router.js';

/**
 * The home page: four slots of the demo bundle. Each shows its personalized content, else its
 * default (the slot's children); a returning visitor's slot waits hidden for its decision instead
 * of showing the default first.
 */
export const HomePage = defineComponent({
  setup() {
    return () => [
      h('section', { class: 'hero' }, [
        h(AttuneSlot, { name: 'home.hero', as: 'h1', id: 'hero' }, () => 'Welcome to Attune Outfitters'),
        h(AttuneSlot, { name: 'home.promo', as: 'p', id: 'promo' }, () => 'Free shipping on orders over €50.'),
        h(AttuneSlot, { name: 'home.picks', as: 'p', id: 'picks' }, () => 'New this week: the whole autumn range.'),
        // An A/B test (experiment "cta-test", 10% holdout). QA: open ?attune_force=cta-test:urgency
        h(AttuneSlot, { name: 'home.cta', as: 'p', id: 'cta', class: 'cta' }, () => 'Free returns within 30 days.'),
      ]),
      h(
        'section',
        { class: 'products', 'aria-label': 'Products' },
        PRODUCTS.map((product) =>
          h('article', { key: product.sku }, [h('h2', product.name), h('p', product.price), h(ShopLink, { to: `?product=${product.sku}` }, () => 'View product')]),
        ),
      ),
    ];
  },
});
