// The demo shop's own code: it only talks to Attune through the tag's command API.
const $ = (selector) => document.querySelector(selector);

// "View product" opens a detail panel with its own URL, like a single-page app would.
function showDetail(sku) {
  const button = sku && document.querySelector(`button[data-sku="${sku}"]`);
  $('#detail').hidden = !button;
  if (button) $('#detail-title').textContent = button.closest('article').querySelector('h2').textContent;
}
for (const button of document.querySelectorAll('button[data-sku]')) {
  button.addEventListener('click', () => {
    attune('track', 'product_viewed', { sku: button.dataset.sku, category: button.dataset.category });
    history.pushState({ sku: button.dataset.sku }, '', `?product=${button.dataset.sku}`);
    showDetail(button.dataset.sku);
  });
}
window.addEventListener('popstate', () => showDetail(new URLSearchParams(location.search).get('product')));
showDetail(new URLSearchParams(location.search).get('product'));

$('#newsletter').addEventListener('submit', (event) => {
  event.preventDefault();
  $('#newsletter-thanks').hidden = false;
});

$('#accept').addEventListener('click', () => attune('consent', 'grant', ['analytics', 'personalization']));
$('#decline').addEventListener('click', () => attune('consent', 'deny'));
$('#withdraw').addEventListener('click', () => attune('consent', 'deny'));
// Signing in stitches this device's anonymous history into the user's profile; the email leaves
// the device only as a SHA-256 hash. Signing out starts a fresh anonymous profile.
$('#sign-in').addEventListener('click', () => attune('identify', 'user-jane', { email: 'Jane@Example.com', plan: 'pro' }));
$('#sign-out').addEventListener('click', () => attune('reset'));

// Writes text only when it changes: a write of the same text still costs the browser a layout.
const setText = (selector, text) => {
  const element = $(selector);
  if (element.textContent !== text) element.textContent = text;
};

attune('ready', (client) => {
  const show = () => {
    const { consent, profile } = client.getSnapshot();
    const decided = consent.analytics === 'granted' || consent.personalization === 'granted';
    $('#consent-banner').hidden = decided;
    setText('#consent-state', `analytics: ${consent.analytics}, personalization: ${consent.personalization}`);
    setText('#views', String(profile.counters.product_viewed ?? 0));
    setText('#views-7d', String(client.count('product_viewed', '7d')));
    setText('#top-category', profile.top.category?.[0] ?? '—');
    setText('#visits', String(profile.visits));
    setText('#user', profile.userId ?? 'nobody');
    setText('#stage', profile.stage ?? '—');
    const describe = (decision) => `${decision.reason}${decision.experience ? ` (${decision.experience} / ${decision.experiment?.variant ?? decision.variant})` : ''}`;
    setText('#decision', describe(client.decide('home.hero')));
    setText('#cta-decision', describe(client.decide('home.cta')));
  };
  client.subscribe(show);
  show();
});
