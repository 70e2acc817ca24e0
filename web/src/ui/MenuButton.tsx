import { Fragment, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuEntry {
  /** Unique among the menu's entries. */
  key: string;
  label: string;
  onSelect: () => void;
  /** Starts a new group of entries, drawn with a line above it. */
  groupStart?: boolean;
}

interface MenuButtonProps {
  /** The accessible name of the button and of its menu, e.g. "Actions for Ada Lovelace". */
  label: string;
  /** What the button shows; the label when not given. */
  children?: ReactNode;
  className?: string;
  entries: readonly MenuEntry[];
  /** Said in the open menu when it has no entries. */
  emptyText?: string;
  /** Which edge of the button the menu lines up with. */
  align?: 'start' | 'end';
  /** Shown above the entries, for context (who is signed in). */
  header?: ReactNode;
}

const GAP_PX = 4;
const MARGIN_PX = 8;

/**
 * Places the open menu next to its button, fixed to the viewport so that no
 * scrolling container (the table's) clips it: below, or above when there is no room.
 */
function placeMenu(button: HTMLElement, menu: HTMLElement, align: 'start' | 'end') {
  const b = button.getBoundingClientRect();
  const m = menu.getBoundingClientRect();
  let top = b.bottom + GAP_PX;
  if (top + m.height > window.innerHeight - MARGIN_PX && b.top - GAP_PX - m.height >= MARGIN_PX) {
    top = b.top - GAP_PX - m.height;
  }
  const wanted = align === 'end' ? b.right - m.width : b.left;
  const left = Math.max(MARGIN_PX, Math.min(wanted, window.innerWidth - m.width - MARGIN_PX));
  menu.style.top = `${Math.round(top)}px`;
  menu.style.left = `${Math.round(left)}px`;
}

/**
 * A button that opens a menu of commands (the WAI-ARIA menu button pattern):
 * arrow keys, Home and End move between entries, Escape closes and gives focus
 * back to the button, and so does choosing an entry, before the entry runs.
 */
export function MenuButton({ label, children, className = 'button', entries, emptyText, align = 'end', header }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const focusItem = (index: number) => {
    const all = items();
    if (all.length > 0) all[(index + all.length) % all.length]!.focus({ preventScroll: true });
  };

  useLayoutEffect(() => {
    if (!open || !buttonRef.current || !menuRef.current) return;
    placeMenu(buttonRef.current, menuRef.current, align);
    focusItem(0);
  }, [open, align]);

  useEffect(() => {
    if (!open) return;
    const closeOnOutsidePointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    // The menu is fixed where the button was: once the page moves, it no longer belongs there.
    const closeOnScroll = (event: Event) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const close = () => setOpen(false);
    document.addEventListener('pointerdown', closeOnOutsidePointer);
    window.addEventListener('scroll', closeOnScroll, true);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('pointerdown', closeOnOutsidePointer);
      window.removeEventListener('scroll', closeOnScroll, true);
      window.removeEventListener('resize', close);
    };
  }, [open]);

  function closeAndRefocus() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent) {
    const all = items();
    const current = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number | undefined> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      Home: 0,
      End: all.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusItem(target);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeAndRefocus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  function onButtonKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div
      className="menu-button"
      ref={rootRef}
      onBlur={(event) => {
        if (event.relatedTarget && !rootRef.current?.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-label={children === undefined ? undefined : label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onButtonKeyDown}
      >
        {children ?? label}
      </button>
      {open && (
        <div ref={menuRef} id={menuId} role="menu" aria-label={label} className="popup-menu" onKeyDown={onMenuKeyDown}>
          {header && (
            <div role="none" className="menu-header">
              {header}
            </div>
          )}
          {entries.length === 0 && emptyText && <p className="popup-menu-empty">{emptyText}</p>}
          {entries.map((entry, index) => (
            <Fragment key={entry.key}>
              {entry.groupStart && index > 0 && <div role="separator" className="popup-menu-separator" />}
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="menu-item"
                onClick={() => {
                  closeAndRefocus();
                  entry.onSelect();
                }}
              >
                {entry.label}
              </button>
            </Fragment>
          ))}
        </div>
      )}
    </div>
  );
}
