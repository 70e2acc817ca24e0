import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MailboxLink, mailboxUrl } from './MailboxLink';

function addMeta(content: string) {
  const meta = document.createElement('meta');
  meta.name = 'roster-mailbox';
  meta.content = content;
  document.head.append(meta);
}

describe('MailboxLink', () => {
  afterEach(() => document.head.querySelectorAll('meta[name="roster-mailbox"]').forEach((m) => m.remove()));

  it('links to the mailbox the local server names, in a new tab', () => {
    addMeta('/dev/mailbox');
    render(<MailboxLink />);
    const link = screen.getByRole('link', { name: 'Mailbox (opens in a new tab)' });
    expect(link.getAttribute('href')).toBe('/dev/mailbox');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('shows nothing without the tag, as in production', () => {
    render(<MailboxLink />);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('takes only a path on this origin', () => {
    addMeta('https://elsewhere.example/box');
    expect(mailboxUrl()).toBeNull();
    document.head.querySelector('meta[name="roster-mailbox"]')!.setAttribute('content', '//elsewhere.example');
    expect(mailboxUrl()).toBeNull();
  });
});
