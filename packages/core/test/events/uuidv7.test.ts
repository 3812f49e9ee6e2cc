import { describe, expect, it } from 'vitest';
import { randomFillSync } from 'node:crypto';
import { createUuidV7Generator } from '../../src/events/uuidv7.js';

const random = (bytes: Uint8Array) => randomFillSync(bytes);

describe('uuidv7', () => {
  it('encodes the millisecond timestamp in the first 48 bits with version 7 and the RFC variant', () => {
    const id = createUuidV7Generator(() => 0x0189_aabb_ccdd, random)();
    expect(id).toMatch(/^0189aabb-ccdd-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('encodes whole milliseconds of a fractional clock, up to the largest 48-bit time', () => {
    expect(createUuidV7Generator(() => 0x0189_aabb_ccdd + 0.75, random)()).toMatch(/^0189aabb-ccdd-7/);
    expect(createUuidV7Generator(() => 0xffff_ffff_ffff, random)()).toMatch(/^ffffffff-ffff-7/);
    expect(createUuidV7Generator(() => 1, random)()).toMatch(/^00000000-0001-7/);
  });

  it('produces strictly increasing ids within one millisecond and when the clock steps back', () => {
    let now = 1_700_000_000_000;
    const next = createUuidV7Generator(() => now, random);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i === 2500) now -= 10;
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
