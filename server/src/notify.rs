//! Where invite and password-reset tokens go. No mail is sent by this server: a deployment
//! plugs in its own `Notifier`; the default logs that a token was issued (and, in development
//! mode only, the token itself, at debug level); tests capture tokens in memory.

use std::sync::Mutex;

pub trait Notifier: Send + Sync + 'static {
    /// An invite (new or resent) for `email`, accepted with `token`.
    fn invite(&self, email: &str, token: &str);
    /// A password reset for `email`, done with `token`.
    fn password_reset(&self, email: &str, token: &str);
}

/// Logs deliveries. Tokens are logged only in development mode, at debug level.
pub struct LogNotifier {
    pub development: bool,
}

impl Notifier for LogNotifier {
    fn invite(&self, email: &str, token: &str) {
        if self.development {
            tracing::debug!(%email, %token, "invite token issued (development mode)");
        } else {
            tracing::info!(%email, "invite token issued");
        }
    }

    fn password_reset(&self, email: &str, token: &str) {
        if self.development {
            tracing::debug!(%email, %token, "password reset token issued (development mode)");
        } else {
            tracing::info!(%email, "password reset token issued");
        }
    }
}

/// What kind of token was delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Invite,
    PasswordReset,
}

/// Keeps every delivered token, for tests.
#[derive(Default)]
pub struct MemoryNotifier {
    sent: Mutex<Vec<(Delivery, String, String)>>,
}

impl MemoryNotifier {
    /// The newest token of a kind delivered to an email.
    pub fn last(&self, kind: Delivery, email: &str) -> Option<String> {
        let sent = self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        sent.iter().rev().find(|(k, e, _)| *k == kind && e == email).map(|(_, _, token)| token.clone())
    }

    fn push(&self, kind: Delivery, email: &str, token: &str) {
        let mut sent = self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        sent.push((kind, email.to_owned(), token.to_owned()));
    }
}

impl Notifier for MemoryNotifier {
    fn invite(&self, email: &str, token: &str) {
        self.push(Delivery::Invite, email, token);
    }

    fn password_reset(&self, email: &str, token: &str) {
        self.push(Delivery::PasswordReset, email, token);
    }
}
