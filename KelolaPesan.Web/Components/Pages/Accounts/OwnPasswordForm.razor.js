// After a password change every session of the account ends; this one leaves through the sign-out form (POST with its
// antiforgery token), after a moment in which the confirmation can be read.
export function signOutSoon(form) {
    setTimeout(() => form.requestSubmit(), 2500);
}
