import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

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
