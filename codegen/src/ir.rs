//! The intermediate representation: a small, typed description of an API with every name
//! already a valid, unique Rust name. Emitters see only this, never the OpenAPI document.

use serde_json::Value;

use crate::naming::RustIdent;

#[derive(Debug)]
pub struct Ir {
    pub title: String,
    /// `info.version`, as written.
    pub version: String,
    /// The generated crates' version: a setting, or `info.version` as semver.
    pub crate_version: String,
    pub description: Option<String>,
    /// Sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// In document order (paths, then methods in the order OpenAPI lists them).
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
}

impl Ir {
    /// The schema most error responses use: the body of the errors the router answers itself
    /// (any JSON value when no error response has a named type).
    pub fn error_body(&self) -> Type {
        let mut counts: std::collections::BTreeMap<RustIdent, (usize, Type)> = std::collections::BTreeMap::new();
        for response in self.operations.iter().flat_map(|op| &op.responses).filter(|r| r.is_error()) {
            if let Some(Type::Named(name)) = response.body_type() {
                counts.entry(name.clone()).or_insert((0, Type::Named(name))).0 += 1;
            }
        }
        counts.into_values().max_by_key(|(count, _)| *count).map(|(_, ty)| ty).unwrap_or(Type::Any)
    }
}

/// A named type of the generated models.
#[derive(Debug)]
pub struct TypeDef {
    pub name: RustIdent,
    /// Where it comes from, e.g. `#/components/schemas/User`.
    pub pointer: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// The request view of a component split by `readOnly`/`writeOnly` (`NameRequest`).
    pub request_view: bool,
}

#[derive(Debug)]
pub enum TypeKind {
    Struct(Struct),
    /// A closed set of strings.
    Enum(Enum),
    Union(Union),
    /// A named array, map or primitive: `pub type Name = Type;`.
    Alias(Type),
    /// Like `Alias`, but a distinct type: needed where an alias would be recursive.
    Newtype(Type),
}

/// The type of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    String,
    /// `format: email`: a syntactically valid address, checked when parsed.
    Email,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date` (`YYYY-MM-DD`).
    Date,
    /// `format: uuid` (`uuid::Uuid`, checked when parsed).
    Uuid,
    /// `format: byte`: bytes as base64 text (the runtime's `Base64`).
    Bytes,
    /// `format: binary`: a file of a multipart body (the runtime's `File`: bytes, file name,
    /// media type).
    File,
    Integer(IntegerWidth),
    Float(FloatWidth),
    Boolean,
    /// No constraint at all: any JSON value.
    Any,
    /// An object with arbitrary keys and values.
    FreeObject,
    Array(Box<Type>),
    /// An object whose values all have one type.
    Map(Box<Type>),
    Named(RustIdent),
    /// A user type from the settings' `[types]` (a Rust type path, checked when read).
    Custom(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegerWidth {
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatWidth {
    F32,
    F64,
}

/// Checks on a value beyond its type, enforced by generated validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    /// An array's `items` constraints, when the items are strings or numbers (named types check
    /// their own).
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub unknown_fields: UnknownFields,
    /// `dependentRequired` (JSON Schema 2020-12): when the property is present, so must these
    /// be. Wire names, each naming a field.
    pub dependent_required: Vec<(String, Vec<String>)>,
}

/// What an object does with properties it does not declare.
#[derive(Debug, PartialEq)]
pub enum UnknownFields {
    /// `additionalProperties` absent or `true`: accepted and dropped.
    Ignore,
    /// `additionalProperties: false`: rejected.
    Deny,
    /// `additionalProperties: <schema>`: kept in a map of that type.
    Collect(Type),
}

#[derive(Debug)]
pub struct Field {
    pub wire_name: String,
    pub name: RustIdent,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
    /// Boxed to break a cycle of types that contain each other.
    pub boxed: bool,
    pub doc: Option<String>,
    pub default: Option<Value>,
    pub constraints: Constraints,
}

/// How a field is represented, from `required` and `nullable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, serialised as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, skipped when `None`; `null` is rejected.
    Optional,
    /// Absent, null and a value are three different things: `Nullable<T>`.
    OptionalNullable,
}

impl Field {
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

#[derive(Debug)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Index of the variant named by the schema's `default`.
    pub default: Option<usize>,
}

#[derive(Debug)]
pub struct EnumVariant {
    pub wire_name: String,
    pub name: RustIdent,
    /// The value's own description, where a union of one-value enums documented each.
    pub doc: Option<String>,
}

#[derive(Debug)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug)]
pub struct UnionVariant {
    pub name: RustIdent,
    /// `None`: the variant is its tag alone (an object of a tagged union with no other
    /// property), a unit variant.
    pub ty: Option<Type>,
    /// A unit variant's description (other variants' types carry their own).
    pub doc: Option<String>,
    /// Boxed to break a cycle of types that contain each other.
    pub boxed: bool,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
}

#[derive(Debug)]
pub struct Discriminator {
    pub property: String,
    /// Whether every variant's own type declares the property (then it stays in the payload).
    pub in_variants: bool,
}

#[derive(Debug)]
pub struct Operation {
    /// `operationId`, or one made from the method and path.
    pub id: String,
    /// Method name (`snake_case`).
    pub name: RustIdent,
    /// Names of the operation's own types, claimed in the same namespace as the schemas.
    pub types: OperationTypes,
    pub pointer: String,
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    /// The `x-codegen.method` vendor extension: the short client method name.
    pub client_method: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Alternatives; each alternative names schemes that must all be satisfied. Empty: public.
    pub security: Vec<Vec<Requirement>>,
    /// Who may call, from `security`.
    pub access: Access,
}

/// Who may call an operation, which decides how its handler receives the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No security requirement: no caller.
    Public,
    /// Some alternative must be met: the caller.
    Required,
    /// One alternative is `{}`: the caller when some other one is met.
    Optional,
}

impl Access {
    pub fn of(security: &[Vec<Requirement>]) -> Access {
        if security.is_empty() {
            Access::Public
        } else if security.iter().any(Vec::is_empty) {
            Access::Optional
        } else {
            Access::Required
        }
    }
}

/// One scheme of a security alternative, with the scopes it asks for (OAuth2, OpenID Connect;
/// OpenAPI 3.1 also allows role names for other schemes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub scheme: String,
    pub scopes: Vec<String>,
}

#[derive(Debug)]
pub struct OperationTypes {
    /// `<Op>Response`: one variant per documented status.
    pub response: RustIdent,
    /// `<Op>Path`, `<Op>Query`, `<Op>Headers`: one struct per parameter location in use.
    pub path: Option<RustIdent>,
    pub query: Option<RustIdent>,
    pub headers: Option<RustIdent>,
    /// `<Op>Cookies`.
    pub cookies: Option<RustIdent>,
    /// `<Op>Request`: everything the handler receives (server side).
    pub request: RustIdent,
}

impl Operation {
    /// The body type this operation documents for a status: that of its exact code, else of
    /// its range (`4XX`), else of `default`.
    pub fn documented_body(&self, code: u16) -> Option<Type> {
        let find = |status: Status| self.responses.iter().find(|r| r.status == status);
        find(Status::Code(code))
            .or_else(|| find(Status::Range(code / 100)))
            .or_else(|| find(Status::Default))
            .and_then(Response::body_type)
    }

    /// The path parameters in the order the template names them (how the client takes them).
    pub fn path_params_in_order(&self) -> Vec<&Param> {
        let mut out = Vec::new();
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..]; // ok: `{` is one byte
            let Some(end) = after.find('}') else { break };
            let name = &after[..end]; // ok: `find` returns a char boundary
            out.extend(self.params.iter().find(|p| p.location == ParamLocation::Path && p.field.wire_name == name));
            rest = &after[end + 1..]; // ok: `}` is one byte
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter: a field of its operation's struct for its location (`<Op>Query`, …), and how
/// it travels.
#[derive(Debug)]
pub struct Param {
    /// The field: wire and Rust names, type, presence, docs, `default` and constraints. A
    /// parameter is never `null` and never boxed.
    pub field: Field,
    pub location: ParamLocation,
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    /// `x-codegen: {brackets: true}`: an exploded form array also read from `name[]` / `name[N]`.
    pub brackets: bool,
    /// How the value is taken apart on the wire; known once every type is lowered.
    pub shape: ParamShape,
}

/// OpenAPI's parameter serialisation styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

impl ParamStyle {
    /// The style a location uses when the parameter names none.
    pub fn default_for(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        }
    }
}

/// What kind of value a parameter (or response header) holds, as its style sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamShape {
    Scalar,
    Array,
    /// An object with these properties (wire names, declared order).
    Object(Vec<String>),
    /// An object with any properties.
    Map,
    /// `content: application/json`: the value's JSON text.
    Json,
}

#[derive(Debug)]
pub struct Body {
    pub required: bool,
    pub content: Vec<Content>,
}

#[derive(Debug)]
pub struct Content {
    pub media_type: String,
    /// `None` when the media type has no schema.
    pub ty: Option<Type>,
    /// A form body (`application/x-www-form-urlencoded` with an object schema): how each
    /// property is written, from the media type's `encoding` (else `form`, exploded). Known
    /// once every type is lowered.
    pub form: Vec<FormProperty>,
    /// The form is how its named type is written wherever it is a form, so the models crate
    /// describes it once (`impl rt::Form`) and both sides refer to that.
    pub form_of_type: bool,
    /// The `encoding` entries of a form body, as written: property, style, explode,
    /// allowReserved.
    pub encoding: Vec<(String, ParamStyle, bool, bool)>,
    /// A multipart body (`multipart/form-data` with an object schema): how each property
    /// travels. Known once every type is lowered.
    pub parts: Vec<MultipartPart>,
    /// The `encoding` entries of a multipart body that name a `contentType`.
    pub part_types: Vec<(String, String)>,
    /// The media type's examples in document order: each of `examples` by name (external
    /// values left out), then `example` (no name), then the schema's own `example`.
    pub examples: Vec<Example>,
}

/// One example value of a body.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The key under `examples`; `None` for `example`.
    pub name: Option<String>,
    pub value: Value,
}

/// How one property of a form body is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormProperty {
    pub wire_name: String,
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    pub shape: ParamShape,
}

impl Content {
    /// Whether the media type is JSON (`application/json`, `*+json`, or a wildcard).
    pub fn is_json(&self) -> bool {
        let essence = self.media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*"
    }
}

/// How a body of some media type is carried in generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// Typed from its schema, as JSON.
    Json,
    /// A `String`: `text/*`, XML, YAML, multipart without a schema (and in responses), forms
    /// without a schema.
    Text,
    /// `Vec<u8>`, as sent: `application/octet-stream`, images, archives, any other media type.
    Binary,
    /// `application/x-www-form-urlencoded` with a schema: typed from it, each property written
    /// in its style.
    Form,
    /// `multipart/form-data` with a schema (request bodies): typed from it, each property one
    /// part (or one per item), files as the runtime's `File`.
    Multipart,
}

/// How one property of a multipart body travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartPart {
    pub wire_name: String,
    pub kind: PartKind,
    /// An array: one part per item.
    pub array: bool,
    /// `encoding.<property>.contentType`.
    pub content_type: Option<String>,
}

/// What the parts of a multipart property hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    Text,
    Json,
    File,
}

/// Whether a media type is `multipart/form-data`.
pub fn multipart_media(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("multipart/form-data")
}

/// Whether a media type is `application/x-www-form-urlencoded`.
pub fn form_media(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// What value a body is: a type from the schema (any JSON value for JSON without one), text or
/// bytes. Each side spells text and bytes its own way: the client borrows what it sends
/// (`&str`, `&[u8]`), the server and the response enums own theirs (`String`, `Vec<u8>`).
#[derive(Clone, Debug, PartialEq)]
pub enum BodyValue {
    Typed(Type),
    Text,
    Bytes,
}

impl Content {
    /// What value this body is. A form or multipart body without a schema is its text.
    pub fn value(&self) -> BodyValue {
        match (self.kind(), &self.ty) {
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => BodyValue::Typed(ty.clone()),
            (BodyKind::Json, None) => BodyValue::Typed(Type::Any),
            (BodyKind::Text | BodyKind::Form | BodyKind::Multipart, _) => BodyValue::Text,
            (BodyKind::Binary, _) => BodyValue::Bytes,
        }
    }

    /// How this body is carried. Unknown media types are bytes: that loses nothing, where text
    /// would refuse what is not UTF-8.
    pub fn kind(&self) -> BodyKind {
        if self.is_json() {
            return BodyKind::Json;
        }
        if self.ty.is_some() && form_media(&self.media_type) {
            return BodyKind::Form;
        }
        if self.ty.is_some() && multipart_media(&self.media_type) {
            return BodyKind::Multipart;
        }
        let essence = self.media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let textual = essence.starts_with("text/")
            || essence.starts_with("multipart/")
            || essence.ends_with("+xml")
            || essence.ends_with("+yaml")
            || matches!(
                essence.as_str(),
                "application/xml"
                    | "application/yaml"
                    | "application/x-yaml"
                    | "application/x-www-form-urlencoded"
                    | "application/javascript"
                    | "application/graphql"
                    | "application/sql"
                    | "application/x-ndjson"
                    | "application/jsonl"
                    | "application/json-seq"
            );
        if textual { BodyKind::Text } else { BodyKind::Binary }
    }
}

/// The media type a generated body uses: the first JSON one, else the first.
pub fn primary_content(content: &[Content]) -> Option<&Content> {
    content.iter().find(|c| c.is_json()).or_else(|| content.first())
}

/// The form a request body may also be sent as: documented beside a JSON primary with the same
/// type, it is the same value written as `name=value` pairs, and the server reads either by
/// `Content-Type`.
pub fn alternate_form(content: &[Content]) -> Option<&Content> {
    let primary = primary_content(content).filter(|c| c.is_json() && c.ty.is_some())?;
    content.iter().find(|c| c.kind() == BodyKind::Form && c.ty == primary.ty)
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u16),
    Default,
}

impl Status {
    /// The variant name of a response enum for this status.
    pub fn variant_name(&self) -> String {
        match self {
            Status::Code(code) => match reason(*code) {
                Some(reason) => reason.to_owned(),
                None => format!("Status{code}"),
            },
            Status::Range(digit) => format!("Status{digit}xx"),
            Status::Default => "Default".to_owned(),
        }
    }
}

/// The reason phrase of a status code, as an identifier.
fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        _ => return None,
    })
}

#[derive(Debug)]
pub struct Response {
    pub status: Status,
    pub description: String,
    pub content: Vec<Content>,
    pub headers: Vec<ResponseHeader>,
    /// `<Op><Status>Headers`, when the response documents headers.
    pub headers_type: Option<RustIdent>,
}

impl Response {
    /// The Rust type of the body, `None` for an empty one: the primary content's schema type
    /// (any JSON value without one), text as `String`, bytes as `Vec<u8>`.
    pub fn body_type(&self) -> Option<Type> {
        Some(match primary_content(&self.content)?.value() {
            BodyValue::Typed(ty) => ty,
            BodyValue::Text => Type::String,
            BodyValue::Bytes => Type::Custom("::std::vec::Vec<u8>".to_owned()),
        })
    }

    /// Whether the status is an error's (4xx, 5xx, or `default`).
    pub fn is_error(&self) -> bool {
        match self.status {
            Status::Code(code) => code >= 400,
            Status::Range(digit) => digit >= 4,
            Status::Default => true,
        }
    }
}

/// A documented response header: a field of the response's headers struct, and how it travels.
#[derive(Debug)]
pub struct ResponseHeader {
    /// The field (never `null`, boxed, defaulted or constrained).
    pub field: Field,
    pub explode: bool,
    pub shape: ParamShape,
    /// The header's `example` (or its first `examples` value).
    pub example: Option<Value>,
}

#[derive(Debug)]
pub struct SecurityScheme {
    pub name: String,
    /// Its variant in the server's `Credential` and the client's `Scheme`, unique per API.
    pub variant: RustIdent,
    /// Its setter on the client builder (`set_` + it on the client), unique per API and apart
    /// from the builder's own methods.
    pub setter: RustIdent,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug)]
pub enum SecurityKind {
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    /// The flows, for the self-description (the server only sees the bearer token).
    OAuth2 {
        flows: Vec<OAuthFlow>,
    },
    OpenIdConnect {
        url: String,
    },
}

impl SecurityKind {
    /// Whether requirements name scopes for this kind of scheme, which `authenticate` then
    /// receives with the credential.
    pub fn has_scopes(&self) -> bool {
        matches!(self, SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. })
    }
}

/// One OAuth 2 flow of a scheme, as the spec declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthFlow {
    pub kind: OAuthFlowKind,
    /// Empty where the flow has none (the password and client credentials flows).
    pub authorization_url: String,
    /// Empty where the flow has none (the implicit flow).
    pub token_url: String,
    pub refresh_url: Option<String>,
    /// Scope → description, in document order.
    pub scopes: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthFlowKind {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
}

/// Whether `pattern` compiles with the engine the generated code uses. An ECMA-262 construct it
/// lacks (look-around, backreferences) means the check is left out, with a warning upstream.
pub fn pattern_supported(pattern: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok()
}
