'use client';
import { useAttune, useConsent } from '@attune/react';

/** Asks until the visitor decides; afterwards offers to withdraw (which erases what Attune kept). */
export function ConsentBanner() {
  const consent = useConsent();
  const attune = useAttune();
  if (consent.analytics !== 'unknown' || consent.personalization !== 'unknown') {
    return <button id="withdraw" type="button" onClick={() => void attune?.consent.withdraw()}>Withdraw consent and erase my data</button>;
  }
  return (
    <aside id="consent-banner" className="banner">
      <p>We personalize this shop <em>on your device</em>. Allow analytics and personalization?</p>
      <button type="button" onClick={() => void attune?.consent.grant(['analytics', 'personalization'])}>Accept</button>
      <button type="button" onClick={() => void attune?.consent.deny()}>Decline</button>
    </aside>
  );
}
