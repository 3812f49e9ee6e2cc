// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { OpenFeatureProvider, useFlag, useStringFlagValue } from '@openfeature/react-sdk';
import { OpenFeature } from '@openfeature/web-sdk';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { AttuneProvider as AttuneReactProvider, AttuneSlot } from '../../react/src/index.js';
import { sleep } from '../../react/test/support.js';
import { AttuneProvider } from '../src/index.js';
import { isolateTests, pageClient } from './browser.js';
import { flagsBundle } from './flags-bundle.js';

isolateTests();
afterEach(() => cleanup());

/** The hero as OpenFeature's React SDK evaluates it: its value and reason. */
function FlagHero() {
  const { value, reason } = useFlag('home.hero', 'Hello');
  return <p data-testid="flag">{`${value} (${reason})`}</p>;
}

/** The checkout button's text, from OpenFeature. */
function FlagCta() {
  return <button type="button" data-testid="cta">{useStringFlagValue('checkout.cta', 'Buy')}</button>;
}

/** One Attune client serving both Attune's own React wrapper and OpenFeature's, side by side. */
async function renderBoth() {
  const client = pageClient({ bundle: flagsBundle });
  await client.consent.grant();
  await OpenFeature.setProviderAndWait(new AttuneProvider(client));
  render(
    <AttuneReactProvider client={client}>
      <OpenFeatureProvider>
        {/* The page's own markup is the bundle's default, as on a real page. */}
        <AttuneSlot name="home.hero" data-testid="slot">Welcome</AttuneSlot>
        <FlagHero />
        <FlagCta />
      </OpenFeatureProvider>
    </AttuneReactProvider>,
  );
  return client;
}

it("shows the same decision through OpenFeature's useFlag as through Attune's AttuneSlot, and both follow it when the visitor's actions change it", async () => {
  const client = await renderBoth();
  await act(() => sleep(10));
  expect(screen.getByTestId('slot').textContent).toBe('Welcome');
  expect(screen.getByTestId('flag').textContent).toBe('Welcome (DEFAULT)');
  await act(async () => {
    for (let i = 0; i < 3; i++) client.track('product_viewed');
    await sleep(10);
  });
  expect(screen.getByTestId('slot').textContent).toBe('Welcome back!');
  expect(screen.getByTestId('flag').textContent).toBe('Welcome back! (TARGETING_MATCH)');
});

it("re-renders useStringFlagValue with the experiment's variant once OpenFeature's context names the user", async () => {
  await renderBoth();
  expect(screen.getByTestId('cta').textContent).toBe('Buy now');
  await act(() => OpenFeature.setContext({ targetingKey: 'user-2' }));
  expect(screen.getByTestId('cta').textContent).toBe('Complete your order');
});
