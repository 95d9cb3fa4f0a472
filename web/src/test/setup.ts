import { afterEach, vi } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// findBy… and waitFor wait on a condition; give it the time a loaded machine (CI, two cores shared by
// several test runs) may need, rather than Testing Library's 1 s.
configure({ asyncUtilTimeout: 5_000 });

// Testing Library unmounts after each test by itself only with Vitest's globals on; they are off here.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
