"""Two-factor sign-in with an authenticator app (TOTP): its pages, rules and the browser's side of it."""
