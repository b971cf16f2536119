// The rule for display names: they appear on the partner's screen (ring window,
// notifications, history), so nothing in one may hide, reorder or overflow text.
import { z } from 'zod';

export const DISPLAY_NAME_MAX_GRAPHEMES = 40;
/** Enough for any real script's stacked marks; "zalgo" text has dozens per character. */
const MAX_MARKS_PER_GRAPHEME = 4;

// C0/C1 controls, and the bidi embeddings, overrides, isolates and marks that can
// make a name read backwards or spill its direction into the text around it.
const FORBIDDEN = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Characters that draw nothing: spaces, format characters (zero-width space and
// joiners), combining marks alone, and the blank fillers some fonts render empty.
const INVISIBLE = /[\s\p{Cf}\p{M}\u115F\u1160\u2800\u3164\uFFA0]/gu;
const MARK = /\p{M}/gu;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Why `name` (already NFC-normalised and trimmed) is not acceptable, or null when it is. */
export function displayNameProblem(name: string): string | null {
  if (FORBIDDEN.test(name)) return 'displayName: control and text-direction characters are not allowed';
  if (name.replace(INVISIBLE, '') === '') return 'displayName: needs at least one visible character';
  let graphemes = 0;
  for (const { segment } of segmenter.segment(name)) {
    graphemes += 1;
    if ((segment.match(MARK)?.length ?? 0) > MAX_MARKS_PER_GRAPHEME) return 'displayName: too many accents stacked on one character';
  }
  if (graphemes > DISPLAY_NAME_MAX_GRAPHEMES) return `displayName: at most ${DISPLAY_NAME_MAX_GRAPHEMES} characters`;
  return null;
}

/** A display name as stored and shown: NFC-normalised, trimmed, and checked by displayNameProblem. */
export const DisplayName = z
  .string()
  .max(DISPLAY_NAME_MAX_GRAPHEMES * 16, `displayName: at most ${DISPLAY_NAME_MAX_GRAPHEMES} characters`)
  .transform((raw) => raw.normalize('NFC').trim())
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
