//! A server team's application on the generated stubs: users kept in memory, one API token.
//! `cargo run -p server-team-example`, then `curl -H 'x-medusa-access-token: secret-token-123456'
//! http://127.0.0.1:9100/admin/users`. Validation, routing and security come from the stubs.

use std::sync::Mutex;

use admin_api_server::models::{self as m, support::Email};
use admin_api_server::{
    self as api, ApiBase, AuthApi, Credential, InvitesApi, Problem, RequestMeta as Meta, Unavailable, UsersApi,
};

#[derive(Default)]
struct InMemory {
    users: Mutex<Vec<m::User>>,
}

fn error(kind: m::ErrorType, message: &str) -> m::Error {
    m::Error { r#type: kind, message: message.into(), code: None }
}

fn unsupported() -> m::Error {
    error(m::ErrorType::NotAllowed, "not supported by this example")
}

impl ApiBase for InMemory {
    type Principal = ();
    async fn authenticate(&self, credential: Credential, _: &Meta) -> Result<Option<()>, Unavailable> {
        Ok(matches!(credential, Credential::ApiToken(token) if token == "secret-token-123456").then_some(()))
    }
    fn error_body(&self, problem: &Problem) -> m::Error {
        error(m::ErrorType::InvalidData, &problem.message)
    }
}

impl UsersApi for InMemory {
    async fn get_users(&self, _: (), _: &Meta, req: api::GetUsersRequest) -> m::GetUsersResponse {
        let users = self.users.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let (offset, limit) = (req.query.offset.unwrap_or(0), req.query.limit.unwrap_or(50));
        let page = users.iter().skip(offset as usize).take(limit as usize).cloned().collect();
        m::GetUsersResponse::Ok(m::AdminUsersListRes { count: users.len() as i64, users: page, offset, limit })
    }
    async fn post_users(&self, _: (), _: &Meta, req: api::PostUsersRequest) -> m::PostUsersResponse {
        let now = chrono::Utc::now();
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let user = m::User {
            id: format!("usr_{:026}", users.len() + 1),
            email: Email::parse(req.body.email.as_str().to_lowercase()).unwrap_or(req.body.email),
            first_name: req.body.first_name,
            last_name: req.body.last_name,
            role: req.body.role.unwrap_or_default(),
            metadata: None,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        };
        users.push(user.clone());
        m::PostUsersResponse::Ok(m::AdminUserRes { user })
    }
    async fn get_users_user(&self, _: (), _: &Meta, req: api::GetUsersUserRequest) -> m::GetUsersUserResponse {
        match self.users.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|u| u.id == req.path.id) {
            Some(user) => m::GetUsersUserResponse::Ok(m::AdminUserRes { user: user.clone() }),
            None => m::GetUsersUserResponse::NotFound(error(m::ErrorType::NotFound, "no such user")),
        }
    }
    async fn post_users_user(&self, _: (), _: &Meta, _: api::PostUsersUserRequest) -> m::PostUsersUserResponse {
        m::PostUsersUserResponse::BadRequest(unsupported())
    }
    async fn delete_users_user(&self, _: (), _: &Meta, req: api::DeleteUsersUserRequest) -> m::DeleteUsersUserResponse {
        self.users.lock().unwrap_or_else(|e| e.into_inner()).retain(|u| u.id != req.path.id);
        m::DeleteUsersUserResponse::Ok(m::AdminDeleteUserRes {
            id: req.path.id,
            object: Default::default(),
            deleted: true,
        })
    }
    async fn post_users_user_password_token(
        &self,
        _: &Meta,
        _: api::PostUsersUserPasswordTokenRequest,
    ) -> m::PostUsersUserPasswordTokenResponse {
        m::PostUsersUserPasswordTokenResponse::NoContent
    }
    async fn post_users_user_password(
        &self,
        _: &Meta,
        _: api::PostUsersUserPasswordRequest,
    ) -> m::PostUsersUserPasswordResponse {
        m::PostUsersUserPasswordResponse::BadRequest(unsupported())
    }
}

impl AuthApi for InMemory {
    async fn get_auth(&self, _: (), _: &Meta) -> m::GetAuthResponse {
        m::GetAuthResponse::Unauthorized(error(m::ErrorType::Unauthorized, "API tokens have no user here"))
    }
    async fn post_auth(&self, _: &Meta, _: api::PostAuthRequest) -> m::PostAuthResponse {
        m::PostAuthResponse::Unauthorized(error(m::ErrorType::Unauthorized, "no logins in this example"))
    }
    async fn delete_auth(&self, _: (), _: &Meta) -> m::DeleteAuthResponse {
        m::DeleteAuthResponse::Ok("OK".into(), Default::default())
    }
    async fn post_token(&self, _: &Meta, _: api::PostTokenRequest) -> m::PostTokenResponse {
        m::PostTokenResponse::Unauthorized(error(m::ErrorType::Unauthorized, "no logins in this example"))
    }
}

impl InvitesApi for InMemory {
    async fn get_invites(&self, _: (), _: &Meta) -> m::GetInvitesResponse {
        m::GetInvitesResponse::Ok(m::AdminListInvitesRes { invites: Vec::new() })
    }
    async fn post_invites(&self, _: (), _: &Meta, _: api::PostInvitesRequest) -> m::PostInvitesResponse {
        m::PostInvitesResponse::BadRequest(unsupported())
    }
    async fn post_invites_invite_accept(
        &self,
        _: &Meta,
        _: api::PostInvitesInviteAcceptRequest,
    ) -> m::PostInvitesInviteAcceptResponse {
        m::PostInvitesInviteAcceptResponse::BadRequest(unsupported())
    }
    async fn delete_invites_invite(
        &self,
        _: (),
        _: &Meta,
        _: api::DeleteInvitesInviteRequest,
    ) -> m::DeleteInvitesInviteResponse {
        m::DeleteInvitesInviteResponse::NotFound(error(m::ErrorType::NotFound, "no invites here"))
    }
    async fn post_invites_invite_resend(
        &self,
        _: (),
        _: &Meta,
        _: api::PostInvitesInviteResendRequest,
    ) -> m::PostInvitesInviteResendResponse {
        m::PostInvitesInviteResendResponse::NotFound(error(m::ErrorType::NotFound, "no invites here"))
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:9100").await?;
    println!("listening on http://127.0.0.1:9100 (Swagger UI at /docs/)");
    axum::serve(listener, api::router(InMemory::default())).await
}
