import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCatalog, verifyCatalog } from '../../../src/models/recommend/catalog-file.js';
import { MAX_CATALOG_BYTES } from '../../../src/models/recommend/limits.js';
import { recommend } from '../../../src/models/recommend/recommend.js';
import { compiledRecommender, SHOP } from './recommenders.js';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
/** What `sha256sum` prints for the bytes. */
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const FILE = encode({ schema: 'attune.catalog/1', items: SHOP });

async function refusal(bytes: Uint8Array, hash = sha256(bytes)): Promise<{ code: string; message: string }> {
  return verifyCatalog(bytes, hash).then(
    () => ({ code: 'none', message: 'accepted' }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}

describe('verifyCatalog', () => {
  it('gives the items of a catalog file whose SHA-256 is the expected one, ready for its recommender', async () => {
    const items = await verifyCatalog(FILE, sha256(FILE));
    expect(items).toEqual(SHOP);
    const compiled = compiledRecommender({ id: 'big', catalog: { url: '/catalog.json', sha256: sha256(FILE) } }, items);
    expect(recommend(compiled, {}).items.map((item) => item.id)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });

  it('refuses a file whose hash is not the one the bundle names, saying both', async () => {
    const changed = encode({ schema: 'attune.catalog/1', items: SHOP.slice(1) });
    const { code, message } = await refusal(changed, sha256(FILE));
    expect(code).toBe('recommender-invalid');
    expect(message).toBe(`The catalog file was refused: its SHA-256 is ${sha256(changed)}, the bundle expects ${sha256(FILE)}: publish the catalog file and the bundle that names its hash together.`);
  });

  it('refuses a file over its size cap before hashing it', async () => {
    const { message } = await refusal(new Uint8Array(MAX_CATALOG_BYTES + 1), 'ab'.repeat(32));
    expect(message).toContain(`it is ${MAX_CATALOG_BYTES + 1} bytes, over the cap of ${MAX_CATALOG_BYTES}`);
  });

  it('refuses an expected hash that is not 64 lowercase hex digits', async () => {
    expect((await refusal(FILE, sha256(FILE).toUpperCase())).message).toContain('is not 64 lowercase hex digits');
  });

  it('refuses a file that is not UTF-8 JSON, though its hash matches', async () => {
    expect((await refusal(encode('{"items": ['))).message).toContain('it is not UTF-8 JSON');
    expect((await refusal(Uint8Array.from([0x7b, 0xff, 0x7d]))).message).toContain('it is not UTF-8 JSON');
  });

  it('refuses a file of the wrong format or with bad items, naming each problem', async () => {
    const { message } = await refusal(encode({ schema: 'attune.catalog/2', items: [{ id: 'a', price: -1 }] }));
    expect(message).toBe('The catalog file was refused: Fix: schema: invalid value (expected "attune.catalog/1"); items[0].price: too small (at least 0)');
    expect((await refusal(encode({ schema: 'attune.catalog/1', items: [{ id: 'a', neighbors: { b: 1 } }] }))).message).toContain('items[0] ("a"): neighbor "b" is not in the catalog');
  });


  it('checks a large file in steps, naming problems far into it', async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => ({ id: `sku-${i}`, popularity: i, neighbors: i > 0 ? { [`sku-${i - 1}`]: 0.5 } : {} }));
    const file = encode({ schema: 'attune.catalog/1', items });
    expect(await verifyCatalog(file, sha256(file))).toEqual(items);
    const broken = encode({ schema: 'attune.catalog/1', items: items.map((item, i) => (i === 987 ? { ...item, available: 'no' } : i === 999 ? { ...item, id: 'sku-3' } : item)) });
    expect((await refusal(broken)).message).toBe('The catalog file was refused: Fix: items[987].available: invalid type (expected boolean)');
    const twice = encode({ schema: 'attune.catalog/1', items: items.map((item, i) => (i === 999 ? { ...item, id: 'sku-3' } : item)) });
    expect((await refusal(twice)).message).toBe('The catalog file was refused: Fix: items[999]: id "sku-3" is used twice in the catalog');
  });
});

describe('checkCatalog', () => {
  it('checks a parsed catalog file, for build steps', () => {
    expect(checkCatalog({ schema: 'attune.catalog/1', items: SHOP })).toEqual(SHOP);
    expect(() => checkCatalog({ items: [] })).toThrow('schema: missing');
  });
});
