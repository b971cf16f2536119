// The tab itself tells a user in another tab that something needs them: the
// document title and the favicon show a ring, or the count of unseen missed calls.
export interface Attention {
  /** Who is calling right now, or null. */
  ringingFrom: string | null;
  missed: number;
}

const HEART = '<path d="M32 52 13 33a11 11 0 0 1 19-13 11 11 0 0 1 19 13Z" fill="#e8577e"/>';

/** The favicon as an SVG: the heart, plus a green ring dot or a red count badge. */
export function faviconSvg({ ringingFrom, missed }: Attention): string {
  let badge = '';
  if (ringingFrom !== null) badge = '<circle cx="48" cy="16" r="15" fill="#1e7d45"/><circle cx="48" cy="16" r="7" fill="#fff"/>';
  else if (missed > 0) {
    const text = missed > 9 ? '9+' : String(missed);
    badge = `<circle cx="46" cy="18" r="17" fill="#c43035"/><text x="46" y="25" font-family="Arial,sans-serif" font-size="${text.length > 1 ? 17 : 21}" font-weight="700" fill="#fff" text-anchor="middle">${text}</text>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#2b2d31"/>${HEART}${badge}</svg>`;
}

export function applyAttention(title: string, attention: Attention): void {
  document.title = title;
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  link.type = 'image/svg+xml';
  link.href = `data:image/svg+xml,${encodeURIComponent(faviconSvg(attention))}`;
}
