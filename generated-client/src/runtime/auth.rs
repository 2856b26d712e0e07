//! Credentials: how the `Authorization` header of each attempt is obtained.
//!
//! This is the seam for further schemes. Each variant answers
//! [`Credentials::authorization`], which is async and fallible so that
//! schemes that fetch and cache tokens fit without changing the client:
//!
//! * OAuth2 client credentials: a variant holding the token URL, client id,
//!   secret and a `tokio::sync::Mutex`/`RwLock` token cache refreshed before
//!   expiry; failures map to [`AuthError`].
//! * A caller-supplied token source: a variant holding
//!   `Arc<dyn TokenSource>`, a public trait added at that time.
//!
//! A retry loop (429/502/503/504 with backoff) wraps the single attempt in
//! `Client::execute`; calling `authorization()` per attempt lets a token that
//! was refreshed in between be picked up, and a `401` can invalidate a cached
//! token through a method added here alongside the OAuth2 variant.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::runtime::error::{AuthError, BuildError};

/// The credentials of a client. `Debug` never shows secrets.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// No `Authorization` header.
    None,
    /// A static bearer token (e.g. a personal access token), kept as a
    /// ready-made, sensitive-marked `Bearer ...` header value.
    Bearer(HeaderValue),
}

impl Credentials {
    /// Static bearer token credentials.
    pub(crate) fn bearer(token: &str) -> Result<Credentials, BuildError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(BuildError::InvalidBearerToken("empty"));
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| BuildError::InvalidBearerToken("not a valid HTTP header value"))?;
        value.set_sensitive(true);
        Ok(Credentials::Bearer(value))
    }

    /// The `Authorization` header value for the next attempt, if any.
    pub(crate) async fn authorization(&self) -> Result<Option<HeaderValue>, AuthError> {
        match self {
            Credentials::None => Ok(None),
            Credentials::Bearer(value) => Ok(Some(value.clone())),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}
