// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureTarget } from '../../src/capture/auto-capture.js';
import { captureClicks } from '../../src/capture/clicks.js';
import { recordingTarget, starter } from './harness.js';

const { start, stopAll } = starter(captureClicks);

afterEach(() => {
  stopAll();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function click(selector: string): void {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
}

describe('click capture', () => {
  it('tracks one event named by data-attune-track for a click on a nested child, with camelCased props', () => {
    document.body.innerHTML = `
      <a href="#" data-attune-track="product_clicked" data-attune-product-id="A1" data-attune-list-name="Summer sale"
         data-attune-slot="home.hero" data-attune-slot-id="x" class="card" data-other="no">
        <span><img id="image" alt=""></span>
      </a>`;
    const target = recordingTarget();
    start(target);
    click('#image');
    expect(target.calls).toEqual([
      { method: 'track', name: 'product_clicked', properties: { productId: 'A1', listName: 'Summer sale' } },
    ]);
  });

  it('uses the closest marked element and keeps values as strings', () => {
    document.body.innerHTML = `
      <div data-attune-track="outer"><button data-attune-track="inner" data-attune-qty="3" data-attune-in-stock="">
        <b id="label">Buy</b></button></div>`;
    const target = recordingTarget();
    start(target);
    click('#label');
    expect(target.calls).toEqual([{ method: 'track', name: 'inner', properties: { qty: '3', inStock: '' } }]);
  });

  it('ignores clicks outside marked elements', () => {
    document.body.innerHTML = `<button id="plain">Plain</button>`;
    const target = recordingTarget();
    start(target);
    click('#plain');
    expect(target.calls).toEqual([]);
  });

  it('ignores an empty event name', () => {
    document.body.innerHTML = `<button id="empty" data-attune-track="  ">x</button>`;
    const target = recordingTarget();
    start(target);
    click('#empty');
    expect(target.calls).toEqual([]);
  });

  it('sees clicks whose propagation the page stops', () => {
    document.body.innerHTML = `<button id="buy" data-attune-track="buy">Buy</button>`;
    document.querySelector('#buy')?.addEventListener('click', (event) => event.stopPropagation());
    const target = recordingTarget();
    start(target);
    click('#buy');
    expect(target.calls).toHaveLength(1);
  });

  it('tracks elements added after the start', () => {
    const target = recordingTarget();
    start(target);
    document.body.innerHTML = `<button id="late" data-attune-track="late_click">Late</button>`;
    click('#late');
    expect(target.calls.map((call) => call.name)).toEqual(['late_click']);
  });

  it('stops tracking after stop', () => {
    document.body.innerHTML = `<button id="buy" data-attune-track="buy">Buy</button>`;
    const target = recordingTarget();
    const stop = start(target);
    stop();
    click('#buy');
    expect(target.calls).toEqual([]);
  });

  it('does not throw into the page when the target throws, warns, and lets the page handle the click', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    document.body.innerHTML = `<button id="buy" data-attune-track="buy">Buy</button>`;
    const pageHandler = vi.fn();
    document.querySelector('#buy')?.addEventListener('click', pageHandler);
    start({ track: () => { throw new Error('track exploded'); }, page: () => {} });
    const button = document.querySelector('#buy');
    expect(() => button?.dispatchEvent(new MouseEvent('click', { bubbles: true }))).not.toThrow();
    expect(pageHandler).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*track exploded/));
  });
});
