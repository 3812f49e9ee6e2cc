import { expect, it } from 'vitest';
import { AttuneError, asAttuneError } from '../../src/errors.js';

/** What a part loaded beside the tag throws: its own bundled copy of the class, so not `instanceof` the tag's. */
class PartsAttuneError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AttuneError';
    this.code = code;
  }
}

it("keeps the code of an AttuneError made by a loaded part's own copy of the class", () => {
  const fromPart = new PartsAttuneError('bundle-signature-invalid', 'The bundle signature does not match.');
  const typed = asAttuneError(fromPart, 'bundle-invalid');
  expect(typed).toBeInstanceOf(AttuneError);
  expect(typed).toMatchObject({ code: 'bundle-signature-invalid', message: 'The bundle signature does not match.' });
});

it('gives any other thrown value the code asked for, and an AttuneError stays itself', () => {
  expect(asAttuneError(new TypeError('boom'), 'bundle-invalid')).toMatchObject({ code: 'bundle-invalid', message: 'boom' });
  expect(asAttuneError('text', 'storage-unavailable')).toMatchObject({ code: 'storage-unavailable', message: 'text' });
  const own = new AttuneError('rule-invalid', 'x');
  expect(asAttuneError(own, 'bundle-invalid')).toBe(own);
});
