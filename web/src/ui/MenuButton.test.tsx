import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MenuButton } from './MenuButton';

function renderMenu(onSelect = vi.fn()) {
  render(
    <>
      <MenuButton
        label="Actions for Ada Lovelace"
        entries={[
          { key: 'a', label: 'Approve', onSelect: () => onSelect('a') },
          { key: 'd', label: 'Deactivate', onSelect: () => onSelect('d') },
          { key: 'x', label: 'Archive', onSelect: () => onSelect('x'), groupStart: true },
        ]}
      >
        …
      </MenuButton>
      <MenuButton label="Empty" entries={[]} emptyText="Nothing to do." />
    </>,
  );
  return onSelect;
}

describe('MenuButton', () => {
  it('opens a named menu on its button, focusing the first entry, with a line between groups', () => {
    renderMenu();
    const button = screen.getByRole('button', { name: 'Actions for Ada Lovelace' });
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('menu', { name: 'Actions for Ada Lovelace' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Approve' }));
    expect(screen.getAllByRole('separator')).toHaveLength(1);
  });

  it('moves with the arrow keys, Home and End, wrapping around', () => {
    renderMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
    const item = (name: string) => screen.getByRole('menuitem', { name });
    const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k });
    key('ArrowDown');
    expect(document.activeElement).toBe(item('Deactivate'));
    key('End');
    expect(document.activeElement).toBe(item('Archive'));
    key('ArrowDown');
    expect(document.activeElement).toBe(item('Approve'));
    key('ArrowUp');
    expect(document.activeElement).toBe(item('Archive'));
    key('Home');
    expect(document.activeElement).toBe(item('Approve'));
  });

  it('runs the chosen entry after closing and giving focus back to the button', () => {
    const button = () => screen.getByRole('button', { name: 'Actions for Ada Lovelace' });
    const onSelect = vi.fn(() => expect(document.activeElement).toBe(button()));
    renderMenu(onSelect);
    fireEvent.click(button());
    fireEvent.click(screen.getByRole('menuitem', { name: 'Deactivate' }));
    expect(onSelect).toHaveBeenCalledWith('d');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes on Escape and on a click elsewhere', () => {
    renderMenu();
    const button = screen.getByRole('button', { name: 'Actions for Ada Lovelace' });
    fireEvent.click(button);
    fireEvent.keyDown(screen.getByRole('menuitem', { name: 'Approve' }), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    fireEvent.click(button);
    fireEvent.pointerDown(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes when a scroll moves its button, not on a scroll that leaves the button where it was', () => {
    renderMenu();
    const button = screen.getByRole('button', { name: 'Actions for Ada Lovelace' });
    let top = 100;
    button.getBoundingClientRect = () => ({ top, left: 10, bottom: top + 30, right: 40, width: 30, height: 30, x: 10, y: top, toJSON: () => ({}) });
    fireEvent.click(button);
    // Reported a frame after the scroll that brought the button into view, before the menu opened.
    fireEvent.scroll(window);
    expect(screen.getByRole('menu', { name: 'Actions for Ada Lovelace' })).toBeTruthy();
    top = 40;
    fireEvent.scroll(window);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('says why an empty menu has nothing', () => {
    renderMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Empty' }));
    expect(screen.getByRole('menu', { name: 'Empty' }).textContent).toBe('Nothing to do.');
  });

  describe('with a submenu', () => {
    function renderWithSubmenu(onSelect = vi.fn()) {
      render(
        <MenuButton
          label="Actions for Ada Lovelace"
          entries={[
            { key: 'd', label: 'Deactivate', onSelect: () => onSelect('d') },
            {
              key: 'add',
              label: 'Add to group',
              onSelect: () => onSelect('add'),
              submenu: [
                { key: 'g1', label: 'Kitchen', onSelect: () => onSelect('g1') },
                { key: 'g2', label: 'Night shift', onSelect: () => onSelect('g2') },
              ],
            },
          ]}
        >
          …
        </MenuButton>,
      );
      return onSelect;
    }

    it('opens it from its entry and runs the chosen item at once: two clicks from the menu button', () => {
      const onSelect = renderWithSubmenu();
      const button = screen.getByRole('button', { name: 'Actions for Ada Lovelace' });
      fireEvent.click(button);
      const entry = screen.getByRole('menuitem', { name: 'Add to group' });
      expect(entry.getAttribute('aria-haspopup')).toBe('menu');
      expect(entry.getAttribute('aria-expanded')).toBe('false');
      fireEvent.click(entry);
      expect(entry.getAttribute('aria-expanded')).toBe('true');
      const submenu = screen.getByRole('menu', { name: 'Add to group' });
      expect(document.activeElement).toBe(within(submenu).getByRole('menuitem', { name: 'Kitchen' }));
      expect(onSelect).not.toHaveBeenCalled();
      fireEvent.click(within(submenu).getByRole('menuitem', { name: 'Night shift' }));
      expect(onSelect).toHaveBeenCalledWith('g2');
      expect(onSelect).toHaveBeenCalledTimes(1);
      expect(screen.queryByRole('menu')).toBeNull();
      expect(document.activeElement).toBe(button);
    });

    it('opens on pointing at the entry with a mouse, and closes on pointing at another', () => {
      renderWithSubmenu();
      fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
      fireEvent.pointerEnter(screen.getByRole('menuitem', { name: 'Add to group' }), { pointerType: 'mouse' });
      expect(screen.getByRole('menu', { name: 'Add to group' })).toBeTruthy();
      fireEvent.pointerEnter(screen.getByRole('menuitem', { name: 'Deactivate' }), { pointerType: 'mouse' });
      expect(screen.queryByRole('menu', { name: 'Add to group' })).toBeNull();
    });

    it('opens with ArrowRight, moves inside with the arrows, and goes back on ArrowLeft or Escape', () => {
      renderWithSubmenu();
      fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
      const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k });
      key('ArrowDown');
      const entry = screen.getByRole('menuitem', { name: 'Add to group' });
      expect(document.activeElement).toBe(entry);
      key('ArrowRight');
      expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Kitchen' }));
      key('ArrowDown');
      expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Night shift' }));
      key('ArrowLeft');
      expect(screen.queryByRole('menu', { name: 'Add to group' })).toBeNull();
      expect(document.activeElement).toBe(entry);
      key('Enter');
      key('Escape');
      expect(document.activeElement).toBe(entry);
      expect(screen.getByRole('menu', { name: 'Actions for Ada Lovelace' })).toBeTruthy();
    });
  });
});
