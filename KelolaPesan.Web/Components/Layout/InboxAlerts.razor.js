// The unread count in the tab title, and the optional sound / desktop notification for new inbound messages.
let unread = 0;
let observer = null;
let audio = null;

const strip = t => t.replace(/^\(\d+\+?\)\s/, '');

function applyTitle() {
    const base = strip(document.title);
    const wanted = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
    if (document.title !== wanted) document.title = wanted;
}

// Pages set their own <title> (PageTitle); the observer puts the count back in front after each change.
export function setUnread(count) {
    unread = count;
    applyTitle();
    if (!observer) {
        observer = new MutationObserver(applyTitle);
        observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    }
}

export function alertNewMessages(sound, desktop, title, body) {
    if (sound) {
        audio ??= new Audio('/sounds/new-message.wav');
        audio.currentTime = 0;
        audio.play().catch(() => { });   // autoplay refused before the user's first interaction: the badge still shows
    }
    if (desktop && 'Notification' in window && Notification.permission === 'granted') {
        const n = new Notification(title, { body, tag: 'kelola-pesan-inbox', icon: '/favicon.svg' });
        n.onclick = () => { window.focus(); n.close(); };
    }
}

// Asked only when the user turns desktop alerts on (browsers require a user gesture).
export async function requestNotificationPermission() {
    if (!('Notification' in window)) return 'unsupported';
    if (Notification.permission !== 'default') return Notification.permission;
    return await Notification.requestPermission();
}
