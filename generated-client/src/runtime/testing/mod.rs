//! Test support for users of a generated client (the `test-util` feature): the
//! generic half of the generated typed mock server ([`MockServer`], which the
//! generated `testing` module wraps with one method per operation), and record and
//! replay of real exchanges ([`Recorder`], [`Recording`], [`Replay`]).
//!
//! Built on `wiremock`; nothing here is compiled without the feature.

mod mock;
mod record;

pub use mock::*;
pub use record::*;
