import { readDraft, writeDraft, forgetDraft, keepOnly } from '../../../drafts.js';

export { writeDraft, forgetDraft };

// Enter sends, Shift+Enter adds a line. The default newline is prevented here, and the value is passed
// along, so the server never sees a late input event that would restore the sent text.
// Every keystroke also keeps the text as the chat's draft in this browser; returns the draft kept from before.
export function attach(box, dotnet, draftKey) {
    const textarea = box && box.querySelector('textarea, input');
    if (!textarea) return null;
    keepOnly(draftKey.split('.')[0]);
    textarea.addEventListener('input', () => writeDraft(draftKey, textarea.value));
    textarea.addEventListener('keydown', e => {
        if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
        e.preventDefault();
        const value = textarea.value;
        dotnet.invokeMethodAsync('SubmitFromKeyboardAsync', value).catch(() => { });
    });
    // Until here Enter would only break the line (the handler comes a round trip after the first render):
    // browser tests wait for this mark before they press Enter.
    box.setAttribute('data-keys', 'ready');
    return readDraft(draftKey);
}

// Opening a chat puts the cursor in the reply box, on devices with a keyboard (a phone's would cover the chat).
export function focus(box) {
    if (window.matchMedia('(pointer: coarse)').matches) return;
    const field = box && box.querySelector('textarea, input');
    if (field) field.focus({ preventScroll: true });
}
