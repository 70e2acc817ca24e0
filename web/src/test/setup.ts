import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy and waitFor wait for React to render what a resolved request brought,
// not for time to pass: on a loaded 2-core CI machine one render can take longer
// than the default second. The limit only decides how soon a broken test fails.
// Waits on timers (debounces, delayed reloads) use fake timers instead.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  // Pages keep their filters in the address: each test starts from a bare one.
  window.history.replaceState(null, '', '/');
});

// jsdom has no modal dialogs; open and close them as the attribute would.
if (!HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.open = false;
  };
}

// jsdom does no layout, so it has nothing to scroll.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};

// Nor a window to scroll.
window.scrollTo = () => {};
