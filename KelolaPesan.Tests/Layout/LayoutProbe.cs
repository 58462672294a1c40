using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>Measurements of the page in the browser: what overflows the window, and colour contrast as WCAG computes it.</summary>
public static class LayoutProbe
{
    public static readonly (int Width, int Height) Phone = (390, 844);
    public static readonly (int Width, int Height) Desktop = (1440, 900);

    // A visible button must lie inside the window, unless it sits in a container that scrolls sideways on its own
    // (a wide table): that one is reached by scrolling the table, never the page.
    private const string OverflowScript = """
        () => {
            const width = window.innerWidth;
            const problems = [];
            if (document.documentElement.scrollWidth > width)
                problems.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
            const scrollsOnItsOwn = el => {
                for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                    const s = getComputedStyle(p);
                    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth + 1) return true;
                }
                return false;
            };
            const describe = el => `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.getAttribute('aria-label') || (el.innerText || '').trim().slice(0, 30)}]`;
            for (const el of document.querySelectorAll('button, a.mud-button-root, [role=button]')) {
                const r = el.getBoundingClientRect();
                const s = getComputedStyle(el);
                if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
                if (r.left < -1 || r.right > width + 1) {
                    if (!scrollsOnItsOwn(el)) problems.push(`${describe(el)} at ${Math.round(r.left)}..${Math.round(r.right)}`);
                }
            }
            // A table stacked into cards on a phone (its cells flex boxes, its header row hidden) must name each value: a cell's label is all that says what it is.
            for (const td of document.querySelectorAll('td.mud-table-cell')) {
                // Buttons and links say what they do, and the table's own row-selection box has its accessible name: only
                // other text needs the column's label.
                if (getComputedStyle(td).display === 'table-cell' || td.querySelector('input[type=checkbox]')) continue;
                const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
                let bare = false;
                for (let n = walker.nextNode(); n && !bare; n = walker.nextNode())
                    bare = n.textContent.trim() !== '' && !n.parentElement.closest('button, a');
                if (!bare) continue;
                if (!(td.getAttribute('data-label') || '').trim()) problems.push(`${describe(td)} has no label`);
            }
            return problems;
        }
        """;

    /// <summary>What sticks out of the window sideways, and stacked table cells without a label; empty when the page fits.</summary>
    public static Task<string[]> OverflowAsync(IPage page) => page.EvaluateAsync<string[]>(OverflowScript);

    public static async Task AssertFitsAsync(IPage page, string what)
    {
        var problems = await OverflowAsync(page);
        Assert.True(problems.Length == 0, $"{what} at {page.ViewportSize?.Width}px: {string.Join("; ", problems)}");
    }

    // A field's label cut short: its text wider than its box (ellipsis), sticking out of the field, or running under the
    // field's end icon (a date picker's calendar). A native time or date input whose own text (e.g. "09:30 PM", or
    // "--:-- --" when empty) is clipped counts as cut too.
    private const string CutLabelsScript = """
        root => {
            const cut = [];
            for (const label of root.querySelectorAll('label.mud-input-label')) {
                const r = label.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || getComputedStyle(label).visibility === 'hidden') continue;
                const control = label.closest('.mud-input-control') || label.parentElement;
                const field = control.getBoundingClientRect();
                const range = document.createRange();
                range.selectNodeContents(label);
                const text = range.getBoundingClientRect();
                const icon = [...control.querySelectorAll('.mud-input-adornment-end')].map(a => a.getBoundingClientRect())
                    .find(a => a.width > 0 && a.top < text.bottom && a.bottom > text.top);
                const under = icon && text.right > icon.left + 1;
                if (label.scrollWidth > label.clientWidth + 1 || text.right > field.right + 1 || text.left < field.left - 1 || under)
                    cut.push(`label "${label.innerText.trim()}" text ${Math.round(text.left)}..${Math.round(text.right)} in field ${Math.round(field.left)}..${Math.round(field.right)}${under ? ` under its icon at ${Math.round(icon.left)}` : ''}, ${label.scrollWidth}px in ${label.clientWidth}px`);
            }
            // A native input's own text is not in the DOM: a copy laid out at its natural width says how much it needs.
            for (const input of root.querySelectorAll('input[type=time], input[type=date], input[type=datetime-local]')) {
                if (input.getBoundingClientRect().width === 0) continue;
                const s = getComputedStyle(input);
                const copy = input.cloneNode();
                copy.removeAttribute('id');
                Object.assign(copy.style, { position: 'absolute', visibility: 'hidden', width: 'max-content', padding: '0', border: '0', font: s.font, letterSpacing: s.letterSpacing });
                document.body.append(copy);
                const needs = copy.getBoundingClientRect().width;
                copy.remove();
                const has = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
                if (needs > has + 1)
                    cut.push(`${input.type} input "${input.closest('[data-testid]')?.getAttribute('data-testid') || input.value}" needs ${Math.round(needs)}px, has ${Math.round(has)}px`);
            }
            return cut;
        }
        """;

    /// <summary>The field labels (and native time/date inputs) under <paramref name="root"/> whose text is cut; empty when all read whole.</summary>
    public static Task<string[]> CutLabelsAsync(ILocator root) => root.EvaluateAsync<string[]>(CutLabelsScript);

    public static async Task AssertNoCutLabelsAsync(ILocator root, string what)
    {
        var cut = await CutLabelsAsync(root);
        Assert.True(cut.Length == 0, $"{what} at {root.Page.ViewportSize?.Width}px: {string.Join("; ", cut)}");
    }

    // An empty field's placeholder cut short: its text, laid out on one line in the field's font, wider than the room
    // inside the field (an input clips it, a one-line textarea hides its second line).
    private const string CutPlaceholdersScript = """
        root => {
            const cut = [];
            for (const field of root.querySelectorAll('input[placeholder], textarea[placeholder]')) {
                if (field.value || !field.placeholder || field.getBoundingClientRect().width === 0) continue;
                const s = getComputedStyle(field);
                const copy = document.createElement('span');
                copy.textContent = field.placeholder;
                Object.assign(copy.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre', font: s.font, letterSpacing: s.letterSpacing });
                document.body.append(copy);
                const needs = copy.getBoundingClientRect().width;
                copy.remove();
                const has = field.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
                if (needs > has + 1)
                    cut.push(`placeholder "${field.placeholder}" needs ${Math.round(needs)}px, has ${Math.round(has)}px`);
            }
            return cut;
        }
        """;

    /// <summary>The empty fields under <paramref name="root"/> whose placeholder is cut; empty when all read whole.</summary>
    public static Task<string[]> CutPlaceholdersAsync(ILocator root) => root.EvaluateAsync<string[]>(CutPlaceholdersScript);

    public static async Task AssertNoCutPlaceholdersAsync(ILocator root, string what)
    {
        var cut = await CutPlaceholdersAsync(root);
        Assert.True(cut.Length == 0, $"{what} at {root.Page.ViewportSize?.Width}px: {string.Join("; ", cut)}");
    }

    /// <summary>True when the element's box lies inside the window.</summary>
    public static async Task<bool> InsideViewportAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync();
        var page = element.Page;
        return box is not null && box.X >= -1 && box.Y >= -1
            && box.X + box.Width <= page.ViewportSize!.Width + 1 && box.Y + box.Height <= page.ViewportSize!.Height + 1;
    }

    // The element's text colour over the first opaque background up its ancestors, as WCAG 2 defines the ratio.
    private const string ContrastScript = """
        el => {
            const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
            let bg = null;
            for (let p = el; p; p = p.parentElement) {
                const c = parse(getComputedStyle(p).backgroundColor);
                if (c.a > 0.5) { bg = c; break; }
            }
            bg = bg || { r: 255, g: 255, b: 255, a: 1 };
            const fg0 = parse(getComputedStyle(el).color);
            const fg = { r: fg0.r * fg0.a + bg.r * (1 - fg0.a), g: fg0.g * fg0.a + bg.g * (1 - fg0.a), b: fg0.b * fg0.a + bg.b * (1 - fg0.a) };
            const lum = c => [c.r, c.g, c.b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const [a, b] = [lum(fg), lum(bg)];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """;

    public static Task<double> ContrastAsync(ILocator element) => element.EvaluateAsync<double>(ContrastScript);
}
