//! Rust client for the SailPoint Identity Security Cloud **beta** API.
//!
//! The crate has two halves:
//!
//! * [`runtime`] — hand-written: the HTTP [`Client`], request building,
//!   response decoding and the [`Error`] type. It never names generated types.
//! * `generated` — emitted by the project's code generator from the OpenAPI
//!   document: the [`models`] and the operation methods, which are added to
//!   [`Client`] with `impl crate::generated::Client { ... }` blocks.
//!
//! # Configuration
//!
//! From the environment variables SailPoint's SDKs use (`SAIL_BASE_URL`,
//! `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`): OAuth2 client credentials against
//! `{SAIL_BASE_URL}/oauth/token`, the API at `{SAIL_BASE_URL}/beta`, the
//! default [`RetryPolicy`](runtime::RetryPolicy):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use generated_client::Client;
//!
//! let client = Client::from_env()?;
//! let config = client
//!     .get_source_attr_sync_config("2c9180835d191a86015d28455b4a2329")
//!     .await?;
//! println!("{} attributes", config.attributes.len());
//! # Ok(())
//! # }
//! ```
//!
//! Explicitly, with client credentials and a retry policy of your own:
//!
//! ```no_run
//! # fn demo() -> Result<(), generated_client::runtime::BuildError> {
//! use std::time::Duration;
//! use generated_client::Client;
//! use generated_client::runtime::RetryPolicy;
//!
//! let client = Client::builder()
//!     .tenant("acme") // https://acme.api.identitynow.com/beta
//!     // Token endpoint: https://acme.api.identitynow.com/oauth/token (or `.token_url(..)`).
//!     .client_credentials("my-client-id", std::env::var("ISC_CLIENT_SECRET").unwrap_or_default())
//!     .retry_policy(
//!         RetryPolicy::new()
//!             .max_attempts(5)
//!             .max_elapsed(Duration::from_secs(120))
//!             .retry_non_idempotent(false),
//!     )
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! assert_eq!(client.base_url(), "https://acme.api.identitynow.com/beta");
//! # Ok(())
//! # }
//! ```
//!
//! A personal access token used as a static bearer token, without retries:
//!
//! ```no_run
//! # fn demo() -> Result<(), generated_client::runtime::BuildError> {
//! use generated_client::Client;
//! use generated_client::runtime::RetryPolicy;
//!
//! let client = Client::builder()
//!     .tenant("acme")
//!     .bearer_token(std::env::var("ISC_TOKEN").unwrap_or_default())
//!     .retry_policy(RetryPolicy::none())
//!     .build()?;
//! # Ok(())
//! # }
//! ```
//!
//! Tokens are cached, refreshed before they expire and once after a `401`;
//! `429` (honouring `Retry-After`), `502`/`503`/`504` and connection errors
//! are retried as the policy says. Every request runs in a `tracing` span
//! `http_request`; secrets never appear in `Debug`, errors or logs.

// Emitted by the generator and already formatted by it (prettyplease); `cargo fmt` must
// not rewrite it, or `cargo xtask codegen --check` would see a stale tree.
#[rustfmt::skip]
pub mod generated;
pub mod runtime;
/// Test support: a typed mock server of the API and a registry of its operations and
/// schemas (the `test-util` feature).
#[cfg(feature = "test-util")]
pub use generated::testing;
pub use generated::{Client, ClientBuilder, errors, models, operations};
pub use runtime::{ApiError, Error, Response};

/// The README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
