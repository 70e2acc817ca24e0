/**
 * Where the local dev server's mailbox is: it names it in a meta tag of the page it
 * serves. Production pages have no such tag, so they show no link.
 */
export function mailboxUrl(doc: Document = document): string | null {
  const content = doc.querySelector('meta[name="roster-mailbox"]')?.getAttribute('content')?.trim();
  // Only a path on this origin: the tag is ours, but a link out should never come from a page.
  return content && content.startsWith('/') && !content.startsWith('//') ? content : null;
}

/** In local mode, a link to the emails the server has sent, opening in a new tab. */
export function MailboxLink() {
  const url = mailboxUrl();
  if (!url) return null;
  return (
    <a className="mailbox-link" href={url} target="_blank" rel="noopener noreferrer" title="Emails sent in local mode">
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
        <rect x="2" y="4.5" width="16" height="11" rx="1.8" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M3 6l7 5 7-5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
      </svg>
      Mailbox <span className="visually-hidden">(opens in a new tab)</span>
    </a>
  );
}
