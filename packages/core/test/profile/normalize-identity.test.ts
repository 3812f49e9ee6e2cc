import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localTraits, normalizeEmail, normalizePhone, PII_TRAITS } from '../../src/profile/normalize-identity.js';
import { protectTraits, sha256Hex } from '../../src/profile/protect-traits.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('normalizeEmail', () => {
  it.each([
    ['test@example.com', 'test@example.com'],
    ['  Test.User+Tag@Example.COM \n', 'test.user+tag@example.com'],
    ['a@b.co', 'a@b.co'],
    ['first.last@sub.domain.example', 'first.last@sub.domain.example'],
    ['ÄNNE@exämple.de', 'änne@exämple.de'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['plainaddress'],
    ['@example.com'],
    ['user@'],
    ['user@localhost'],
    ['user@@example.com'],
    ['user@exa@mple.com'],
    ['us er@example.com'],
    ['user@exam ple.com'],
    ['user@.example.com'],
    ['user@example.com.'],
    ['user@example..com'],
    [`${'a'.repeat(250)}@example.com`],
    [42],
    [null],
    [undefined],
    [{ email: 'a@b.co' }],
  ])('rejects %j', (input) => {
    expect(normalizeEmail(input)).toBeUndefined();
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+1 (415) 555-2671', '+14155552671'],
    ['+49 30 1234567', '+49301234567'],
    ['0049 30 1234567', '+49301234567'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+33.1.23.45.67.89', '+33123456789'],
    ['030/1234567', '0301234567'],
    ['  0151-2345 6789 ', '015123456789'],
    ['123456', '123456'],
    ['+123456789012345', '+123456789012345'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    [''],
    ['12345'],
    ['+12345'],
    ['1234567890123456'],
    ['+1234567890123456'],
    ['+0 30 1234567'],
    ['++49301234567'],
    ['49+301234567'],
    ['+49 30 CALL-NOW'],
    ['tel:+49301234567'],
    ['+49 30 1234567 ext. 12'],
    [4930123456],
    [null],
    [undefined],
  ])('rejects %j', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it('does not add a country code to a national number', () => {
    expect(normalizePhone('(030) 123 4567')).toBe('0301234567');
  });
});

describe('PII_TRAITS', () => {
  it('names the exact trait keys that are identifiers and the keys their hashes are sent under', () => {
    expect(Object.keys(PII_TRAITS)).toEqual(['email', 'phone']);
    expect(PII_TRAITS.email.hashedKey).toBe('emailSha256');
    expect(PII_TRAITS.phone.hashedKey).toBe('phoneSha256');
  });
});

describe('sha256Hex', () => {
  it.each(['', 'abc', 'test@example.com', '+14155552671', 'änne@exämple.de'])('hashes %j like node:crypto (lower-case hex of the UTF-8 bytes)', async (text) => {
    expect(await sha256Hex(text)).toBe(sha256(text));
  });

  it('matches the published SHA-256 vectors', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('localTraits', () => {
  it('keeps normalized identifiers on the device and other traits unchanged', () => {
    expect(localTraits({ email: ' Ann@Example.com ', phone: '+49 30 1234567', plan: 'pro', emailOptIn: true })).toEqual({
      traits: { email: 'ann@example.com', phone: '+49301234567', plan: 'pro', emailOptIn: true },
      dropped: [],
    });
  });

  it('removes identifiers that do not normalize and lists them', () => {
    expect(localTraits({ email: 'not an email', phone: '12', plan: 'pro' })).toEqual({ traits: { plan: 'pro' }, dropped: ['email', 'phone'] });
  });

  it('only treats the exact keys email and phone as identifiers', () => {
    expect(localTraits({ Email: 'whatever', userPhone: 'x' })).toEqual({ traits: { Email: 'whatever', userPhone: 'x' }, dropped: [] });
  });

  it('does not modify its input', () => {
    const traits = { email: 'A@B.co' };
    localTraits(traits);
    expect(traits).toEqual({ email: 'A@B.co' });
  });
});

describe('protectTraits', () => {
  it('replaces email and phone by the SHA-256 of their normalized value', async () => {
    const result = await protectTraits({ email: ' Test@Example.com', phone: '0049 30 1234567', plan: 'pro' }, { allowRaw: false });
    expect(result).toEqual({
      traits: { plan: 'pro', emailSha256: sha256('test@example.com'), phoneSha256: sha256('+49301234567') },
      dropped: [],
    });
    expect(result.traits.emailSha256).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b');
  });

  it('sends the normalized raw value next to its hash when allowRaw is true', async () => {
    expect(await protectTraits({ email: 'Test@Example.com' }, { allowRaw: true })).toEqual({
      traits: { email: 'test@example.com', emailSha256: sha256('test@example.com') },
      dropped: [],
    });
  });

  it('drops identifiers that do not normalize, whatever allowRaw says', async () => {
    for (const allowRaw of [false, true]) {
      expect(await protectTraits({ email: 'nope', phone: 'call me', plan: 'pro' }, { allowRaw })).toEqual({ traits: { plan: 'pro' }, dropped: ['email', 'phone'] });
    }
  });

  it('drops identifiers instead of sending them raw when crypto.subtle is missing (insecure origin)', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(await protectTraits({ email: 'a@b.co', phone: '+14155552671', plan: 'pro' }, { allowRaw: false })).toEqual({ traits: { plan: 'pro' }, dropped: ['email', 'phone'] });
  });

  it('drops identifiers instead of sending them raw when the digest fails', async () => {
    const digest = vi.fn(() => Promise.reject(new Error('no')));
    expect(await protectTraits({ email: 'a@b.co' }, { allowRaw: false, digest })).toEqual({ traits: {}, dropped: ['email'] });
  });

  it('sends the raw value without a hash when allowRaw is true and no digest is available', async () => {
    vi.stubGlobal('crypto', { getRandomValues: () => undefined });
    expect(await protectTraits({ email: 'A@b.co' }, { allowRaw: true })).toEqual({ traits: { email: 'a@b.co' }, dropped: [] });
  });

  it('hashes with the digest given, fed the normalized value', async () => {
    const digest = vi.fn((text: string) => Promise.resolve(`h(${text})`));
    expect(await protectTraits({ email: 'A@B.co', phone: '+1 415 555 2671' }, { allowRaw: false, digest })).toEqual({
      traits: { emailSha256: 'h(a@b.co)', phoneSha256: 'h(+14155552671)' },
      dropped: [],
    });
  });

  it('leaves traits without identifiers as they are', async () => {
    const digest = vi.fn((text: string) => Promise.resolve(text));
    expect(await protectTraits({ plan: 'pro', emailSha256: 'given' }, { allowRaw: false, digest })).toEqual({ traits: { plan: 'pro', emailSha256: 'given' }, dropped: [] });
    expect(digest).not.toHaveBeenCalled();
  });
});
