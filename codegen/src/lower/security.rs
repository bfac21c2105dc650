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
        let mut variants = Namer::default();
        // The client builder's own methods, and std's.
        let mut reserved = vec![
            "new",
            "builder",
            "default_header",
            "timeout",
            "max_retries",
            "retry_base_delay",
            "keep_session",
            "http_client",
            "build",
        ];
        reserved.extend(crate::naming::STD_METHODS);
        let mut setters = Namer::with_reserved(&reserved);
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
                    openapiv3::SecurityScheme::OAuth2 { flows, description, .. } => {
                        (SecurityKind::OAuth2 { flows: oauth_flows(flows) }, description)
                    }
                    openapiv3::SecurityScheme::OpenIDConnect { open_id_connect_url, description, .. } => {
                        (SecurityKind::OpenIdConnect { url: open_id_connect_url.clone() }, description)
                    }
                };
                Some(SecurityScheme {
                    name: name.clone(),
                    variant: RustIdent::new(&variants.claim(type_name(name))),
                    setter: RustIdent::new(&setters.claim(field_name(name))),
                    kind,
                    description: description.clone(),
                })
            })
            .collect()
    }
}

/// The declared flows, in the order OpenAPI lists them.
fn oauth_flows(flows: &openapiv3::OAuth2Flows) -> Vec<OAuthFlow> {
    fn flow<'m>(
        kind: OAuthFlowKind,
        authorization_url: &str,
        token_url: &str,
        refresh_url: &Option<String>,
        scopes: impl IntoIterator<Item = (&'m String, &'m String)>,
    ) -> OAuthFlow {
        OAuthFlow {
            kind,
            authorization_url: authorization_url.to_owned(),
            token_url: token_url.to_owned(),
            refresh_url: refresh_url.clone(),
            scopes: scopes.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
    let mut out = Vec::new();
    if let Some(f) = &flows.implicit {
        out.push(flow(OAuthFlowKind::Implicit, &f.authorization_url, "", &f.refresh_url, &f.scopes));
    }
    if let Some(f) = &flows.password {
        out.push(flow(OAuthFlowKind::Password, "", &f.token_url, &f.refresh_url, &f.scopes));
    }
    if let Some(f) = &flows.client_credentials {
        out.push(flow(OAuthFlowKind::ClientCredentials, "", &f.token_url, &f.refresh_url, &f.scopes));
    }
    if let Some(f) = &flows.authorization_code {
        let kind = OAuthFlowKind::AuthorizationCode;
        out.push(flow(kind, &f.authorization_url, &f.token_url, &f.refresh_url, &f.scopes));
    }
    out
}
