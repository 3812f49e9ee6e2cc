import { describe, expect, it } from 'vitest';
import { segmentMembership } from '../../src/decide/membership.js';
import { compile, data } from '../decide/decide-support.js';

// A bundle walks each constant `var` path of the pass's data once per pass, shared by its rules;
// rules asking the same affinity share its answer within a pass too.
describe('var reads shared within a pass', () => {
  const onPath = (path: string) => ({ '==': [{ var: 'context.page.path' }, path] });

  it('a var inside some reads the element, even after a rule read the same path of the data', () => {
    const bundle = compile([], {
      segments: [
        { id: 'on-root', when: onPath('/root') },
        { id: 'listed', when: { some: [{ var: 'context.pages' }, onPath('/listed')] } },
      ],
    });
    const pages = [{ context: { page: { path: '/listed' } } }];
    expect(segmentMembership(bundle, data(0, {}, { page: { path: '/root' }, pages }))).toEqual(['on-root', 'listed']);
  });

  it('the next pass reads the new data, also when the same object was changed in place', () => {
    const bundle = compile([], { segments: [{ id: 'shop', when: onPath('/shop') }] });
    const page = { path: '/shop' };
    const visit = data(0, {}, { page });
    expect(segmentMembership(bundle, visit)).toEqual(['shop']);
    page.path = '/cart';
    expect(segmentMembership(bundle, visit)).toEqual([]);
  });

  it('rules reading a path with different defaults each get their own default', () => {
    const bundle = compile([], {
      segments: [
        { id: 'default-a', when: { '==': [{ var: ['context.missing', 'a'] }, 'a'] } },
        { id: 'default-b', when: { '==': [{ var: ['context.missing', 'b'] }, 'b'] } },
      ],
    });
    expect(segmentMembership(bundle, data())).toEqual(['default-a', 'default-b']);
  });
});

describe('var reads of a bundle read own properties only', () => {
  it('a trait named like an Object.prototype member is no trait at all until the visitor has it', () => {
    const has = (path: string) => ({ id: path, when: { '!!': { var: path } } });
    const bundle = compile([], { segments: ['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((key) => has(`profile.traits.${key}`)) });
    expect(segmentMembership(bundle, data(0, { traits: { plan: 'pro' } }))).toEqual([]);
    expect(segmentMembership(bundle, data(0, { traits: JSON.parse('{"toString": "yes", "__proto__": {"x": 1}}') }))).toEqual(['profile.traits.toString', 'profile.traits.__proto__']);
  });
});

describe('affinity answers shared within a pass', () => {
  const likesShoes = { '>': [{ affinity: ['category', 'shoes'] }, 1] };
  const profile = (shoes: number) => ({ affinities: { category: { shoes } }, top: {} });

  it('an affinity inside some reads the element, even after a rule asked it of the data', () => {
    const bundle = compile([], {
      segments: [
        { id: 'likes-shoes', when: likesShoes },
        { id: 'friend-likes-shoes', when: { some: [{ var: 'context.friends' }, likesShoes] } },
      ],
    });
    const friends = [{ profile: profile(3) }];
    expect(segmentMembership(bundle, data(0, profile(0), { friends }))).toEqual(['friend-likes-shoes']);
  });

  it('the next pass reads the profile again, also when it was changed in place', () => {
    const bundle = compile([], { segments: [{ id: 'likes-shoes', when: likesShoes }] });
    const visit = data(0, profile(3));
    expect(segmentMembership(bundle, visit)).toEqual(['likes-shoes']);
    (visit.profile as { affinities: { category: { shoes: number } } }).affinities.category.shoes = 0;
    expect(segmentMembership(bundle, visit)).toEqual([]);
  });
});
