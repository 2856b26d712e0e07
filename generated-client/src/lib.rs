//! Rust client for the SailPoint Identity Security Cloud **beta** API.
//!
//! The crate has two halves:
//!
//! * [`runtime`] — hand-written: the HTTP [`Client`], request building,
//!   response decoding and the [`Error`] type. It never names generated types.
//! * `generated` — emitted by the project's code generator from the OpenAPI
//!   document: the [`models`] and the operation methods, which are added to
//!   [`Client`] with `impl crate::runtime::Client { ... }` blocks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), generated_client::runtime::BuildError> {
//! use generated_client::Client;
//!
//! let client = Client::builder()
//!     .tenant("acme")
//!     .bearer_token(std::env::var("ISC_TOKEN").unwrap_or_default())
//!     .build()?;
//! assert_eq!(client.base_url(), "https://acme.api.identitynow.com/beta");
//! # Ok(())
//! # }
//! ```

// Emitted by the generator and already formatted by it (prettyplease); `cargo fmt` must
// not rewrite it, or `cargo xtask codegen --check` would see a stale tree.
#[rustfmt::skip]
pub mod generated;
pub mod runtime;
pub use generated::{models, operations};
pub use runtime::{ApiError, Client, ClientBuilder, Error, Response};

/// The README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
