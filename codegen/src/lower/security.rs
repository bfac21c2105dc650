//! Security schemes, as the IR describes where each credential travels.

use super::*;

impl<'a> Lowerer<'a> {
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
