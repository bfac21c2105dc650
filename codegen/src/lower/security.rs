//! Security schemes, as the IR describes where each credential travels.

use super::*;

impl<'a> Lowerer<'a> {
    /// OpenAPI 3.1 lets a requirement list roles for any scheme, but only OAuth 2 / OpenID
    /// Connect scopes reach `authenticate` (inside their credential): the others are said.
    pub(super) fn check_roles(&mut self) {
        let api = self.api;
        let mut lists = vec![("#/security".to_owned(), api.security.as_ref())];
        for (path, item) in &api.paths.paths {
            let ReferenceOr::Item(item) = item else { continue };
            for (method, op) in item.iter() {
                let at = pointer_push(&pointer_push(&pointer_push("#/paths", path), method), "security");
                lists.push((at, op.security.as_ref()));
            }
        }
        for (at, requirements) in lists {
            for (i, requirement) in requirements.into_iter().flatten().enumerate() {
                for (name, roles) in requirement.iter().filter(|(_, roles)| !roles.is_empty()) {
                    let scheme = api.components.as_ref().and_then(|c| c.security_schemes.get(name));
                    let Some(ReferenceOr::Item(scheme)) = scheme else { continue };
                    if matches!(
                        scheme,
                        openapiv3::SecurityScheme::OAuth2 { .. } | openapiv3::SecurityScheme::OpenIDConnect { .. }
                    ) {
                        continue;
                    }
                    self.diagnostics.push(
                        Diagnostic::warning(
                            pointer_push(&pointer_push(&at, &i.to_string()), name),
                            format!(
                                "the roles {roles:?} of scheme {name:?} are not passed to `authenticate` \
                                 (only OAuth 2 and OpenID Connect scopes are)"
                            ),
                        )
                        .with_hint("check them in the implementation's `authenticate`"),
                    );
                }
            }
        }
    }

    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.api.components else {
            return Vec::new();
        };
        components
            .security_schemes
            .iter()
            .filter_map(|(name, scheme)| {
                let ReferenceOr::Item(scheme) = scheme else {
                    return None;
                };
                let (kind, description) = match scheme {
                    openapiv3::SecurityScheme::APIKey { location, name, description, .. } => (
                        SecurityKind::ApiKey {
                            location: match location {
                                openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                                openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                                openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                            },
                            name: name.clone(),
                        },
                        description,
                    ),
                    openapiv3::SecurityScheme::HTTP { scheme, bearer_format, description, .. } => (
                        SecurityKind::Http {
                            scheme: scheme.to_ascii_lowercase(),
                            bearer_format: bearer_format.clone(),
                        },
                        description,
                    ),
                    openapiv3::SecurityScheme::OAuth2 { description, .. } => (SecurityKind::OAuth2, description),
                    openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                        (SecurityKind::OpenIdConnect, description)
                    }
                };
                Some(SecurityScheme { name: name.clone(), kind, description: description.clone() })
            })
            .collect()
    }
}
