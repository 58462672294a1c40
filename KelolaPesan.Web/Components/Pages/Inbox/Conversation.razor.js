// Scrolling helpers for the conversation: stick to the newest message, load older pages at the top.
const observers = new WeakMap();

export function scrollToBottom(el) {
    if (el) el.scrollTop = el.scrollHeight;
}

export function observeTop(el, dotnet) {
    if (!el) return;
    let busy = false;
    const onScroll = async () => {
        if (busy || el.scrollTop > 40 || !el.querySelector('[data-testid=load-older]')) return;
        busy = true;
        try { await dotnet.invokeMethodAsync('LoadOlderAsync'); } catch { } finally { busy = false; }
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    observers.set(el, onScroll);
}

// After older messages are inserted above, keep the message the agent was reading in place.
export function keepPosition(el) {
    if (!el) return;
    const before = el.scrollHeight;
    requestAnimationFrame(() => { el.scrollTop += el.scrollHeight - before; });
}

export function dispose(el) {
    const handler = el && observers.get(el);
    if (handler) el.removeEventListener('scroll', handler);
}
