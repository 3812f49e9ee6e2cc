// The demo shop's own code: it only talks to Attune through the tag's command API.
const $ = (selector) => document.querySelector(selector);

for (const button of document.querySelectorAll('button[data-sku]')) {
  button.addEventListener('click', () => {
    attune('track', 'product_viewed', { sku: button.dataset.sku, category: button.dataset.category });
  });
}

$('#accept').addEventListener('click', () => attune('consent', 'grant', ['analytics', 'personalization']));
$('#decline').addEventListener('click', () => attune('consent', 'deny'));
$('#withdraw').addEventListener('click', () => attune('consent', 'deny'));

attune('ready', (client) => {
  const show = () => {
    const { consent, profile } = client.getSnapshot();
    const decided = consent.analytics === 'granted' || consent.personalization === 'granted';
    $('#consent-banner').hidden = decided;
    $('#consent-state').textContent = `analytics: ${consent.analytics}, personalization: ${consent.personalization}`;
    $('#views').textContent = String(profile.counters.product_viewed ?? 0);
    const decision = client.decide('home.hero');
    $('#decision').textContent = `${decision.reason}${decision.experience ? ` (${decision.experience} / ${decision.variant})` : ''}`;
  };
  client.subscribe(show);
  show();
});
