//! Problems found in a spec, as values: a message, the JSON pointer it is about, the source
//! location once known, and an optional hint. Collected in [`Diagnostics`] and checked at the end
//! of each pipeline phase, so a user sees every problem of a phase at once.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information about how the document is read that loses nothing (a 3.1 document read
    /// through its 3.0 equivalent); `--deny-warnings` does not count it.
    Note,
    /// The construct was skipped or approximated; generation goes on.
    Warning,
    /// Generation cannot produce correct code.
    Error,
}

/// A position in a source file: 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// JSON pointer into the document the problem is about, e.g. `#/paths/~1users/get`.
    pub pointer: String,
    /// The file the pointer is relative to; `None` means the root document.
    pub file: Option<PathBuf>,
    /// Filled in by [`crate::load::Document::locate`] once the whole phase is done.
    pub location: Option<Box<Location>>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            pointer: pointer.into(),
            file: None,
            location: None,
            hint: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(pointer, message) }
    }

    /// A note: said, never an error, not even with `--deny-warnings`.
    pub fn note(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Diagnostic::error(pointer, message) }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn in_file(mut self, file: PathBuf) -> Self {
        self.file = Some(file);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match &self.location {
            Some(location) => write!(f, "{location}: {level}: {} (at {})", self.message, self.pointer)?,
            None => write!(f, "{level}: {} (at {})", self.message, self.pointer)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics of a phase.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds a diagnostic, once: a schema lowered for two views would otherwise say it twice.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// Appends `segment` to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// Splits a pointer (`#/a/b~1c` or `/a/b~1c`) into unescaped segments.
pub fn pointer_segments(pointer: &str) -> Vec<String> {
    let body = pointer.strip_prefix('#').unwrap_or(pointer);
    body.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
}
