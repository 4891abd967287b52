/** A reference in an HTML page that makes a browser fetch something from another host. */
export interface RemoteReference {
  url: string;
  /** Context the address was found in, for the message that lists it. */
  kind: 'element' | 'css' | 'cdn' | 'resource';
}

/** Elements whose `src`, `href`, `srcset`, `poster` or `data` attribute is fetched on load. `<a>` is not: a link is only followed on a click. */
const fetchingElements = /<(?:script|link|img|iframe|frame|source|video|audio|track|embed|object|image|use|input)\b[^>]*?\s(?:src|href|srcset|poster|data|xlink:href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi;

/** CSS `url(...)` and `@import` with a remote address, in style elements, style attributes or script text. */
const cssReferences = /(?:url\(\s*["']?|@import\s+["'])((?:https?:)?\/\/[^"'\s)]+)/gi;

/** Hosts that serve scripts, styles and fonts to web pages; any address on them is treated as a fetch. */
const cdnHosts = /https?:\/\/(?:fonts\.googleapis\.com|fonts\.gstatic\.com|use\.typekit\.net|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|cdn\.redoc\.ly)\/[^"'`\s)<>\\]*/gi;

/** Addresses of files a script could load at run time: images, fonts, styles and scripts. */
const resourceLiterals = /https?:\/\/[^"'`\s)<>\\]+?\.(?:svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf|eot|css|m?js)(?=[?#"'`)\s<>\\]|$)/gi;

/**
 * Finds every remote address in an HTML page that a browser would fetch,
 * in markup, in CSS, or as a file address inside inline scripts. Links
 * (`<a href>`), XML namespaces and plain text are not fetches and are not
 * listed. Each address appears once.
 */
export function findRemoteReferences(html: string): RemoteReference[] {
  const found = new Map<string, RemoteReference>();
  const add = (url: string, kind: RemoteReference['kind']): void => {
    if (!found.has(url)) {
      found.set(url, { url, kind });
    }
  };
  for (const match of html.matchAll(fetchingElements)) {
    add(match[1] ?? '', 'element');
  }
  for (const match of html.matchAll(cssReferences)) {
    add(match[1] ?? '', 'css');
  }
  for (const match of html.matchAll(cdnHosts)) {
    add(match[0], 'cdn');
  }
  for (const match of html.matchAll(resourceLiterals)) {
    add(match[0], 'resource');
  }
  return [...found.values()];
}

/**
 * Stand-ins for the remote files Redoc 3.0.1 loads at run time: the Redocly
 * logo of its "API docs by" badge. A text image keeps the attribution
 * readable offline.
 */
const knownStandIns: Record<string, string> = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': textImage('Redocly', 56),
  'https://cdn.redoc.ly/redoc/logo-mini.svg': textImage('R', 14),
};

/** Returns a data URL of an SVG image that shows a word in the system font. */
function textImage(text: string, width: number): string {
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='14'><text x='0' y='11' font-family='sans-serif' font-size='11' fill='%23555'>${text}</text></svg>`;
  return `data:image/svg+xml,${svg.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/ /g, '%20')}`;
}

/**
 * Replaces every remote reference with a local stand-in, so the page makes
 * no request to another host: a known file gets a drawn replacement, any
 * other an empty `data:` URL, which loads nothing. Returns the page and the
 * references it replaced.
 */
export function makeOffline(html: string): { html: string; replaced: RemoteReference[] } {
  const references = findRemoteReferences(html);
  let result = html;
  // Longest address first, so an address that contains another is replaced whole.
  for (const reference of [...references].sort((left, right) => right.url.length - left.url.length)) {
    result = result.split(reference.url).join(knownStandIns[reference.url] ?? 'data:,');
  }
  return { html: result, replaced: references };
}
