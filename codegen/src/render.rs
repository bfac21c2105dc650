//! Renders diagnostics for people: the message, the source line with the offending node
//! underlined (via `annotate-snippets`, as rustc does), the JSON pointer and the hint.

use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};

/// Renders every diagnostic; `sources` holds the texts that locations point into.
pub fn render(diagnostics: &[Diagnostic], sources: &[(PathBuf, String)], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&render_one(&renderer, diagnostic, sources));
        out.push_str("\n\n");
    }
    out
}

fn render_one(renderer: &Renderer, diagnostic: &Diagnostic, sources: &[(PathBuf, String)]) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let pointer = format!("at {}", diagnostic.pointer);
    let located = diagnostic.location.as_ref().and_then(|location| {
        let (_, text) = sources.iter().find(|(path, _)| *path == location.file)?;
        let line_text = text.lines().nth(location.line.checked_sub(1)?)?;
        let start =
            line_text.char_indices().nth(location.column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(line_text.len());
        let end = line_text[start..] // ok: `start` is a char boundary from char_indices, or the length
            .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .map(|n| start + n)
            .filter(|&end| end > start)
            .unwrap_or(line_text.len());
        Some((location, line_text, start..end.max(start)))
    });
    let title = level.primary_title(diagnostic.message.as_str());
    let is_located = located.is_some();
    let mut groups = vec![match located {
        Some((location, line_text, span)) => {
            let path = location.file.display().to_string();
            title.element(
                Snippet::source(line_text)
                    .line_start(location.line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span).label(pointer.clone())),
            )
        }
        None => Group::with_title(title),
    }];
    if !is_located {
        groups.push(Group::with_title(Level::NOTE.secondary_title(pointer)));
    }
    if let Some(hint) = &diagnostic.hint {
        groups.push(Group::with_title(Level::HELP.secondary_title(hint.as_str())));
    }
    renderer.render(&groups).to_string()
}
