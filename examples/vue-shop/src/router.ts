// The shop's client-side navigation with the History API (no router dependency): the current URL
// as a ref, links that push a new history entry, and a hook called after every navigation.
import { defineComponent, h, inject, shallowRef, type App, type InjectionKey, type Ref } from 'vue';

export interface ShopRouter {
  /** The page's URL (the request's URL in a server render). */
  readonly url: Readonly<Ref<URL>>;
  /** Goes to `href` (relative to the current URL) without a page load. */
  go(href: string): void;
  /** `app.use(router)`. */
  install(app: App): void;
}

const ROUTER: InjectionKey<ShopRouter> = Symbol('shop-router');

/**
 * `start`: the URL to render (in the browser, `location.href`). `navigated` runs after each
 * navigation (a link, back or forward), once the URL is updated: the shop records a page view there.
 */
export function createShopRouter(start: string, navigated: () => void = () => {}): ShopRouter {
  const url = shallowRef(new URL(start));
  const router: ShopRouter = {
    url,
    go(href) {
      const next = new URL(href, url.value);
      history.pushState(null, '', next);
      url.value = next;
      window.scrollTo(0, 0);
      navigated();
    },
    install(app) {
      app.provide(ROUTER, router);
      if (typeof window === 'undefined') return;
      window.addEventListener('popstate', () => {
        url.value = new URL(location.href);
        navigated();
      });
    },
  };
  return router;
}

export function useRouter(): ShopRouter {
  const router = inject(ROUTER);
  if (!router) throw new Error('useRouter() needs app.use(createShopRouter(url))');
  return router;
}

/** `<a href>` that navigates in the page (a modified click, e.g. to open a new tab, is left to the browser). */
export const ShopLink = defineComponent({
  props: { to: { type: String, required: true } },
  setup(props, { slots }) {
    const router = useRouter();
    const click = (event: MouseEvent): void => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      router.go(props.to);
    };
    return () => h('a', { href: props.to, onClick: click }, slots.default?.());
  },
});
