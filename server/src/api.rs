//! The generated traits implemented with real behaviour. Each method reads like the spec's
//! description of its operation; the choices where this server departs from Medusa v1 are the
//! spec's ("Departures from Medusa v1") and are not repeated here.

use admin_api_server::models::support::{Email, Nullable};
use admin_api_server::models::{self as m};
use admin_api_server::{
    ApiBase, AuthApi, Credential, InvitesApi, Problem, ProblemKind, RequestMeta, Unavailable, UsersApi,
};
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{Map, Value};

use crate::App;
use crate::secrets;
use crate::store::{InviteRow, StoreError, UserQuery, UserRow};

/// Who is calling, and through which credential (logout needs the session).
#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: String,
    pub session: Option<String>,
}

fn error(kind: m::ErrorType, code: Option<m::ErrorCode>, message: impl Into<String>) -> m::Error {
    m::Error { r#type: kind, message: message.into(), code }
}

fn invalid(message: impl Into<String>) -> m::Error {
    error(m::ErrorType::InvalidData, None, message)
}

fn not_found(message: impl Into<String>) -> m::Error {
    error(m::ErrorType::NotFound, None, message)
}

fn conflict(message: impl Into<String>) -> m::Error {
    error(m::ErrorType::Conflict, Some(m::ErrorCode::InvalidStateError), message)
}

fn unauthorized(message: impl Into<String>) -> m::Error {
    error(m::ErrorType::Unauthorized, None, message)
}

/// The 500 body: generic on purpose; the details go to the log, not to the caller.
fn internal(what: &str, cause: &dyn std::fmt::Display) -> m::Error {
    tracing::error!(%cause, "{what} failed");
    error(m::ErrorType::DatabaseError, Some(m::ErrorCode::ApiError), "An error occurred while accessing the database")
}

/// Runs a fallible step; on failure returns the operation's 500 variant.
macro_rules! attempt {
    ($what:expr, $step:expr, $response:path) => {
        match $step {
            Ok(value) => value,
            Err(cause) => return $response(internal($what, &cause)),
        }
    };
}

fn role_text(role: m::UserRole) -> String {
    role.as_str().to_owned()
}

fn role_from(text: &str) -> m::UserRole {
    m::UserRole::ALL.iter().copied().find(|r| r.as_str() == text).unwrap_or_default()
}

fn user_body(user: &UserRow) -> Result<m::User, StoreError> {
    Ok(m::User {
        id: user.id.clone(),
        email: Email::parse(user.email.clone()).map_err(|_| StoreError::Corrupt(format!("email of {}", user.id)))?,
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        role: role_from(&user.role),
        metadata: user.metadata.clone(),
        created_at: user.created_at,
        updated_at: user.updated_at,
        deleted_at: None,
    })
}

fn invite_body(invite: &InviteRow) -> Result<m::Invite, StoreError> {
    Ok(m::Invite {
        id: invite.id.clone(),
        user_email: Email::parse(invite.user_email.clone())
            .map_err(|_| StoreError::Corrupt(format!("email of {}", invite.id)))?,
        role: role_from(&invite.role),
        accepted: false,
        expires_at: invite.expires_at,
        metadata: invite.metadata.clone(),
        created_at: invite.created_at,
        updated_at: invite.updated_at,
        deleted_at: None,
    })
}

/// The current time at the precision the store keeps (milliseconds), so a response written
/// now reads the same as the row read back later.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new())
}

/// The client's address as limit keys name it.
fn client_address(meta: &RequestMeta) -> String {
    meta.remote_addr.map(|addr| addr.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// Seconds until a limit window that began at `started` ends (at least one).
fn retry_after(started: DateTime<Utc>, window: chrono::Duration, now: DateTime<Utc>) -> i64 {
    (started + window - now).num_seconds().max(1)
}

/// The 429 body of a rate-limited public operation.
fn rate_limited(seconds: i64) -> m::Error {
    error(m::ErrorType::TooManyRequests, None, format!("Too many requests. Retry in {seconds} seconds."))
}

/// Why a login was refused.
enum LoginRefusal {
    Limited(i64),
    Wrong,
    Failed(String),
}

impl App {
    /// Checks email and password under the login limits.
    ///
    /// Each attempt is counted before the password is checked, in one statement per key
    /// (`Store::reserve_attempt`), so parallel guesses cannot pass the limit; an attempt that
    /// succeeds is given back. The keys are the account *from this address* and the address
    /// alone: a guesser locks out only itself, and the real user, from anywhere else, can still
    /// log in (see the spec's description of `POST /admin/auth`).
    async fn login(&self, email: &Email, password: &str, meta: &RequestMeta) -> Result<UserRow, LoginRefusal> {
        let email = email.as_str().to_lowercase();
        let now = now();
        let window = self.config.login_window;
        let since = now - window;
        let address = client_address(meta);
        let keys = [
            (format!("account:{email}|address:{address}"), self.config.login_limit_per_account),
            (format!("address:{address}"), self.config.login_limit_per_address),
        ];
        let mut reserved: Vec<&str> = Vec::new();
        let mut refusal = None;
        for (key, limit) in &keys {
            match self.store.reserve_attempt(key, now, since).await {
                Ok((count, started)) => {
                    reserved.push(key);
                    if count > *limit {
                        refusal = Some(LoginRefusal::Limited(retry_after(started, window, now)));
                        break;
                    }
                }
                Err(e) => {
                    refusal = Some(LoginRefusal::Failed(e.to_string()));
                    break;
                }
            }
        }
        let outcome = match refusal {
            Some(refusal) => Err(refusal),
            None => self.check_password(&email, password).await,
        };
        // Only wrong passwords (and refusals over the limit) stay counted; a success also
        // forgets this account's earlier failures from this address.
        if outcome.is_ok()
            && let Err(e) = self.store.clear_attempts(&keys[0].0).await
        {
            tracing::warn!(error = %e, "earlier login failures could not be forgotten");
        }
        if !matches!(outcome, Err(LoginRefusal::Wrong | LoginRefusal::Limited(_))) {
            for key in reserved {
                if let Err(e) = self.store.release_attempt(key).await {
                    tracing::warn!(error = %e, "a login attempt could not be given back");
                }
            }
        }
        outcome
    }

    async fn check_password(&self, email: &str, password: &str) -> Result<UserRow, LoginRefusal> {
        let user = self.store.user_by_email(email).await.map_err(|e| LoginRefusal::Failed(e.to_string()))?;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let verified = self.verify_password(password, hash).await.map_err(|e| LoginRefusal::Failed(e.to_string()))?;
        match user {
            Some(user) if verified => Ok(user),
            _ => Err(LoginRefusal::Wrong),
        }
    }

    /// Counts one request of a public operation that costs (a hash, a row) against each key
    /// and its limit, in the login window; the seconds to wait when one is over. Counted
    /// before the work, in one statement per key, like login attempts.
    async fn over_public_limit(&self, keys: &[(String, i64)]) -> Result<Option<i64>, StoreError> {
        let now = now();
        let window = self.config.login_window;
        for (key, limit) in keys {
            let (count, started) = self.store.reserve_attempt(key, now, now - window).await?;
            if count > *limit {
                return Ok(Some(retry_after(started, window, now)));
            }
        }
        Ok(None)
    }

    /// The per-address key of a public operation.
    fn address_key(&self, operation: &str, meta: &RequestMeta) -> (String, i64) {
        (format!("{operation}:address:{}", client_address(meta)), self.config.public_limit_per_address)
    }

    fn session_cookie(&self, token: &str) -> String {
        let secure = if self.config.production { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            crate::SESSION_COOKIE,
            self.config.session_ttl.num_seconds()
        )
    }
}

impl ApiBase for App {
    type Principal = Principal;

    async fn authenticate(
        &self,
        credential: Credential,
        _meta: &RequestMeta,
    ) -> Result<Option<Principal>, Unavailable> {
        let now = now();
        let found = match &credential {
            Credential::ApiToken(token) => {
                self.store.user_by_api_token(&secrets::hash_token(token)).await.map(|u| u.map(|u| (u.id, None)))
            }
            Credential::CookieAuth(token) => {
                let hash = secrets::hash_token(token);
                self.store.session_user(&hash, now).await.map(|u| u.map(|u| (u.id, Some(hash))))
            }
            Credential::JwtToken(token) => match secrets::verify_jwt(token, &self.config.jwt_secret) {
                // The user must still exist (deleting a user ends their tokens too), and the
                // token must be of the current credential generation (a password reset ends
                // every JWT issued before it).
                Some((user_id, generation)) => self
                    .store
                    .credential_generation(&user_id)
                    .await
                    .map(|current| (current == Some(generation)).then_some((user_id, None))),
                None => Ok(None),
            },
        };
        match found {
            Ok(found) => Ok(found.map(|(user_id, session)| Principal { user_id, session })),
            // 503, not 401: the credential may well be valid, and a client told 401 drops it.
            Err(e) => {
                tracing::error!(error = %e, "authentication lookup failed");
                Err(Unavailable)
            }
        }
    }

    fn error_body(&self, problem: &Problem) -> m::Error {
        match problem.kind {
            ProblemKind::InvalidRequest | ProblemKind::PayloadTooLarge => invalid(&problem.message),
            ProblemKind::Unauthorized => unauthorized("User is not authorized. Must log in first"),
            ProblemKind::NotFound => not_found(&problem.message),
            ProblemKind::MethodNotAllowed => error(m::ErrorType::NotAllowed, None, &problem.message),
            ProblemKind::Unavailable => {
                error(m::ErrorType::DatabaseError, None, "Credentials cannot be checked right now")
            }
        }
    }
}

impl AuthApi for App {
    async fn get_auth(&self, principal: Principal, _meta: &RequestMeta) -> m::GetAuthResponse {
        let user =
            attempt!("GetAuth", self.store.user(&principal.user_id).await, m::GetAuthResponse::InternalServerError);
        match user {
            Some(user) => m::GetAuthResponse::Ok(m::AdminAuthRes {
                user: attempt!("GetAuth", user_body(&user), m::GetAuthResponse::InternalServerError),
            }),
            None => m::GetAuthResponse::Unauthorized(unauthorized("User is not authorized. Must log in first")),
        }
    }

    async fn post_auth(&self, meta: &RequestMeta, request: admin_api_server::PostAuthRequest) -> m::PostAuthResponse {
        let user = match self.login(&request.body.email, &request.body.password, meta).await {
            Ok(user) => user,
            Err(LoginRefusal::Limited(seconds)) => {
                let message = format!("Too many failed login attempts. Retry in {seconds} seconds.");
                let headers = m::RetryAfterHeaders { retry_after: Some(seconds) };
                return m::PostAuthResponse::TooManyRequests(
                    error(m::ErrorType::TooManyRequests, None, message),
                    headers,
                );
            }
            Err(LoginRefusal::Wrong) => {
                return m::PostAuthResponse::Unauthorized(unauthorized("User does not exist or incorrect credentials"));
            }
            Err(LoginRefusal::Failed(cause)) => {
                return m::PostAuthResponse::InternalServerError(internal("PostAuth", &cause));
            }
        };
        let token = attempt!("PostAuth", secrets::new_token(), m::PostAuthResponse::InternalServerError);
        let expires = now() + self.config.session_ttl;
        attempt!(
            "PostAuth",
            self.store.insert_session(&secrets::hash_token(&token), &user.id, expires).await,
            m::PostAuthResponse::InternalServerError
        );
        let body =
            m::AdminAuthRes { user: attempt!("PostAuth", user_body(&user), m::PostAuthResponse::InternalServerError) };
        m::PostAuthResponse::Ok(body, m::PostAuthOkHeaders { set_cookie: Some(self.session_cookie(&token)) })
    }

    async fn delete_auth(&self, principal: Principal, meta: &RequestMeta) -> m::DeleteAuthResponse {
        // The request may have been authenticated by an API token or a JWT sent along with the
        // session cookie: the session still ends (when it is the same user's).
        let cookie = session_cookie_in(meta).map(|token| secrets::hash_token(&token));
        let Some(session) = principal.session.or(cookie) else {
            // API tokens and JWTs are not sessions: nothing to end.
            return m::DeleteAuthResponse::Ok("OK".into(), m::DeleteAuthOkHeaders::default());
        };
        attempt!(
            "DeleteAuth",
            self.store.delete_session_of(&session, &principal.user_id).await,
            m::DeleteAuthResponse::InternalServerError
        );
        let expired = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", crate::SESSION_COOKIE);
        m::DeleteAuthResponse::Ok("OK".into(), m::DeleteAuthOkHeaders { set_cookie: Some(expired) })
    }

    async fn post_token(
        &self,
        meta: &RequestMeta,
        request: admin_api_server::PostTokenRequest,
    ) -> m::PostTokenResponse {
        let user = match self.login(&request.body.email, &request.body.password, meta).await {
            Ok(user) => user,
            Err(LoginRefusal::Limited(seconds)) => {
                let message = format!("Too many failed login attempts. Retry in {seconds} seconds.");
                let headers = m::RetryAfterHeaders { retry_after: Some(seconds) };
                return m::PostTokenResponse::TooManyRequests(
                    error(m::ErrorType::TooManyRequests, None, message),
                    headers,
                );
            }
            Err(LoginRefusal::Wrong) => {
                return m::PostTokenResponse::Unauthorized(unauthorized(
                    "User does not exist or incorrect credentials",
                ));
            }
            Err(LoginRefusal::Failed(cause)) => {
                return m::PostTokenResponse::InternalServerError(internal("PostToken", &cause));
            }
        };
        let generation = attempt!(
            "PostToken",
            self.store.credential_generation(&user.id).await,
            m::PostTokenResponse::InternalServerError
        )
        .unwrap_or_default();
        let token = attempt!(
            "PostToken",
            secrets::issue_jwt(&user.id, generation, &self.config.jwt_secret, self.config.jwt_ttl),
            m::PostTokenResponse::InternalServerError
        );
        m::PostTokenResponse::Ok(m::AdminBearerAuthRes { access_token: token })
    }
}

impl InvitesApi for App {
    async fn get_invites(&self, _principal: Principal, _meta: &RequestMeta) -> m::GetInvitesResponse {
        let invites = attempt!("GetInvites", self.store.invites().await, m::GetInvitesResponse::InternalServerError);
        let invites = attempt!(
            "GetInvites",
            invites.iter().map(invite_body).collect::<Result<Vec<_>, _>>(),
            m::GetInvitesResponse::InternalServerError
        );
        m::GetInvitesResponse::Ok(m::AdminListInvitesRes { invites })
    }

    async fn post_invites(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::PostInvitesRequest,
    ) -> m::PostInvitesResponse {
        let email = request.body.user.as_str().to_lowercase();
        let existing = attempt!(
            "PostInvites",
            self.store.user_by_email(&email).await,
            m::PostInvitesResponse::InternalServerError
        );
        if existing.is_some() {
            return m::PostInvitesResponse::Conflict(conflict(format!("A user with the email {email} already exists")));
        }
        let token = attempt!("PostInvites", secrets::new_token(), m::PostInvitesResponse::InternalServerError);
        let now = now();
        let invite = InviteRow {
            id: new_id("invite"),
            user_email: email.clone(),
            role: role_text(request.body.role),
            expires_at: now + self.config.invite_ttl,
            metadata: None,
            created_at: now,
            updated_at: now,
        };
        attempt!(
            "PostInvites",
            self.store.upsert_invite(&invite, &secrets::hash_token(&token)).await,
            m::PostInvitesResponse::InternalServerError
        );
        self.notifier.invite(&email, &token);
        m::PostInvitesResponse::Ok("OK".into())
    }

    async fn post_invites_invite_accept(
        &self,
        meta: &RequestMeta,
        request: admin_api_server::PostInvitesInviteAcceptRequest,
    ) -> m::PostInvitesInviteAcceptResponse {
        use m::PostInvitesInviteAcceptResponse as R;
        let keys = [self.address_key("accept-invite", meta)];
        if let Some(seconds) = attempt!("AcceptInvite", self.over_public_limit(&keys).await, R::InternalServerError) {
            return R::TooManyRequests(rate_limited(seconds), m::RetryAfterHeaders { retry_after: Some(seconds) });
        }
        let body = request.body;
        let invite = attempt!(
            "AcceptInvite",
            self.store.invite_by_token(&secrets::hash_token(&body.token)).await,
            R::InternalServerError
        );
        let Some(invite) = invite else {
            return R::BadRequest(invalid("Invalid invite token"));
        };
        let now = now();
        if invite.expires_at <= now {
            return R::BadRequest(invalid("The invite has expired"));
        }
        let password_hash =
            attempt!("AcceptInvite", self.hash_password(&body.user.password).await, R::InternalServerError);
        let user = UserRow {
            id: new_id("usr"),
            email: invite.user_email.clone(),
            first_name: body.user.first_name,
            last_name: body.user.last_name,
            role: invite.role.clone(),
            password_hash: Some(password_hash),
            metadata: None,
            created_at: now,
            updated_at: now,
        };
        match self.store.accept_invite(&invite.id, &user).await {
            Ok(true) => R::Ok("OK".into()),
            Ok(false) => R::BadRequest(invalid("Invalid invite token")),
            Err(StoreError::Conflict) => {
                R::Conflict(conflict(format!("A user with the email {} already exists", user.email)))
            }
            Err(cause) => R::InternalServerError(internal("AcceptInvite", &cause)),
        }
    }

    async fn delete_invites_invite(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::DeleteInvitesInviteRequest,
    ) -> m::DeleteInvitesInviteResponse {
        let id = request.path.invite_id;
        match self.store.delete_invite(&id).await {
            Ok(true) => m::DeleteInvitesInviteResponse::Ok(m::AdminInviteDeleteRes {
                id,
                object: m::AdminInviteDeleteResObject::Invite,
                deleted: true,
            }),
            Ok(false) => {
                m::DeleteInvitesInviteResponse::NotFound(not_found(format!("Invite with id {id} was not found")))
            }
            Err(cause) => m::DeleteInvitesInviteResponse::InternalServerError(internal("DeleteInvite", &cause)),
        }
    }

    async fn post_invites_invite_resend(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::PostInvitesInviteResendRequest,
    ) -> m::PostInvitesInviteResendResponse {
        use m::PostInvitesInviteResendResponse as R;
        let id = request.path.invite_id;
        let invite = attempt!("ResendInvite", self.store.invite(&id).await, R::InternalServerError);
        let Some(invite) = invite else {
            return R::NotFound(not_found(format!("Invite with id {id} was not found")));
        };
        let token = attempt!("ResendInvite", secrets::new_token(), R::InternalServerError);
        let now = now();
        let renewed = attempt!(
            "ResendInvite",
            self.store.renew_invite(&id, &secrets::hash_token(&token), now + self.config.invite_ttl, now).await,
            R::InternalServerError
        );
        if !renewed {
            return R::NotFound(not_found(format!("Invite with id {id} was not found")));
        }
        self.notifier.invite(&invite.user_email, &token);
        R::Ok("OK".into())
    }
}

/// The most a user's stored metadata may take, as JSON (stated on `metadata` in the spec), so
/// no page of users grows without bound.
const METADATA_LIMIT: usize = 16 * 1024;

/// Applies an update's metadata to the stored metadata: `null` clears it; otherwise keys are
/// merged and a key whose value is the empty string is removed.
/// The session cookie's value, if the request carries one.
fn session_cookie_in(meta: &RequestMeta) -> Option<String> {
    let prefix = format!("{}=", crate::SESSION_COOKIE);
    meta.headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(prefix.as_str()).map(str::to_owned))
        .filter(|token| !token.is_empty())
}

fn merge_metadata(
    stored: Option<Map<String, Value>>,
    update: Nullable<Map<String, Value>>,
) -> Option<Map<String, Value>> {
    match update {
        Nullable::Absent => stored,
        Nullable::Null => None,
        Nullable::Value(changes) => {
            let mut merged = stored.unwrap_or_default();
            for (key, value) in changes {
                if value == Value::String(String::new()) {
                    merged.remove(&key);
                } else {
                    merged.insert(key, value);
                }
            }
            Some(merged)
        }
    }
}

impl UsersApi for App {
    async fn get_users(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::GetUsersRequest,
    ) -> m::GetUsersResponse {
        let query = request.query;
        let order = query.order.unwrap_or_default();
        let text = order.as_str();
        let (column, descending) = match text.strip_prefix('-') {
            Some(column) => (column, true),
            None => (text, false),
        };
        // Map the validated enum to a fixed column name; request text never reaches the SQL.
        let column = ["created_at", "updated_at", "email", "first_name", "last_name"]
            .into_iter()
            .find(|c| *c == column)
            .unwrap_or("created_at");
        let (offset, limit) = (query.offset.unwrap_or(0), query.limit.unwrap_or(50));
        let filters = UserQuery {
            q: query.q,
            email: query.email.map(|e| e.into_inner()),
            first_name: query.first_name,
            last_name: query.last_name,
            roles: query.role.unwrap_or_default().into_iter().map(role_text).collect(),
            ids: query.id.unwrap_or_default(),
            order: (column, descending),
            offset,
            limit,
        };
        let (users, count) =
            attempt!("GetUsers", self.store.list_users(&filters).await, m::GetUsersResponse::InternalServerError);
        let users = attempt!(
            "GetUsers",
            users.iter().map(user_body).collect::<Result<Vec<_>, _>>(),
            m::GetUsersResponse::InternalServerError
        );
        m::GetUsersResponse::Ok(m::AdminUsersListRes { users, count, offset, limit })
    }

    async fn post_users(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::PostUsersRequest,
    ) -> m::PostUsersResponse {
        let body = request.body;
        let email = body.email.as_str().to_lowercase();
        let password_hash =
            attempt!("PostUsers", self.hash_password(&body.password).await, m::PostUsersResponse::InternalServerError);
        let now = now();
        let user = UserRow {
            id: new_id("usr"),
            email: email.clone(),
            first_name: body.first_name,
            last_name: body.last_name,
            role: role_text(body.role.unwrap_or_default()),
            password_hash: Some(password_hash),
            metadata: None,
            created_at: now,
            updated_at: now,
        };
        match self.store.insert_user(&user).await {
            Ok(()) => m::PostUsersResponse::Ok(m::AdminUserRes {
                user: attempt!("PostUsers", user_body(&user), m::PostUsersResponse::InternalServerError),
            }),
            // The unique index decides, so concurrent creates cannot both win.
            Err(StoreError::Conflict) => m::PostUsersResponse::UnprocessableEntity(error(
                m::ErrorType::DuplicateError,
                Some(m::ErrorCode::InvalidRequestError),
                format!("User with email {email} already exists."),
            )),
            Err(cause) => m::PostUsersResponse::InternalServerError(internal("PostUsers", &cause)),
        }
    }

    async fn get_users_user(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::GetUsersUserRequest,
    ) -> m::GetUsersUserResponse {
        let id = request.path.id;
        match self.store.user(&id).await {
            Ok(Some(user)) => m::GetUsersUserResponse::Ok(m::AdminUserRes {
                user: attempt!("GetUser", user_body(&user), m::GetUsersUserResponse::InternalServerError),
            }),
            Ok(None) => m::GetUsersUserResponse::NotFound(not_found(format!("User with id {id} was not found"))),
            Err(cause) => m::GetUsersUserResponse::InternalServerError(internal("GetUser", &cause)),
        }
    }

    async fn post_users_user(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::PostUsersUserRequest,
    ) -> m::PostUsersUserResponse {
        use m::PostUsersUserResponse as R;
        let (id, body) = (request.path.id, request.body);
        // The token first: when it is refused, nothing else has changed.
        if let Some(token) = body.api_token.into_option() {
            if let Some(token) = &token
                && let Err(message) = crate::secrets::check_api_token(token)
            {
                return R::BadRequest(invalid(message));
            }
            let hash = token.as_deref().map(secrets::hash_token);
            match self.store.set_api_token(&id, hash.as_deref()).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => {
                    return R::BadRequest(invalid("This API token cannot be used; choose another"));
                }
                Err(cause) => return R::InternalServerError(internal("UpdateUser", &cause)),
            }
        }
        // Applied to the row as stored when the update runs, inside its transaction: parallel
        // updates (two metadata merges, first and last name) all take effect.
        let change = |user: &mut UserRow| {
            if let Some(first_name) = body.first_name.into_option() {
                user.first_name = first_name;
            }
            if let Some(last_name) = body.last_name.into_option() {
                user.last_name = last_name;
            }
            if let Some(role) = body.role {
                user.role = role_text(role);
            }
            let merged = merge_metadata(user.metadata.take(), body.metadata);
            let size = merged.as_ref().map_or(0, |m| serde_json::to_string(m).map_or(usize::MAX, |t| t.len()));
            if size > METADATA_LIMIT {
                return Err(format!("metadata must take at most {METADATA_LIMIT} bytes as JSON once merged"));
            }
            user.metadata = merged;
            user.updated_at = now();
            Ok(())
        };
        let user = match attempt!("UpdateUser", self.store.modify_user(&id, change).await, R::InternalServerError) {
            Some(Ok(user)) => user,
            Some(Err(message)) => return R::BadRequest(invalid(&message)),
            None => return R::NotFound(not_found(format!("User with id {id} was not found"))),
        };
        R::Ok(m::AdminUserRes { user: attempt!("UpdateUser", user_body(&user), R::InternalServerError) })
    }

    async fn delete_users_user(
        &self,
        _principal: Principal,
        _meta: &RequestMeta,
        request: admin_api_server::DeleteUsersUserRequest,
    ) -> m::DeleteUsersUserResponse {
        let id = request.path.id;
        match self.store.delete_user(&id, now()).await {
            Ok(true) => m::DeleteUsersUserResponse::Ok(m::AdminDeleteUserRes {
                id,
                object: m::AdminDeleteUserResObject::User,
                deleted: true,
            }),
            Ok(false) => m::DeleteUsersUserResponse::NotFound(not_found(format!("User with id {id} was not found"))),
            Err(cause) => m::DeleteUsersUserResponse::InternalServerError(internal("DeleteUser", &cause)),
        }
    }

    async fn post_users_user_password_token(
        &self,
        meta: &RequestMeta,
        request: admin_api_server::PostUsersUserPasswordTokenRequest,
    ) -> m::PostUsersUserPasswordTokenResponse {
        use m::PostUsersUserPasswordTokenResponse as R;
        let email = request.body.email.as_str().to_lowercase();
        // Per address, and per email whether or not it is registered (the answer must not
        // tell them apart), so nobody floods one mailbox or the reset table.
        let keys = [
            self.address_key("reset-request", meta),
            (format!("reset-request:email:{email}"), self.config.reset_requests_per_email),
        ];
        if let Some(seconds) = attempt!("PasswordToken", self.over_public_limit(&keys).await, R::InternalServerError) {
            return R::TooManyRequests(rate_limited(seconds), m::RetryAfterHeaders { retry_after: Some(seconds) });
        }
        // The answer, and the work behind it, are the same whether or not the email belongs to
        // a user: a token is made and stored either way (for an unknown email it names no user,
        // is never delivered and can never be used), so the time taken tells nothing either.
        let user = attempt!("PasswordToken", self.store.user_by_email(&email).await, R::InternalServerError);
        let token = attempt!("PasswordToken", secrets::new_token(), R::InternalServerError);
        let expires = now() + self.config.reset_ttl;
        // A decoy's owner is no user id (the hash of the email, not the email itself).
        let owner = user.as_ref().map_or_else(|| format!("nobody:{}", secrets::hash_token(&email)), |u| u.id.clone());
        attempt!(
            "PasswordToken",
            self.store.insert_reset(&secrets::hash_token(&token), &owner, expires).await,
            R::InternalServerError
        );
        if let Some(user) = &user {
            self.notifier.password_reset(&user.email, &token);
        }
        R::NoContent
    }

    async fn post_users_user_password(
        &self,
        meta: &RequestMeta,
        request: admin_api_server::PostUsersUserPasswordRequest,
    ) -> m::PostUsersUserPasswordResponse {
        use m::PostUsersUserPasswordResponse as R;
        let keys = [self.address_key("reset-password", meta)];
        if let Some(seconds) = attempt!("ResetPassword", self.over_public_limit(&keys).await, R::InternalServerError) {
            return R::TooManyRequests(rate_limited(seconds), m::RetryAfterHeaders { retry_after: Some(seconds) });
        }
        let body = request.body;
        let token_hash = secrets::hash_token(&body.token);
        // The token is checked before the password is hashed: an invalid token costs one
        // indexed lookup, not an Argon2 run. `use_reset` checks it again, atomically.
        if !attempt!("ResetPassword", self.store.reset_is_live(&token_hash, now()).await, R::InternalServerError) {
            return R::BadRequest(invalid("Invalid or expired password reset token"));
        }
        let password_hash = attempt!("ResetPassword", self.hash_password(&body.password).await, R::InternalServerError);
        let email = body.email.map(|e| e.as_str().to_lowercase());
        let used = self.store.use_reset(&token_hash, email.as_deref(), &password_hash, now()).await;
        match used {
            Ok(Some(user)) => {
                R::Ok(m::AdminUserRes { user: attempt!("ResetPassword", user_body(&user), R::InternalServerError) })
            }
            Ok(None) => R::BadRequest(invalid("Invalid or expired password reset token")),
            Err(cause) => R::InternalServerError(internal("ResetPassword", &cause)),
        }
    }
}
