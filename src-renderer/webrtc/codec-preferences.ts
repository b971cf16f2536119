// Audio first: what keeps a voice intelligible on a lossy link.
//  - RED (RFC 2198, `audio/red`) carries the previous Opus frame again in every
//    packet, so one lost packet costs nothing. Browsers offer it but list it after
//    Opus; putting it first (setCodecPreferences) is what makes it negotiated.
//  - Opus in-band FEC (`useinbandfec=1`) lets the decoder rebuild a lost frame from a
//    low-bitrate copy in the next one. Chromium offers it; the SDP transform makes
//    sure every Opus line we send says so, whoever built it.
// Pure: plain codec objects and SDP strings, unit-tested under Node.

export interface CodecLike {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

const isRed = (codec: CodecLike): boolean => codec.mimeType.toLowerCase() === 'audio/red';
const isOpus = (codec: CodecLike): boolean => codec.mimeType.toLowerCase() === 'audio/opus';

/** The audio codecs in the order we prefer: RED, then Opus, then the rest as the browser listed them. */
export function preferredAudioCodecs<T extends CodecLike>(codecs: readonly T[]): T[] {
  const rank = (codec: T): number => (isRed(codec) ? 0 : isOpus(codec) ? 1 : 2);
  // Array.prototype.sort is stable: codecs of one rank keep the browser's order.
  return [...codecs].sort((a, b) => rank(a) - rank(b));
}

/** True when the list can carry RED over Opus (RED alone would be useless). */
export function canUseRed(codecs: readonly CodecLike[]): boolean {
  return codecs.some(isRed) && codecs.some(isOpus);
}

/**
 * Turns Opus in-band FEC on in every Opus fmtp line of an SDP, adding the fmtp line
 * where a payload type has none. Other codecs and other parameters are left alone.
 */
export function withOpusFec(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const opusPayloads = new Set<string>();
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (match?.[1]) opusPayloads.add(match[1]);
  }
  if (opusPayloads.size === 0) return sdp;
  const withFmtp = new Set<string>();
  const out = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!match?.[1] || !opusPayloads.has(match[1])) return line;
    withFmtp.add(match[1]);
    const params = (match[2] ?? '').split(';').filter((p) => p.trim() && !/^\s*useinbandfec=/i.test(p));
    return `a=fmtp:${match[1]} ${[...params, 'useinbandfec=1'].join(';')}`;
  });
  // A payload type without an fmtp line gets one right after its rtpmap line.
  return out
    .flatMap((line) => {
      const match = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
      return match?.[1] && !withFmtp.has(match[1]) ? [line, `a=fmtp:${match[1]} useinbandfec=1`] : [line];
    })
    .join(eol);
}
