import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBundleVerifier } from '../../core/src/bundle/verify-signature.js';
import { runAttune } from './run-cli.js';

const checkedInSchema = fileURLToPath(new URL('../../core/bundle.schema.json', import.meta.url));

const bundle = {
  schema: 'attune.bundle/1',
  id: 'shop',
  version: 3,
  experiences: [{ id: 'hero', slot: 'home.hero', variants: [{ id: 'a', content: 'hello' }] }],
  content: { hello: { type: 'text', value: 'Hello' } },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const attune = (...args: string[]) => runAttune(dir, ...args);

/** Writes a bundle file and a fresh key pair; returns their paths. */
function setUp(content: unknown = bundle): { file: string; privateKey: string; publicKey: string } {
  const file = join(dir, 'shop.json');
  writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  expect(attune('keygen', '--out', 'keys').status).toBe(0);
  return { file, privateKey: join(dir, 'keys/private.jwk'), publicKey: join(dir, 'keys/public.jwk') };
}

describe('attune keygen', () => {
  it('writes a private key only its owner can read and prints the public key as one JSON line', () => {
    const result = attune('keygen', '--out', 'keys');
    expect(result.status).toBe(0);
    expect(statSync(join(dir, 'keys/private.jwk')).mode & 0o077).toBe(0);
    const printed = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as JsonWebKey;
    expect(printed).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(printed).not.toHaveProperty('d');
    expect(JSON.parse(readFileSync(join(dir, 'keys/public.jwk'), 'utf8'))).toEqual(printed);
  });

  it('refuses to replace an existing key pair without --force', () => {
    setUp();
    const before = readFileSync(join(dir, 'keys/private.jwk'), 'utf8');
    const again = attune('keygen', '--out', 'keys');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'keys/private.jwk'), 'utf8')).toBe(before);
    expect(attune('keygen', '--out', 'keys', '--force').status).toBe(0);
    expect(readFileSync(join(dir, 'keys/private.jwk'), 'utf8')).not.toBe(before);
  });
});

describe('attune sign and verify', () => {
  it('writes <bundle>.sig that the browser verifier (WebCrypto) accepts', async () => {
    const { file, privateKey, publicKey } = setUp();
    expect(attune('sign', file, '--key', privateKey).status).toBe(0);
    const verify = createBundleVerifier(readFileSync(publicKey, 'utf8'));
    await expect(verify(readFileSync(file), readFileSync(`${file}.sig`, 'utf8'))).resolves.toBeUndefined();
  });

  it('signs the exact bytes: the browser refuses the file once one byte changed', async () => {
    const { file, privateKey, publicKey } = setUp();
    attune('sign', file, '--key', privateKey);
    const changed = readFileSync(file, 'utf8').replace('"version": 3', '"version": 4');
    const verify = createBundleVerifier(readFileSync(publicKey, 'utf8'));
    await expect(verify(Buffer.from(changed), readFileSync(`${file}.sig`, 'utf8'))).rejects.toMatchObject({ code: 'bundle-signature-invalid' });
  });

  it('verify accepts the signed file and fails with exit code 1 once it changed', () => {
    const { file, privateKey, publicKey } = setUp();
    attune('sign', file, '--key', privateKey);
    expect(attune('verify', file, '--key', publicKey)).toMatchObject({ status: 0, stdout: expect.stringContaining('signature OK') });
    writeFileSync(file, readFileSync(file, 'utf8') + ' ');
    expect(attune('verify', file, '--key', publicKey)).toMatchObject({ status: 1, stderr: expect.stringContaining('does not match') });
  });

  it('verify fails for a signature made with another key', () => {
    const { file, privateKey } = setUp();
    attune('sign', file, '--key', privateKey);
    attune('keygen', '--out', 'other');
    expect(attune('verify', file, '--key', join(dir, 'other/public.jwk')).status).toBe(1);
  });

  it('sign refuses a public key and says which file to use', () => {
    const { file, publicKey } = setUp();
    expect(attune('sign', file, '--key', publicKey)).toMatchObject({ status: 1, stderr: expect.stringContaining('private.jwk') });
  });

  it('sign refuses a file that is not JSON', () => {
    const { file, privateKey } = setUp('{ nope');
    expect(attune('sign', file, '--key', privateKey)).toMatchObject({ status: 1, stderr: expect.stringContaining('not valid JSON') });
  });
});

describe('attune validate', () => {
  it('accepts a valid bundle', () => {
    const { file } = setUp();
    expect(attune('validate', file)).toMatchObject({ status: 0, stdout: expect.stringContaining('valid') });
  });

  it('names every problem of an invalid bundle and exits with 1', () => {
    const { file } = setUp({ ...bundle, experiences: [{ id: 'hero', variants: [] }] });
    const result = attune('validate', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('experiences[0].slot');
    expect(result.stderr).toContain('experiences[0].variants');
  });

  it('warns about a bundle longer than browsers accept by default', () => {
    const { file } = setUp({ ...bundle, content: { hello: { type: 'text', value: 'x'.repeat(2_000_000) } } });
    const bytes = statSync(file).size;
    expect(attune('validate', file)).toMatchObject({ status: 0, stdout: expect.stringContaining(`warning: it is ${bytes} bytes, over the 2000000 browsers accept by default (maxBundleBytes)`) });
  });

  it('rejects a rule with an unknown operator, as the browser would', () => {
    const { file } = setUp({ ...bundle, segments: [{ id: 's', when: { frobnicate: [1] } }] });
    expect(attune('validate', file)).toMatchObject({ status: 1, stderr: expect.stringContaining('bundle-rule-invalid') });
  });
});

describe('attune schema', () => {
  it('prints the JSON Schema shipped with @attune/core', () => {
    const result = attune('schema');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(checkedInSchema, 'utf8')));
  });

  it('writes it to a file with --out', () => {
    expect(attune('schema', '--out', 'bundle.schema.json').status).toBe(0);
    expect(readFileSync(join(dir, 'bundle.schema.json'), 'utf8')).toBe(readFileSync(checkedInSchema, 'utf8'));
  });
});

it('exits with 2 and the list of commands for an unknown command', () => {
  expect(attune('bogus')).toMatchObject({ status: 2, stderr: expect.stringContaining('keygen') });
});
