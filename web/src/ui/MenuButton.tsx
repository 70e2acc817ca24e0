import { Fragment, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuEntry {
  /** Unique among the menu's entries. */
  key: string;
  label: string;
  /** Runs on choosing the entry; an entry with a submenu opens it instead. */
  onSelect: () => void;
  /** Starts a new group of entries, drawn with a line above it. */
  groupStart?: boolean;
  /**
   * Entries shown beside this one when it is pointed at, clicked, or opened with
   * ArrowRight or Enter (one level deep): choosing one runs it, so an action with a
   * single choice to make (which group) still takes two clicks.
   */
  submenu?: readonly Omit<MenuEntry, 'submenu' | 'groupStart'>[];
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
 * Places an open submenu beside its entry: to the right of the menu, else to its
 * left, else (a narrow screen) over the menu just below the entry.
 */
function placeSubmenu(entry: HTMLElement, menu: HTMLElement, submenu: HTMLElement) {
  const e = entry.getBoundingClientRect();
  const m = menu.getBoundingClientRect();
  const s = submenu.getBoundingClientRect();
  let left: number;
  let top = e.top - 4;
  if (m.right + s.width + MARGIN_PX <= window.innerWidth) {
    left = m.right - 2;
  } else if (m.left - s.width >= MARGIN_PX) {
    left = m.left - s.width + 2;
  } else {
    left = Math.max(MARGIN_PX, Math.min(e.left + 16, window.innerWidth - s.width - MARGIN_PX));
    top = e.bottom - 4;
  }
  top = Math.max(MARGIN_PX, Math.min(top, window.innerHeight - s.height - MARGIN_PX));
  submenu.style.top = `${Math.round(top)}px`;
  submenu.style.left = `${Math.round(left)}px`;
}

/**
 * A button that opens a menu of commands (the WAI-ARIA menu button pattern):
 * arrow keys, Home and End move between entries, Escape closes and gives focus
 * back to the button, and so does choosing an entry, before the entry runs.
 * An entry may open a submenu (pointing at it, clicking it, ArrowRight or Enter);
 * ArrowLeft or Escape closes the submenu and goes back to its entry.
 */
export function MenuButton({ label, children, className = 'button', entries, emptyText, align = 'end', header }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const subRef = useRef<HTMLDivElement>(null);
  const subId = useId();
  /** The entry whose submenu is open, and whether to focus its first item (not when merely pointed at). */
  const [sub, setSub] = useState<{ key: string; focus: boolean } | null>(null);
  const subEntry = sub ? entries.find((entry) => entry.key === sub.key && entry.submenu) : undefined;

  const itemsOf = (container: HTMLElement | null) => [...(container?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const items = () => itemsOf(menuRef.current);
  const focusIn = (all: HTMLElement[], index: number) => {
    if (all.length > 0) all[(index + all.length) % all.length]!.focus({ preventScroll: true });
  };
  const focusItem = (index: number) => focusIn(items(), index);
  const entryElement = (key: string) => items().find((item) => item.dataset.entry === key);

  useLayoutEffect(() => {
    if (!open || !buttonRef.current || !menuRef.current) return;
    placeMenu(buttonRef.current, menuRef.current, align);
    focusItem(0);
  }, [open, align]);

  useLayoutEffect(() => {
    if (!open) setSub(null);
  }, [open]);

  useLayoutEffect(() => {
    if (!sub || !menuRef.current || !subRef.current) return;
    const entry = entryElement(sub.key);
    if (entry) placeSubmenu(entry, menuRef.current, subRef.current);
    if (sub.focus) focusIn(itemsOf(subRef.current), 0);
  }, [sub]);

  useEffect(() => {
    if (!open) return;
    const closeOnOutsidePointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    // The menu is fixed where the button was: once the page moves the button, it no longer belongs there.
    // A scroll that does not move it (one that finished just before the menu opened, and is reported
    // a frame later; or a scroll elsewhere) leaves it open.
    const placedAt = buttonRef.current?.getBoundingClientRect();
    const closeOnScroll = (event: Event) => {
      const target = event.target;
      if (target instanceof Node && (menuRef.current?.contains(target) || subRef.current?.contains(target))) return;
      const now = buttonRef.current?.getBoundingClientRect();
      if (!placedAt || !now || Math.abs(now.top - placedAt.top) > 1 || Math.abs(now.left - placedAt.left) > 1) setOpen(false);
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

  function closeSubmenu() {
    const key = sub?.key;
    setSub(null);
    if (key) entryElement(key)?.focus({ preventScroll: true });
  }

  function onSubmenuKeyDown(event: KeyboardEvent) {
    const all = itemsOf(subRef.current);
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
      focusIn(all, target);
    } else if (event.key === 'Escape' || event.key === 'ArrowLeft') {
      event.preventDefault();
      event.stopPropagation();
      closeSubmenu();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  function onMenuKeyDown(event: KeyboardEvent) {
    const focused = entries.find((entry) => entry.key === (document.activeElement as HTMLElement | null)?.dataset.entry);
    if (focused?.submenu && (event.key === 'ArrowRight' || event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      setSub({ key: focused.key, focus: true });
      return;
    }
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
      setSub(null);
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
              {entry.submenu ? (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="menu-item menu-item-submenu"
                  data-entry={entry.key}
                  aria-haspopup="menu"
                  aria-expanded={sub?.key === entry.key}
                  aria-controls={sub?.key === entry.key ? subId : undefined}
                  onPointerEnter={(event) => {
                    if (event.pointerType === 'mouse' && sub?.key !== entry.key) setSub({ key: entry.key, focus: false });
                  }}
                  onClick={() => setSub({ key: entry.key, focus: true })}
                >
                  <span>{entry.label}</span>
                  <span aria-hidden="true" className="menu-item-arrow">
                    ›
                  </span>
                </button>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="menu-item"
                  data-entry={entry.key}
                  onPointerEnter={(event) => {
                    if (event.pointerType === 'mouse' && sub) setSub(null);
                  }}
                  onClick={() => {
                    closeAndRefocus();
                    entry.onSelect();
                  }}
                >
                  {entry.label}
                </button>
              )}
            </Fragment>
          ))}
        </div>
      )}
      {open && subEntry?.submenu && (
        <div
          ref={subRef}
          id={subId}
          role="menu"
          aria-label={subEntry.label}
          className="popup-menu popup-submenu"
          onKeyDown={onSubmenuKeyDown}
        >
          {subEntry.submenu.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                closeAndRefocus();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
