//! Operations: parameters, request bodies, responses and their headers, each resolved through
//! its component references.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn resolve_parameter(&self, param: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        resolve_at(self.api, param).map(|(p, _)| p)
    }

    pub(super) fn resolve_request_body(&self, body: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        resolve_at(self.api, body).map(|(b, _)| b)
    }

    pub(super) fn resolve_response(
        &self,
        response: &'a ReferenceOr<openapiv3::Response>,
    ) -> Option<&'a openapiv3::Response> {
        resolve_at(self.api, response).map(|(r, _)| r)
    }

    /// Every tag and operationId a filter names must exist: a typo would otherwise generate
    /// nothing, silently.
    pub(super) fn check_filters(&mut self) {
        let mut tags = Vec::new();
        let mut ids = Vec::new();
        for item in self.api.paths.paths.values() {
            let ReferenceOr::Item(item) = item else { continue };
            for (_, op) in item.iter() {
                tags.extend(op.tags.iter().cloned());
                ids.extend(op.operation_id.iter().cloned());
            }
        }
        tags.sort();
        tags.dedup();
        for (wanted, known, what) in
            [(&self.options.tags, &tags, "tag"), (&self.options.operations, &ids, "operationId")]
        {
            for name in wanted.iter().filter(|name| !known.contains(name)) {
                let close = known.iter().find(|k| crate::naming::edit_distance(k, name) <= 2);
                let hint = match close {
                    Some(close) => format!("did you mean {close:?}?"),
                    None if what == "tag" => format!("the document's tags are: {}", known.join(", ")),
                    None => "the filter names operations by their operationId".to_owned(),
                };
                self.diagnostics.push(
                    Diagnostic::error("#/paths", format!("the filter names {what} {name:?}, which no operation has"))
                        .with_hint(hint),
                );
            }
        }
    }

    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        // An operation's name is its trait method and its router handler: it must not meet
        // `ApiBase`'s methods (every tag trait extends it) or the router module's own functions.
        let mut names = Namer::with_reserved(&[
            "authenticate",
            "error_body",
            "router",
            "router_with",
            "not_found",
            "method_not_allowed",
        ]);
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = pointer_push("#/paths", path);
            // A path template is a path: a query or fragment in it (OpenAI documents
            // `/responses/{id}?beta=true`) cannot be routed, and the router would refuse it when
            // built. Such operations are left out, said.
            if path.contains(['?', '#']) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        &path_pointer,
                        format!("the path {path:?} holds a query or fragment, which a path template cannot: its operations are not generated"),
                    )
                    .with_hint("move the query into a parameter (a `const` or single-value `enum` says it is fixed)"),
                );
                continue;
            }
            for (method, op) in item.iter() {
                let pointer = pointer_push(&path_pointer, method);
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                let by_tag = self.options.tags.is_empty() || op.tags.iter().any(|t| self.options.tags.contains(t));
                let by_id = self.options.operations.is_empty() || self.options.operations.contains(&id);
                if !(by_tag && by_id) {
                    continue;
                }
                let name = RustIdent::new(&names.claim(field_name(&id)));
                let hint = type_name(&id);
                let site = Site {
                    pointer: pointer.clone(),
                    hint: hint.clone(),
                    view: View::Request,
                    depth: 0,
                    fixed: None,
                    without: None,
                };
                let params = self.lower_params(item.parameters.iter().chain(&op.parameters), &site);
                let body = op.request_body.as_ref().and_then(|b| self.lower_body(b, &site));
                let responses = self.lower_responses(op, &Site { view: View::Response, ..site.clone() });
                let mut claim = |suffix: &str| RustIdent::new(&self.type_names.claim(format!("{hint}{suffix}")));
                let has = |location| params.iter().any(|p: &Param| p.location == location);
                let types = OperationTypes {
                    response: claim("Response"),
                    path: has(ParamLocation::Path).then(|| claim("Path")),
                    query: has(ParamLocation::Query).then(|| claim("Query")),
                    headers: has(ParamLocation::Header).then(|| claim("Headers")),
                    cookies: has(ParamLocation::Cookie).then(|| claim("Cookies")),
                    request: claim("Request"),
                };
                let responses = responses
                    .into_iter()
                    .map(|r| Response {
                        headers_type: (!r.headers.is_empty()).then(|| {
                            RustIdent::new(&self.type_names.claim(format!("{hint}{}Headers", r.status.variant_name())))
                        }),
                        ..r
                    })
                    .collect();
                let client_method = op
                    .extensions
                    .get("x-codegen")
                    .and_then(|x| x.get("method"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let requirements = op.security.as_ref().or(self.api.security.as_ref());
                let security: Vec<Vec<Requirement>> = requirements
                    .map(|reqs| {
                        let alternative = |req: &openapiv3::SecurityRequirement| {
                            let requirement = |(scheme, scopes): (&String, &Vec<String>)| Requirement {
                                scheme: scheme.clone(),
                                scopes: scopes.clone(),
                            };
                            req.iter().map(requirement).collect()
                        };
                        reqs.iter().map(alternative).collect()
                    })
                    .unwrap_or_default();
                let access = Access::of(&security);
                out.push(Operation {
                    id,
                    name,
                    types,
                    pointer,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    tags: op.tags.clone(),
                    client_method,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    params,
                    body,
                    responses,
                    security,
                    access,
                });
            }
        }
        out
    }

    pub(super) fn lower_params(
        &mut self,
        params: impl Iterator<Item = &'a ReferenceOr<Parameter>>,
        site: &Site,
    ) -> Vec<Param> {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut by_key: Vec<((String, ParamLocation), Param)> = Vec::new();
        let mut namer = Namer::default();
        for (i, param) in params.enumerate() {
            let Some(param) = self.resolve_parameter(param) else {
                continue;
            };
            let (data, location, style, allow_reserved) = match param {
                Parameter::Path { parameter_data, style } => (
                    parameter_data,
                    ParamLocation::Path,
                    match style {
                        PathStyle::Simple => ParamStyle::Simple,
                        PathStyle::Label => ParamStyle::Label,
                        PathStyle::Matrix => ParamStyle::Matrix,
                    },
                    false,
                ),
                Parameter::Query { parameter_data, style, allow_reserved, .. } => (
                    parameter_data,
                    ParamLocation::Query,
                    match style {
                        QueryStyle::Form => ParamStyle::Form,
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                    *allow_reserved,
                ),
                Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, ParamStyle::Simple, false)
                }
                Parameter::Cookie { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Cookie, ParamStyle::Form, false)
                }
            };
            let child = site
                .child("parameters", String::new())
                .child(&i.to_string(), format!("{}{}", site.hint, type_name(&data.name)));
            let (lowered, json) = self.lower_param_format(&data.format, &child);
            let key = (data.name.clone(), location);
            let lowered_param = Param {
                field: Field {
                    wire_name: data.name.clone(),
                    name: RustIdent::new(&namer.claim(field_name(&data.name))),
                    ty: lowered.ty,
                    required: data.required || location == ParamLocation::Path,
                    nullable: false,
                    boxed: false,
                    doc: data.description.clone().or(lowered.doc),
                    default: lowered.default,
                    constraints: lowered.constraints,
                },
                location,
                style,
                explode: data.explode.unwrap_or(style == ParamStyle::Form),
                allow_reserved,
                brackets: data.extensions.get("x-codegen").and_then(|x| x.get("brackets")).and_then(Value::as_bool)
                    == Some(true),
                shape: if json { ParamShape::Json } else { ParamShape::Scalar },
            };
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some(existing) => existing.1 = lowered_param,
                None => by_key.push((key, lowered_param)),
            }
        }
        by_key.into_iter().map(|(_, p)| p).collect()
    }

    /// The type of a parameter or header, and whether it is `content: application/json` (its
    /// JSON text on the wire). Any other media type is the value's text, as sent.
    fn lower_param_format(&mut self, format: &'a ParameterSchemaOrContent, site: &Site) -> (Lowered, bool) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => (self.lower_schema_ref(schema, site), false),
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, m)) if json_media(media) => match &m.schema {
                    Some(schema) => (self.lower_schema_ref(schema, site), true),
                    None => (Lowered::of(Type::Any), true),
                },
                _ => (Lowered::of(Type::String), false),
            },
        }
    }

    pub(super) fn lower_body(&mut self, body: &'a ReferenceOr<RequestBody>, site: &Site) -> Option<Body> {
        let (body, defined_at) = resolve_at(self.api, body)?;
        let (pointer, hint) = match &defined_at {
            Some(reference) => {
                (reference.clone(), format!("{}Body", type_name(reference.rsplit('/').next().unwrap_or("Request"))))
            }
            None => (pointer_push(&site.pointer, "requestBody"), format!("{}Body", site.hint)),
        };
        let body_site = Site { pointer, hint, ..site.clone() };
        let content = self.lower_content(&body.content, &body_site);
        Some(Body { required: body.required, content })
    }

    pub(super) fn lower_content(&mut self, content: &'a openapiv3::Content, site: &Site) -> Vec<Content> {
        let content_site = site.child("content", String::new());
        let several = content.iter().filter(|(m, s)| json_media(m) && s.schema.is_some()).count() > 1;
        let lowered = content
            .iter()
            .map(|(media_type, media)| {
                let hint = if several { format!("{}{}", site.hint, type_name(media_type)) } else { site.hint.clone() };
                let media_site = content_site.child(media_type, hint.clone()).child("schema", hint);
                let form = form_media(media_type);
                // Multipart requests are typed from their schema; a multipart response (rare,
                // and nothing reads it as parts) is its text.
                let multipart = multipart_media(media_type) && site.view == View::Request;
                let ty = match &media.schema {
                    None => None,
                    Some(schema) if json_media(media_type) || form || multipart => {
                        Some(self.lower_schema_ref(schema, &media_site).ty)
                    }
                    Some(_) if multipart_media(media_type) => None,
                    // Text and binary bodies are carried as they are whatever their schema says.
                    Some(_) => Some(Type::String),
                };
                let part_types = if multipart {
                    media
                        .encoding
                        .iter()
                        .filter_map(|(property, encoding)| {
                            encoding.content_type.clone().map(|content_type| (property.clone(), content_type))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let encoding = if form {
                    media
                        .encoding
                        .iter()
                        .map(|(property, encoding)| {
                            let style = match encoding.style {
                                None | Some(QueryStyle::Form) => ParamStyle::Form,
                                Some(QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                                Some(QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                                Some(QueryStyle::DeepObject) => ParamStyle::DeepObject,
                            };
                            // openapiv3 reads an absent `explode` as false; without a `style`
                            // either, OpenAPI's default (form, exploded) is meant.
                            let explode = encoding.explode || encoding.style.is_none();
                            (property.clone(), style, explode, encoding.allow_reserved)
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                if media.schema.is_some() && media_type.to_ascii_lowercase().starts_with("multipart/") && !multipart {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            pointer_push(&content_site.pointer, media_type),
                            format!("{media_type} bodies are carried as raw text: their parts are not typed"),
                        )
                        .with_hint("the handler (or caller) reads and writes the parts itself, boundary included"),
                    );
                }
                let examples = self.media_examples(media);
                Content {
                    media_type: media_type.clone(),
                    ty,
                    form: Vec::new(),
                    form_of_type: false,
                    encoding,
                    parts: Vec::new(),
                    part_types,
                    examples,
                }
            })
            .collect::<Vec<Content>>();
        // One media type is generated: the first JSON one, else the first (`primary_content`);
        // a request may also come as a form of the same type (`alternate_form`).
        if let Some(primary) = primary_content(&lowered).map(|c| c.media_type.clone()) {
            let alternate =
                (site.view == View::Request).then(|| alternate_form(&lowered).map(|c| c.media_type.clone())).flatten();
            for other in lowered.iter().filter(|c| c.media_type != primary && Some(&c.media_type) != alternate.as_ref())
            {
                self.diagnostics.push(
                    Diagnostic::warning(
                        pointer_push(&content_site.pointer, &other.media_type),
                        format!("media type {} is not generated: only {primary} is sent and read", other.media_type),
                    )
                    .with_hint("several media types for one body are not carried yet"),
                );
            }
        }
        lowered
    }

    /// A media type's examples: named ones first (in document order), then `example`, then
    /// the schema's own `example`. An `externalValue` is not fetched.
    fn media_examples(&self, media: &'a openapiv3::MediaType) -> Vec<Example> {
        let mut out: Vec<Example> = media
            .examples
            .iter()
            .filter_map(|(name, example)| {
                let (example, _) = resolve_at(self.api, example)?;
                Some(Example { name: Some(name.clone()), value: example.value.clone()? })
            })
            .collect();
        out.extend(media.example.clone().map(|value| Example { name: None, value }));
        let schema = match &media.schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            Some(ReferenceOr::Reference { reference }) => self.resolve_schema(reference),
            None => None,
        };
        if out.is_empty()
            && let Some(value) = schema.and_then(|s| s.schema_data.example.clone())
        {
            out.push(Example { name: None, value });
        }
        out
    }

    pub(super) fn lower_responses(&mut self, op: &'a openapiv3::Operation, site: &Site) -> Vec<Response> {
        let mut out = Vec::new();
        let statuses = op
            .responses
            .responses
            .iter()
            .map(|(s, r)| (Some(s), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (status, response) in statuses {
            let status = match status {
                Some(StatusCode::Code(code)) => Status::Code(*code),
                Some(StatusCode::Range(range)) => Status::Range(*range),
                None => Status::Default,
            };
            let label = match &status {
                Status::Code(code) => code.to_string(),
                Status::Range(range) => format!("{range}XX"),
                Status::Default => "default".to_owned(),
            };
            let Some((response, defined_at)) = resolve_at(self.api, response) else {
                continue;
            };
            let (pointer, hint) = match &defined_at {
                Some(reference) => (
                    reference.clone(),
                    format!("{}Body", type_name(reference.rsplit('/').next().unwrap_or("Response"))),
                ),
                None => (
                    pointer_push(&pointer_push(&site.pointer, "responses"), &label),
                    format!("{}Response{label}", site.hint),
                ),
            };
            let response_site = Site { pointer, hint, ..site.clone() };
            // HTTP gives 1xx, 204 and 304 answers no content (RFC 9110 §15), so servers cannot
            // send one and clients never receive it: the response is carried without a body.
            let bodiless = match status {
                Status::Code(code) => code < 200 || code == 204 || code == 304,
                Status::Range(digit) => digit == 1,
                Status::Default => false,
            };
            if bodiless && !response.content.is_empty() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        pointer_push(&response_site.pointer, "content"),
                        format!("a {label} response has no content in HTTP (RFC 9110): its content is not generated"),
                    )
                    .with_hint("remove `content`, or document the body under a status that carries one"),
                );
            }
            let content = if bodiless { Vec::new() } else { self.lower_content(&response.content, &response_site) };
            let headers = self.lower_response_headers(response, &response_site);
            out.push(Response {
                status,
                description: response.description.clone(),
                content,
                headers,
                headers_type: None,
            });
        }
        out
    }

    pub(super) fn lower_response_headers(
        &mut self,
        response: &'a openapiv3::Response,
        site: &Site,
    ) -> Vec<ResponseHeader> {
        let mut namer = Namer::default();
        let headers_site = site.child("headers", String::new());
        let mut out = Vec::new();
        for (wire, header) in &response.headers {
            // OpenAPI: a `Content-Type` response header is ignored.
            if wire.eq_ignore_ascii_case("content-type") {
                continue;
            }
            // The body's framing is HTTP's: a server that wrote a documented `Content-Length`
            // would contradict the body it sends (hyper refuses to; GitHub documents one).
            if ["content-length", "transfer-encoding", "connection"].iter().any(|h| wire.eq_ignore_ascii_case(h)) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        pointer_push(&headers_site.pointer, wire),
                        format!("the {wire} header frames the body, which HTTP does: it is not generated"),
                    )
                    .with_hint("leave framing headers out of the spec; every response has them"),
                );
                continue;
            }
            let resolved = resolve_at(self.api, header).map(|(h, _)| h);
            let Some(header) = resolved else { continue };
            let child = headers_site.child(wire, format!("{}{}", site.hint, type_name(wire)));
            let (lowered, json) = self.lower_param_format(&header.format, &child);
            out.push(ResponseHeader {
                field: Field {
                    wire_name: wire.clone(),
                    name: RustIdent::new(&namer.claim(field_name(wire))),
                    ty: lowered.ty,
                    required: header.required,
                    nullable: false,
                    boxed: false,
                    doc: header.description.clone().or(lowered.doc),
                    default: None,
                    constraints: Default::default(),
                },
                // openapiv3 does not keep a header's `explode`; simple style without it is the default.
                explode: false,
                shape: if json { ParamShape::Json } else { ParamShape::Scalar },
                example: header
                    .example
                    .clone()
                    .or_else(|| header.examples.values().find_map(|e| resolve_at(self.api, e)?.0.value.clone())),
            });
        }
        out
    }

    /// Once every type is lowered: how each parameter and response header is taken apart on
    /// the wire, and a warning for what its style cannot carry.
    pub(super) fn finish_params(&mut self, operations: &mut [Operation]) {
        for op in operations.iter_mut() {
            for (i, param) in op.params.iter_mut().enumerate() {
                if param.shape == ParamShape::Json {
                    continue;
                }
                let pointer = format!("{}/parameters/{i}", op.pointer);
                let (shape, nested) = self.param_shape(&param.field.ty);
                if param.style == ParamStyle::DeepObject && !matches!(shape, ParamShape::Object(_) | ParamShape::Map) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            &pointer,
                            format!(
                                "parameter {:?} has style deepObject but is not an object; it is sent in form style",
                                param.field.wire_name
                            ),
                        )
                        .with_hint("deepObject is defined for objects only"),
                    );
                    param.style = ParamStyle::Form;
                    param.explode = true;
                }
                if matches!(param.style, ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited)
                    && shape == ParamShape::Scalar
                {
                    param.style = ParamStyle::Form;
                }
                if param.brackets && !(shape == ParamShape::Array && param.style == ParamStyle::Form && param.explode) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            pointer_push(&pointer, "x-codegen"),
                            format!(
                                "parameter {:?}: `brackets` applies to exploded form arrays only; it is ignored",
                                param.field.wire_name
                            ),
                        )
                        .with_hint("name[]=v and name[N]=v are read for `style: form`, `explode: true` arrays"),
                    );
                    param.brackets = false;
                }
                if nested {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            &pointer,
                            format!(
                                "parameter {:?} holds arrays or objects inside its items; those are sent as JSON text",
                                param.field.wire_name
                            ),
                        )
                        .with_hint(
                            "OpenAPI defines no style for nested values; use `content: application/json` to say so",
                        ),
                    );
                }
                param.shape = shape;
            }
            let bodies = op.body.iter_mut().flat_map(|b| b.content.iter_mut()).map(|c| ("requestBody", c));
            let response_bodies = op.responses.iter_mut().flat_map(|r| r.content.iter_mut()).map(|c| ("responses", c));
            for (at, content) in bodies.chain(response_bodies) {
                let Some(ty) = content.ty.clone() else { continue };
                let pointer =
                    pointer_push(&pointer_push(&pointer_push(&op.pointer, at), "content"), &content.media_type);
                if form_media(&content.media_type) {
                    content.form = self.form_properties(&ty, &content.encoding, &pointer);
                } else if content.kind() == BodyKind::Multipart {
                    content.parts = self.multipart_parts(&ty, &content.part_types, &pointer);
                }
            }
            for response in op.responses.iter_mut() {
                for header in response.headers.iter_mut() {
                    if header.shape != ParamShape::Json {
                        header.shape = self.param_shape(&header.field.ty).0;
                    }
                }
            }
        }
        mark_forms_of_types(operations);
    }

    /// Responses that document the same headers alike (GitHub's `Link` on 150 list operations,
    /// our `Retry-After` on every 429) share one headers struct, named by the headers
    /// (`LinkHeaders`), or by the words the per-response names end with when there are more
    /// than three (`TooManyRequestsHeaders`); where neither names it well, each keeps its own.
    /// One type lets a caller write one pagination helper for every list operation.
    pub(super) fn share_header_types(&mut self, operations: &mut [Operation]) {
        fn key(headers: &[ResponseHeader]) -> String {
            headers
                .iter()
                .map(|h| {
                    let f = &h.field;
                    format!("{:?}|{:?}|{}|{:?}|{}|{:?}", f.wire_name, f.ty, f.required, f.doc, h.explode, h.shape)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        // In the order first met, so that names are claimed in document order.
        let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        for (o, op) in operations.iter().enumerate() {
            for (r, response) in op.responses.iter().enumerate() {
                if response.headers_type.is_none() {
                    continue;
                }
                let group = *by_key.entry(key(&response.headers)).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[group].push((o, r));
            }
        }
        for places in groups.into_iter().filter(|places| places.len() > 1) {
            let (o, r) = places[0];
            let headers = &operations[o].responses[r].headers;
            let name = if headers.len() <= 3 {
                let names: String = headers.iter().map(|h| type_name(&h.field.wire_name)).collect();
                format!("{names}Headers")
            } else {
                let own: Vec<String> = places
                    .iter()
                    .filter_map(|&(o, r)| operations[o].responses[r].headers_type.as_ref())
                    .map(|name| name.unraw().to_owned())
                    .collect();
                let own: Vec<&String> = own.iter().collect();
                match common_word_suffix(&own) {
                    (suffix, words) if words >= 3 => suffix,
                    _ => continue,
                }
            };
            let shared = RustIdent::new(&self.type_names.claim(name));
            for (o, r) in places {
                operations[o].responses[r].headers_type = Some(shared.clone());
            }
        }
    }

    /// How each property of a form body's object type is written; a warning for properties
    /// whose values have no form style (arrays of objects, say: they travel as JSON text).
    fn form_properties(
        &mut self,
        ty: &Type,
        encoding: &[(String, ParamStyle, bool, bool)],
        pointer: &str,
    ) -> Vec<FormProperty> {
        let fields = match ty {
            Type::Named(name) => match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().map(|f| (f.wire_name.clone(), f.ty.clone())).collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for (wire_name, field_ty) in fields {
            let (shape, nested) = self.param_shape(&field_ty);
            let (style, explode, allow_reserved) = encoding
                .iter()
                .find(|(property, ..)| *property == wire_name)
                .map(|(_, style, explode, reserved)| (*style, *explode, *reserved))
                .unwrap_or((ParamStyle::Form, true, false));
            // OpenAPI's default for an object property is `form`, exploded: its properties
            // spread among the body's own. Styles for arrays or objects only fall back to form.
            let style = match (&shape, style) {
                (ParamShape::Scalar, _) => ParamStyle::Form,
                _ => style,
            };
            if nested {
                self.diagnostics.push(
                    Diagnostic::warning(pointer, format!("form property {wire_name:?} holds arrays or objects inside its items; those are sent as JSON text"))
                        .with_hint("a form has no style for nested values"),
                );
            }
            out.push(FormProperty { wire_name, style, explode, allow_reserved, shape });
        }
        out
    }

    /// How each property of a multipart body's object type travels: files (and arrays of files)
    /// as file parts, scalars (and arrays of them) as text parts, anything else as a JSON part,
    /// which is OpenAPI's default for objects. A body that is not an object is said.
    fn multipart_parts(&mut self, ty: &Type, part_types: &[(String, String)], pointer: &str) -> Vec<MultipartPart> {
        let fields: Vec<(String, Type)> = match self.resolved(ty) {
            Some(TypeKind::Struct(s)) => s.fields.iter().map(|f| (f.wire_name.clone(), f.ty.clone())).collect(),
            _ => {
                self.diagnostics.push(
                    Diagnostic::warning(pointer, "a multipart body whose schema is not an object has no named parts")
                        .with_hint("give the body an object schema, one property per part"),
                );
                return Vec::new();
            }
        };
        fields
            .into_iter()
            .map(|(wire_name, field_ty)| {
                let (kind, array) = self.part_kind(&field_ty);
                let content_type = part_types.iter().find(|(p, _)| *p == wire_name).map(|(_, ct)| ct.clone());
                MultipartPart { wire_name, kind, array, content_type }
            })
            .collect()
    }

    /// What a multipart property's parts hold, and whether it is an array of them.
    fn part_kind(&self, ty: &Type) -> (PartKind, bool) {
        let is_file = |ty: &Type| match ty {
            Type::File => true,
            Type::Array(item) => **item == Type::File,
            Type::Named(_) => match self.resolved(ty) {
                // `anyOf: [file, [file]]` (OpenAI's image uploads): files either way.
                Some(TypeKind::Union(u)) => u.variants.iter().all(|v| match &v.ty {
                    Some(Type::File) => true,
                    Some(Type::Array(item)) => **item == Type::File,
                    _ => false,
                }),
                Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => *inner == Type::File,
                _ => false,
            },
            _ => false,
        };
        let array = matches!(ty, Type::Array(_))
            || matches!(self.resolved(ty), Some(TypeKind::Alias(Type::Array(_)) | TypeKind::Newtype(Type::Array(_))));
        if is_file(ty) {
            return (PartKind::File, array);
        }
        match self.param_shape(ty) {
            (ParamShape::Scalar, _) => (PartKind::Text, false),
            (ParamShape::Array, false) => (PartKind::Text, true),
            _ => (PartKind::Json, false),
        }
    }

    /// The kind of a named type (through aliases to another name), `None` for other types.
    fn resolved(&self, ty: &Type) -> Option<&TypeKind> {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            let Type::Named(name) = ty else { return None };
            let kind = &self.types.iter().find(|t| t.name == *name)?.kind;
            match kind {
                TypeKind::Alias(inner @ Type::Named(_)) => ty = inner,
                other => return Some(other),
            }
        }
        None
    }

    /// The wire shape of a parameter type, and whether its items or properties are themselves
    /// arrays or objects.
    fn param_shape(&self, ty: &Type) -> (ParamShape, bool) {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            match ty {
                Type::Array(item) => return (ParamShape::Array, !self.is_scalar(item)),
                Type::Map(value) => return (ParamShape::Map, !self.is_scalar(value)),
                Type::FreeObject => return (ParamShape::Map, false),
                Type::Named(name) => match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => ty = inner,
                    Some(TypeKind::Struct(s)) => {
                        let props = s.fields.iter().map(|f| f.wire_name.clone()).collect();
                        let nested = s.fields.iter().any(|f| !self.is_scalar(&f.ty));
                        let shape = match s.unknown_fields {
                            UnknownFields::Collect(_) => ParamShape::Map,
                            _ => ParamShape::Object(props),
                        };
                        return (shape, nested);
                    }
                    // `anyOf: [object, integer]` (Stripe's `created` ranges, in `deepObject`
                    // style): an object when it is one, so its style applies; a scalar value
                    // is then written and read plainly.
                    Some(TypeKind::Union(u)) => {
                        let shapes: Vec<(ParamShape, bool)> =
                            u.variants.iter().filter_map(|v| v.ty.as_ref()).map(|ty| self.param_shape(ty)).collect();
                        let object = shapes.iter().any(|(s, _)| matches!(s, ParamShape::Object(_) | ParamShape::Map));
                        if object {
                            return (ParamShape::Map, shapes.iter().any(|(_, nested)| *nested));
                        }
                        return (ParamShape::Scalar, false);
                    }
                    _ => return (ParamShape::Scalar, false),
                },
                _ => return (ParamShape::Scalar, false),
            }
        }
        (ParamShape::Scalar, false)
    }

    fn is_scalar(&self, ty: &Type) -> bool {
        matches!(self.param_shape(ty).0, ParamShape::Scalar)
    }
}

/// Marks the forms written the same way wherever their named type is a form (`None` in the
/// map: two ways), which the models crate then describes once.
fn mark_forms_of_types(operations: &mut [Operation]) {
    fn forms(op: &mut Operation) -> Vec<&mut Content> {
        let bodies = op.body.iter_mut().flat_map(|b| b.content.iter_mut());
        let responses = op.responses.iter_mut().flat_map(|r| r.content.iter_mut());
        bodies.chain(responses).filter(|c| form_media(&c.media_type) && !c.form.is_empty()).collect()
    }
    let mut ways: BTreeMap<RustIdent, Option<Vec<FormProperty>>> = BTreeMap::new();
    for op in operations.iter_mut() {
        for content in forms(op) {
            if let Some(Type::Named(name)) = &content.ty {
                let way = ways.entry(name.clone()).or_insert_with(|| Some(content.form.clone()));
                if way.as_ref().is_some_and(|form| *form != content.form) {
                    *way = None;
                }
            }
        }
    }
    for op in operations.iter_mut() {
        for content in forms(op) {
            content.form_of_type =
                matches!(&content.ty, Some(Type::Named(name)) if ways.get(name).is_some_and(Option::is_some));
        }
    }
}
