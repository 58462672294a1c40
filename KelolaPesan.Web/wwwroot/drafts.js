// Replies typed but not sent, kept in this browser only (localStorage), per person and chat: a draft survives
// switching chats, a reload and a session that ended (another node signed the person out, their access was
// re-checked); sending clears it. Signing out here clears the person's drafts (a shared computer), and a draft left
// for a week goes.
const prefix = 'kelola.draft.';
const keepMs = 7 * 24 * 3600 * 1000;

export function readDraft(key) {
    try {
        const draft = JSON.parse(localStorage.getItem(prefix + key));
        return draft && typeof draft.text === 'string' && Date.now() - draft.at < keepMs ? draft.text : null;
    } catch {
        return null;
    }
}

export function writeDraft(key, text) {
    try {
        if (text && text.trim()) localStorage.setItem(prefix + key, JSON.stringify({ text, at: Date.now() }));
        else localStorage.removeItem(prefix + key);
    } catch {
        // Storage full or refused (private mode): the draft lives as long as the page, as before.
    }
}

export function forgetDraft(key) {
    try { localStorage.removeItem(prefix + key); } catch { }
}

// Removes the drafts whose key (a person's id, a dot, a chat's id) `drop` picks.
function removeWhere(drop) {
    try {
        for (let i = localStorage.length - 1; i >= 0; i--) {
            const key = localStorage.key(i);
            if (key && key.startsWith(prefix) && drop(key.substring(prefix.length))) localStorage.removeItem(key);
        }
    } catch { }
}

// Keeps only `person`'s drafts: someone else signed in on this browser after a session that ended without signing out
// (a shared computer), and the drafts of the one before are no business of theirs.
export function keepOnly(person) {
    removeWhere(key => !key.startsWith(person + '.'));
}

// Expired (or unreadable) drafts go whenever a page loads.
removeWhere(key => readDraft(key) === null);

// The sign-out form (UserMenu) names the person signed in.
const signOut = document.getElementById('kp-sign-out');
if (signOut && signOut.getAttribute('data-person')) keepOnly(signOut.getAttribute('data-person'));

document.addEventListener('submit', e => {
    const owner = e.target && e.target.id === 'kp-sign-out' && e.target.getAttribute('data-person');
    if (owner) removeWhere(key => key.startsWith(owner + '.'));
}, true);
