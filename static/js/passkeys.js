// Passkeys and security keys (WebAuthn), with allauth's static webauthn.js. allauth's own
// templates start it from an inline JSON <script>; here the element ids sit in a data
// attribute on the button instead, so the page needs no inline script (strict CSP).
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-passkey-form]').forEach(function (button) {
    const start = window.allauth.webauthn.forms[button.dataset.passkeyForm]
    start({ ids: JSON.parse(button.dataset.passkeyIds) })
  })
})
