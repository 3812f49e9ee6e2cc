import { describe, expect, it } from 'vitest';
import { segmentMembership } from '../../src/engine/membership.js';
import { compile, data } from './decide-support.js';

// A bundle walks each constant `var` path of the pass's data once per pass, shared by its rules.
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
