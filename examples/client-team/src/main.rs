//! `client-team-example list-users` and `client-team-example invite EMAIL [ROLE]` against the
//! Admin API at ADMIN_API_URL (default http://127.0.0.1:9000) with the API token ADMIN_API_TOKEN.

use std::process::ExitCode;

use admin_api_client::models::{self as m, support::Email};
use admin_api_client::{Client, OperationResponse};

async fn run(args: &[String]) -> Result<(), String> {
    let url = std::env::var("ADMIN_API_URL").unwrap_or_else(|_| "http://127.0.0.1:9000".into());
    let token = std::env::var("ADMIN_API_TOKEN").map_err(|_| "set ADMIN_API_TOKEN".to_owned())?;
    let client = Client::builder(url).api_token(token).max_retries(2).build().map_err(|e| e.to_string())?;
    match args {
        [command] if command == "list-users" => {
            let response = client.users().list(&m::GetUsersQuery::default()).await.map_err(|e| e.to_string())?;
            match response.value {
                m::GetUsersResponse::Ok(page) => {
                    for user in &page.users {
                        println!("{}\t{}\t{}", user.id, user.email, user.role);
                    }
                    println!("{} user(s)", page.count);
                    Ok(())
                }
                other => Err(format!("the server answered {}: {other:?}", other.status())),
            }
        }
        [command, email, rest @ ..] if command == "invite" => {
            let user = Email::parse(email.as_str()).map_err(|e| format!("{email}: {e}"))?;
            let role = match rest.first().map(String::as_str) {
                None | Some("member") => m::UserRole::Member,
                Some("admin") => m::UserRole::Admin,
                Some("developer") => m::UserRole::Developer,
                Some(other) => return Err(format!("unknown role {other}")),
            };
            let body = m::AdminPostInvitesReq { user, role };
            match client.invites().create(&body).await.map_err(|e| e.to_string())?.value {
                m::PostInvitesResponse::Ok(_) => {
                    println!("invited {email} as {role}");
                    Ok(())
                }
                m::PostInvitesResponse::Conflict(error) => Err(error.message),
                other => Err(format!("the server answered {}: {other:?}", other.status())),
            }
        }
        _ => Err("usage: client-team-example list-users | invite EMAIL [admin|member|developer]".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
