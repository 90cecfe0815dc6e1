/**
 * @module Bytes to text: BOM, then the HTTP charset, then the document's own declaration (XML
 * `encoding=`, HTML `<meta charset>`), then UTF-8. Real feeds lie about their charset in both
 * directions, so a body that is valid UTF-8 but labelled Latin-1 is read as UTF-8, and a body labelled
 * UTF-8 that is not valid UTF-8 is read as windows-1252; both are reported as warnings.
 */

export interface DecodedBody {
  text: string;
  charset: string;
  warnings: string[];
}

const SINGLE_BYTE_WESTERN = new Set(['us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'cp1252', 'iso-8859-15']);

export function decodeBody(body: Uint8Array, contentType: string | null): DecodedBody {
  const warnings: string[] = [];
  const bom = sniffBom(body);
  if (bom) return { text: new TextDecoder(bom.charset).decode(body.subarray(bom.length)), charset: bom.charset, warnings };

  const declared = charsetFromContentType(contentType) ?? charsetFromDocument(body);
  let label = declared ? normalizeLabel(declared) : 'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: label === 'utf-8' });
  } catch {
    warnings.push(`unknown charset "${declared}"; decoded as UTF-8`);
    label = 'utf-8';
    decoder = new TextDecoder(label, { fatal: true });
  }

  if (label !== 'utf-8' && SINGLE_BYTE_WESTERN.has(label) && hasNonAscii(body)) {
    if (isValidUtf8(body)) {
      warnings.push(`declared charset ${declared} but the body is valid UTF-8; decoded as UTF-8`);
      return { text: new TextDecoder('utf-8').decode(body), charset: 'utf-8', warnings };
    }
    const stray = strayBytesInUtf8(body);
    if (stray !== null) {
      warnings.push(
        `declared charset ${declared} but the body is UTF-8 with ${stray} invalid byte(s); decoded as UTF-8, the bad bytes replaced`,
      );
      return { text: new TextDecoder('utf-8').decode(body), charset: 'utf-8', warnings };
    }
  }
  if (label === 'utf-8') {
    try {
      return { text: decoder.decode(body), charset: 'utf-8', warnings };
    } catch {
      // The HTTP header said UTF-8 and lied; the document's own declaration may still be right.
      const own = charsetFromDocument(body);
      const ownLabel = own ? normalizeLabel(own) : null;
      if (own && ownLabel && ownLabel !== 'utf-8') {
        try {
          const text = new TextDecoder(ownLabel).decode(body);
          warnings.push(`declared ${declared} but the body is not valid UTF-8; decoded as ${own} as the document itself declares`);
          return { text, charset: ownLabel, warnings };
        } catch {
          // an unknown label in the document too: fall through to windows-1252
        }
      }
      // UTF-8 with a stray byte or two (a bad copy-paste, a cut multi-byte character) is still UTF-8:
      // only the bad bytes are replaced, not the whole feed garbled as windows-1252.
      const stray = strayBytesInUtf8(body);
      if (stray !== null) {
        warnings.push(`the body is UTF-8 with ${stray} invalid byte(s); they were replaced`);
        return { text: new TextDecoder('utf-8').decode(body), charset: 'utf-8', warnings };
      }
      warnings.push(`${declared ? `declared ${declared} but the` : 'the'} body is not valid UTF-8; decoded as windows-1252`);
      return { text: new TextDecoder('windows-1252').decode(body), charset: 'windows-1252', warnings };
    }
  }
  return { text: decoder.decode(body), charset: decoder.encoding, warnings };
}

function sniffBom(b: Uint8Array): { charset: string; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  // UTF-16 without a BOM still starts "<\0?\0" or "\0<\0?".
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return { charset: 'utf-16le', length: 0 };
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return { charset: 'utf-16be', length: 0 };
  return null;
}

export function charsetFromContentType(contentType: string | null): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m?.[1] ?? null;
}

function charsetFromDocument(body: Uint8Array): string | null {
  const head = Buffer.from(body.subarray(0, 4096)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml?.[1]) return xml[1];
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

function normalizeLabel(label: string): string {
  const l = label.trim().toLowerCase();
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return l;
  }
}

function hasNonAscii(b: Uint8Array): boolean {
  for (const byte of b) if (byte >= 0x80) return true;
  return false;
}

function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/**
 * When a body is UTF-8 except for a few bytes, how many bytes are invalid; null when it does not read
 * as UTF-8 at all (no valid multi-byte character, or invalid bytes are common: a windows-1252 text).
 */
export function strayBytesInUtf8(b: Uint8Array): number | null {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < b.length) {
    const x = b[i] as number;
    if (x < 0x80) {
      i++;
      continue;
    }
    const need = x >= 0xf0 && x <= 0xf4 ? 3 : x >= 0xe0 ? 2 : x >= 0xc2 && x <= 0xdf ? 1 : -1;
    let ok = need > 0 && i + need < b.length + 0;
    for (let k = 1; ok && k <= need; k++) ok = ((b[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  if (invalid === 0) return 0;
  return valid >= 1 && invalid <= Math.max(3, valid / 50) ? invalid : null;
}
