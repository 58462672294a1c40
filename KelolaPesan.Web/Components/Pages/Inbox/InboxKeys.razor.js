// Inbox keyboard habits: Up/Down open the previous/next chat of the list, Esc closes the open chat.
// They stay out of the way of typing: in a text field only when it is empty, never while a dialog or menu is open.
let handler = null;

function editable(el) {
    return el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function overlayOpen() {
    return !!document.querySelector(".mud-dialog-container, .mud-popover-open:not(.mud-tooltip)");
}

function go(href) {
    if (window.Blazor && typeof window.Blazor.navigateTo === 'function') window.Blazor.navigateTo(href);
    else location.assign(href);
}

function move(step) {
    const rows = [...document.querySelectorAll('[data-testid=chat-list] [data-testid=chat-row]')];
    if (rows.length === 0) return;
    // The address, not the highlighted row: it changes at once, the highlight only after the server's render.
    const current = rows.findIndex(r => r.getAttribute('href') === location.pathname);
    const next = current < 0 ? (step > 0 ? 0 : rows.length - 1) : current + step;
    if (next < 0 || next >= rows.length) return;
    rows[next].scrollIntoView({ block: 'nearest' });
    go(rows[next].getAttribute('href'));
}

export function attach() {
    if (handler) return;
    handler = e => {
        if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.isComposing || overlayOpen()) return;
        const target = document.activeElement;
        if (editable(target) && target.value) return;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (target && target.tagName === 'SELECT') return;
            e.preventDefault();
            move(e.key === 'ArrowDown' ? 1 : -1);
        } else if (e.key === 'Escape' && /^\/inbox\/[^/]+/.test(location.pathname)) {
            e.preventDefault();
            go('/inbox');
        }
    };
    document.addEventListener('keydown', handler);
}

export function detach() {
    if (handler) document.removeEventListener('keydown', handler);
    handler = null;
}
