import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

// The 'react18' vitest project runs the component and SSR tests against React 18.3: this says
// which React each run really used, so a broken alias cannot pass for React 18 support.
it('runs against the React its test project names (18 or 19), react-dom alike', ({ task }) => {
  const major = task.file.projectName === 'react18' ? '18.' : '19.';
  expect(version.startsWith(major)).toBe(true);
  expect(domVersion.startsWith(major)).toBe(true);
});
