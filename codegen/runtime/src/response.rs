//! What every generated response enum is: one variant per documented status.

/// An operation's responses as one enum, a variant per documented status.
///
/// Generated response enums implement [`OperationResponse::status`]; a variant for a range
/// (`4XX`) or for `default` carries the status it was sent with. Shared by the server, which
/// answers with these enums, and the client, which decodes into them.
pub trait OperationResponse {
    /// The HTTP status code.
    fn status(&self) -> u16;

    /// Whether the status is 2xx.
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status())
    }
}

#[cfg(test)]
mod tests {
    use super::OperationResponse;

    enum Answer {
        Created,
        Range(u16),
    }

    impl OperationResponse for Answer {
        fn status(&self) -> u16 {
            match self {
                Self::Created => 201,
                Self::Range(status) => *status,
            }
        }
    }

    #[test]
    fn success_is_2xx() {
        assert!(Answer::Created.is_success());
        assert!(Answer::Range(299).is_success());
        assert!(!Answer::Range(300).is_success());
        assert!(!Answer::Range(199).is_success());
        assert!(!Answer::Range(404).is_success());
    }
}
