import { afterEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

// Testing Library unmounts after each test by itself only with Vitest's globals on; they are off here.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
