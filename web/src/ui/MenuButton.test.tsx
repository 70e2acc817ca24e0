import { fireEvent, render, screen } from '@testing-library/react';
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

  it('says why an empty menu has nothing', () => {
    renderMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Empty' }));
    expect(screen.getByRole('menu', { name: 'Empty' }).textContent).toBe('Nothing to do.');
  });
});
