import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAttune } from './run-cli.js';

let dir: string;
let src: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-build-'));
  src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, '00-bundle.yaml'), 'schema: attune.bundle/1\nid: shop\nversion: 7\n');
  writeFileSync(
    join(src, '10-hero.yaml'),
    [
      'segments:',
      '  - id: engaged',
      '    when: { ">=": [ { var: ["profile.counters.product_viewed", 0] }, 3 ] }',
      'experiences:',
      '  - id: hero',
      '    slot: home.hero',
      '    audience: { segment: engaged }',
      '    variants:',
      '      - id: engaged',
      '        content: hero-engaged',
      'content:',
      '  hero-engaged: { type: text, value: "Welcome back!" }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(src, '20-cta.json'), JSON.stringify({ experiences: [{ id: 'cta', slot: 'home.cta', variants: [{ id: 'a', content: 'cta-a' }] }], content: { 'cta-a': { type: 'text', value: 'Free returns' } } }, null, 2));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('attune bundle build', () => {
  it('merges a folder of YAML and JSON files into one bundle that browsers accept, and signs it with --key', () => {
    expect(runAttune(dir, 'keygen', '--out', join(dir, 'keys')).status).toBe(0);
    const result = runAttune(dir, 'bundle', 'build', src, '--out', join(dir, 'shop.json'), '--key', join(dir, 'keys/private.jwk'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('from 3 file(s) (bundle "shop", version 7, 2 experience(s))');
    const bundle = JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8'));
    expect(bundle.experiences.map((experience: { id: string }) => experience.id)).toEqual(['hero', 'cta']);
    expect(Object.keys(bundle.content)).toEqual(['hero-engaged', 'cta-a']);
    expect(runAttune(dir, 'validate', join(dir, 'shop.json')).status).toBe(0);
    expect(runAttune(dir, 'verify', join(dir, 'shop.json'), '--key', join(dir, 'keys/public.jwk')).status).toBe(0);
  });

  it('points each problem at the file, line and column it comes from', () => {
    writeFileSync(join(src, '20-cta.json'), '{\n  "experiences": [\n    {\n      "id": "cta",\n      "slot": 5,\n      "variants": [{ "id": "a", "content": "hero-engaged" }]\n    }\n  ]\n}\n');
    const result = runAttune(dir, 'bundle', 'build', src);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/20-cta\.json:5:15: experiences\[1\]\.slot: invalid type \(expected string\)/);
  });

  it('says where a YAML file does not parse, and where a content id is defined twice', () => {
    writeFileSync(join(src, '30-bad.yaml'), 'experiences:\n  - id: x\n   slot: y\n');
    expect(runAttune(dir, 'bundle', 'build', src).stderr).toMatch(/30-bad\.yaml:\d+:\d+: /);
    rmSync(join(src, '30-bad.yaml'));
    writeFileSync(join(src, '40-again.yaml'), 'content:\n  cta-a: { type: text, value: "again" }\n');
    const twice = runAttune(dir, 'bundle', 'build', src);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/40-again\.yaml:2:\d+: content "cta-a" is defined twice \(also at .*20-cta\.json:\d+:\d+\)/);
  });
});
