// Copies a generated password; false when the browser refuses (no clipboard on plain http, or permission denied).
export async function copy(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
