// WCAG contrast of every visible control, computed in the page from computed styles:
// the text colour against the first opaque background behind it (the control's own,
// or an ancestor's), and the focus ring against the page.
import type { Page } from 'playwright';

export interface ControlContrast {
  control: string;
  text: number;
  /** The focus outline against the control's surroundings; null when the control draws none when focused. */
  focus: number | null;
}

// Runs in the page (a string, so the bundler of the test never touches it).
const MEASURE = `(() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (x, y) => { const a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const blend = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const backgroundOf = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let colour = { r: 0, g: 0, b: 0, a: 1 };
    for (const layer of layers.reverse()) colour = layer.a >= 1 ? layer : blend(layer, colour);
    return colour;
  };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const out = [];
  for (const el of document.querySelectorAll('button, a[href], input:not([type=checkbox]), select')) {
    if (el.disabled || !visible(el)) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    const restingBorder = style.borderTopColor;
    const bg = backgroundOf(el);
    const text = ratio(blend(fg, bg), bg);
    const before = document.activeElement;
    if (before && before.blur) before.blur();
    el.focus({ focusVisible: true });
    // Behind a modal dialog (inert): not reachable now, measured on its own screen.
    if (document.activeElement !== el) continue;
    const focused = getComputedStyle(el);
    // The indicator is the outline, or (inputs) a border that changes colour on focus.
    const outline = focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) > 0
      ? parse(focused.outlineColor)
      : focused.borderTopColor !== restingBorder ? parse(focused.borderTopColor) : null;
    const around = el.parentElement ? backgroundOf(el.parentElement) : bg;
    const focus = outline ? ratio(outline, around) : null;
    if (before && before.focus) before.focus(); else el.blur();
    const name = el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.tagName;
    out.push({ control: name, text: Math.round(text * 100) / 100, focus: focus === null ? null : Math.round(focus * 100) / 100 });
  }
  return out;
})()`;

export async function controlContrasts(page: Page): Promise<ControlContrast[]> {
  return (await page.evaluate(MEASURE)) as ControlContrast[];
}

/** Controls under WCAG AA: text under 4.5:1, or a focus indicator missing or under 3:1. */
export async function contrastFailures(page: Page): Promise<ControlContrast[]> {
  return (await controlContrasts(page)).filter((c) => c.text < 4.5 || c.focus === null || c.focus < 3);
}
