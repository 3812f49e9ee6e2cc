import { createAttune, type AttuneOptions } from '@attune/core';
import { AttuneProvider } from '@attune/openfeature';
import { OpenFeature } from '@openfeature/web-sdk';

/** Attune behind OpenFeature: the call sites below never name Attune. */
export async function startFlags(options: AttuneOptions) {
  // One client for the page (the consent banner, @attune/react and the provider share it).
  const attune = createAttune(options);
  // Resolves once the bundle serves; a bundle that cannot load rejects (PARSE_ERROR or GENERAL).
  await OpenFeature.setProviderAndWait(new AttuneProvider(attune));
  // The signed-in user: the targeting key is Attune's user id, other attributes are traits
  // (profile.traits.* in the bundle's rules), applied once personalization is granted.
  await OpenFeature.setContext({ targetingKey: 'user-2', plan: 'pro' });
  return attune;
}

/** Anywhere in the app: a flag key is a slot of the bundle (or an experiment id). */
export function checkoutLabel(): string {
  return OpenFeature.getClient().getStringValue('checkout.cta', 'Buy now');
}
