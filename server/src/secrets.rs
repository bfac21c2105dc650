//! Passwords, tokens and JWTs. Passwords are hashed with argon2 (a fresh salt each); tokens are
//! 256 random bits, handed out once and stored only as a SHA-256 hash, so a database leak does
//! not leak usable tokens. Lookups compare hashes inside the database; a timing difference there
//! says nothing about the token itself.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A failure of the operating system's random source or of the hasher.
#[derive(Debug)]
pub struct SecretError(pub String);

impl std::fmt::Display for SecretError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SecretError {}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits as 64 hex characters.
pub fn new_token() -> Result<String, SecretError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| SecretError(format!("random source: {e}")))?;
    Ok(hex(&bytes))
}

/// What is stored for a token.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, SecretError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| SecretError(format!("random source: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| SecretError(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| SecretError(format!("password hashing: {e}")))
}

/// Whether `password` matches `hash`. A missing or unreadable hash never matches.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let Some(parsed) = hash.and_then(|h| PasswordHash::new(h).ok()) else {
        // Spend the same effort as a real check, so a missing account is not faster to refuse.
        let _ = hash_password(password);
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Whether `token` is strong enough to be an API token: at least 16 characters, at least 8 of
/// them different (so `aaaaaaaaaaaaaaaa` and `abababab…` are refused). The reason otherwise.
pub fn check_api_token(token: &str) -> Result<(), &'static str> {
    let distinct: std::collections::BTreeSet<char> = token.chars().collect();
    if token.chars().count() < 16 {
        Err("api_token must be at least 16 characters long")
    } else if distinct.len() < 8 {
        Err("api_token must use at least 8 different characters")
    } else {
        Ok(())
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    user_id: String,
    domain: String,
    /// The user's credential generation when issued; tokens from before it was bumped (a
    /// password reset) are refused. Absent in tokens issued before generations existed.
    #[serde(default)]
    generation: i64,
    iat: i64,
    exp: i64,
}

/// A signed HS256 JWT for a user's credential `generation`, valid for `ttl`.
pub fn issue_jwt(user_id: &str, generation: i64, secret: &[u8], ttl: Duration) -> Result<String, SecretError> {
    let now = Utc::now();
    let claims = Claims {
        user_id: user_id.to_owned(),
        domain: "admin".to_owned(),
        generation,
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret))
        .map_err(|e| SecretError(format!("JWT: {e}")))
}

/// The user and credential generation of a valid, unexpired admin JWT signed with `secret`.
pub fn verify_jwt(token: &str, secret: &[u8]) -> Option<(String, i64)> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    // `nbf`, when present, must have passed; a token issued in the future was not issued here.
    validation.validate_nbf = true;
    let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation).ok()?;
    if data.claims.iat > Utc::now().timestamp() {
        return None;
    }
    (data.claims.domain == "admin").then_some((data.claims.user_id, data.claims.generation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let hash = hash_password("supersecret").expect("hashes");
        assert!(verify_password("supersecret", Some(&hash)));
        assert!(!verify_password("supersecreT", Some(&hash)));
        assert!(!verify_password("supersecret", None));
        assert_ne!(hash_password("supersecret").expect("hashes"), hash, "salted");
        let token = new_token().expect("random");
        assert_eq!(token.len(), 64);
        assert_ne!(new_token().expect("random"), token);
        assert_eq!(hash_token(&token), hash_token(&token));
        assert_ne!(hash_token(&token), token);
    }

    #[test]
    fn jwts() {
        let token = issue_jwt("usr_1", 3, b"secret", Duration::hours(24)).expect("signs");
        assert_eq!(verify_jwt(&token, b"secret"), Some(("usr_1".to_owned(), 3)));
        assert_eq!(verify_jwt(&token, b"other"), None);
        let expired = issue_jwt("usr_1", 0, b"secret", Duration::seconds(-10)).expect("signs");
        assert_eq!(verify_jwt(&expired, b"secret"), None);
        assert_eq!(verify_jwt("not.a.jwt", b"secret"), None);
    }

    #[test]
    fn jwts_from_the_future_are_refused() {
        let now = Utc::now().timestamp();
        let sign = |claims: serde_json::Value| {
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(b"secret"))
                .expect("signs")
        };
        let claims = |iat: i64, nbf: Option<i64>| {
            let mut claims = serde_json::json!({"user_id": "usr_1", "domain": "admin", "iat": iat, "exp": now + 3600});
            if let Some(nbf) = nbf {
                claims["nbf"] = nbf.into();
            }
            claims
        };
        assert!(verify_jwt(&sign(claims(now, None)), b"secret").is_some());
        assert_eq!(verify_jwt(&sign(claims(now + 600, None)), b"secret"), None, "issued in the future");
        assert_eq!(verify_jwt(&sign(claims(now, Some(now + 600))), b"secret"), None, "not yet valid");
    }

    #[test]
    fn weak_api_tokens_are_refused() {
        assert!(check_api_token("short").is_err());
        assert!(check_api_token("aaaaaaaaaaaaaaaa").is_err());
        assert!(check_api_token("abababababababab").is_err());
        assert!(check_api_token("token-1234567890abcdef").is_ok());
    }
}
