/**
 * @module Just enough OpenPGP (RFC 4880) to read the issuer key id of the
 * signature packets rpm stores in `SIGPGP`, `RSAHEADER` and `DSAHEADER`.
 *
 * claircore reads these with golang.org/x/crypto/openpgp's packet reader and
 * keeps the issuer of every binary-document signature (type 0): a v3
 * signature's fixed issuer field, or a v4 signature's issuer subpacket (16)
 * from either subpacket area. The last such packet wins. Reading stops at the
 * first packet that is malformed, as the Go reader's loop does on an error.
 */

const TAG_SIGNATURE = 2;
const SUBPACKET_ISSUER = 16;

interface Packet {
  tag: number;
  body: Buffer;
}

/** Splits `b` into packets; stops (without throwing) at anything malformed or partial-length. */
function* packets(b: Buffer): Generator<Packet> {
  let at = 0;
  while (at < b.length) {
    const head = b[at]!;
    if ((head & 0x80) === 0) return;
    let tag: number;
    let len: number;
    let p = at + 1;
    if ((head & 0x40) !== 0) {
      tag = head & 0x3f;
      const l0 = b[p];
      if (l0 === undefined) return;
      if (l0 < 192) {
        len = l0;
        p += 1;
      } else if (l0 < 224) {
        const l1 = b[p + 1];
        if (l1 === undefined) return;
        len = ((l0 - 192) << 8) + l1 + 192;
        p += 2;
      } else if (l0 === 255) {
        if (p + 5 > b.length) return;
        len = b.readUInt32BE(p + 1);
        p += 5;
      } else {
        return; // partial body lengths never occur in signatures rpm stores
      }
    } else {
      tag = (head >> 2) & 0x0f;
      switch (head & 3) {
        case 0:
          if (p + 1 > b.length) return;
          len = b[p]!;
          p += 1;
          break;
        case 1:
          if (p + 2 > b.length) return;
          len = b.readUInt16BE(p);
          p += 2;
          break;
        case 2:
          if (p + 4 > b.length) return;
          len = b.readUInt32BE(p);
          p += 4;
          break;
        default:
          len = b.length - p; // indeterminate: to the end
      }
    }
    if (p + len > b.length) return;
    yield { tag, body: b.subarray(p, p + len) };
    at = p + len;
  }
}

function hex64(b: Buffer): string {
  return b.toString('hex').padStart(16, '0');
}

/** The issuer subpacket's key id in one subpacket area, if any (the last one wins). */
function issuerIn(area: Buffer): string | undefined | null {
  let found: string | undefined;
  let at = 0;
  while (at < area.length) {
    const l0 = area[at]!;
    let len: number;
    if (l0 < 192) {
      len = l0;
      at += 1;
    } else if (l0 < 255) {
      if (at + 2 > area.length) return null;
      len = ((l0 - 192) << 8) + area[at + 1]! + 192;
      at += 2;
    } else {
      if (at + 5 > area.length) return null;
      len = area.readUInt32BE(at + 1);
      at += 5;
    }
    if (len < 1 || at + len > area.length) return null;
    const type = area[at]! & 0x7f;
    const body = area.subarray(at + 1, at + len);
    if (type === SUBPACKET_ISSUER) {
      if (body.length !== 8) return null;
      found = hex64(body);
    }
    at += len;
  }
  return found;
}

/** Issuer of one signature packet body; `null` means malformed (stop reading). */
function signatureIssuer(body: Buffer): { sigType: number; issuer: string | undefined } | null {
  const version = body[0];
  if (version === 2 || version === 3) {
    // version, hashed length (must be 5), type, 4-byte time, 8-byte key id, algorithms.
    if (body.length < 19 || body[1] !== 5) return null;
    return { sigType: body[2]!, issuer: hex64(body.subarray(7, 15)) };
  }
  if (version === 4) {
    if (body.length < 6) return null;
    const sigType = body[1]!;
    const hashedLength = body.readUInt16BE(4);
    const hashedEnd = 6 + hashedLength;
    if (hashedEnd + 2 > body.length) return null;
    const unhashedLength = body.readUInt16BE(hashedEnd);
    const unhashedEnd = hashedEnd + 2 + unhashedLength;
    if (unhashedEnd > body.length) return null;
    const hashed = issuerIn(body.subarray(6, hashedEnd));
    const unhashed = issuerIn(body.subarray(hashedEnd + 2, unhashedEnd));
    if (hashed === null || unhashed === null) return null;
    return { sigType, issuer: unhashed ?? hashed };
  }
  return null;
}

/**
 * The 16-hex-digit issuer key id of the last binary-document signature in
 * `sig`, or `undefined` when there is none.
 */
export function pgpIssuerKeyId(sig: Buffer): string | undefined {
  let key: string | undefined;
  for (const p of packets(sig)) {
    if (p.tag !== TAG_SIGNATURE) return key; // the Go reader stops at packets it does not expect here
    const s = signatureIssuer(p.body);
    if (s === null) return key;
    if (s.sigType !== 0 || s.issuer === undefined) continue;
    key = s.issuer;
  }
  return key;
}
