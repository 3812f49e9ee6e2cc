'use client';
import { AttuneSlot } from '@attune/react';

/** The shop's personalized slots: each shows its children (the default) unless its decision serves text. */
export function Hero() {
  return (
    <section className="hero">
      <AttuneSlot name="home.hero" as="h1" id="hero">Welcome to Attune Outfitters</AttuneSlot>
      <AttuneSlot name="home.promo" as="p" id="promo">Free shipping on orders over €50.</AttuneSlot>
      <AttuneSlot name="home.picks" as="p" id="picks">New this week: the whole autumn range.</AttuneSlot>
      {/* An A/B test (experiment "cta-test", 10% holdout). QA: open ?attune_force=cta-test:urgency */}
      <AttuneSlot name="home.cta" as="p" id="cta" className="cta">Free returns within 30 days.</AttuneSlot>
    </section>
  );
}
