//! Hand-written runtime of the generated client.
//!
//! Generated code builds a [`Request`] for an operation (described by a static
//! [`OperationInfo`]) and hands it to [`Client::send_json`] or
//! [`Client::send_empty`] with the success codes, or to
//! [`Client::send_request`] with a plain function that turns the
//! [`RawResponse`] into either a typed [`Response`] or an [`Error`] by matching
//! on the status code; error statuses are decoded by the operation's error enum
//! ([`ErrorBody`], its bodies through [`ErrorPayload`]). Parameters are written as their
//! OpenAPI `style` says ([`param`]). Generated models get their `Serialize` and
//! `Deserialize` impls from the tables of [`codec`] (which expand against
//! [`de`], [`ser`] and [`fit`]), and keep what the spec did not describe
//! ([`UnknownFields`], [`UnknownValue`], [`UnmatchedValue`]) so that it is sent
//! back unchanged.
//!
//! [`Client::execute`] authenticates ([`ClientBuilder::bearer_token`],
//! [`ClientBuilder::client_credentials`] or a [`TokenSource`]), retries as
//! the [`RetryPolicy`] says and traces every request; an [`Observer`]
//! ([`ClientBuilder::observer`]) sees each [`Exchange`], credentials redacted.
//! [`paginate`] (offset and limit) and [`paginate_pages`] (page number and
//! size) turn a list operation into a [`Stream`] of
//! items.
//!
//! This module is self-contained: it only refers to `crate::runtime::...`, so
//! the generator can copy its files verbatim into standalone crates. Its
//! dependencies are exactly the `[dependencies]` section of this crate's
//! `Cargo.toml`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod client;
pub mod codec;
pub mod de;
mod encode;
mod error;
pub mod fit;
mod observe;
mod paginate;
pub mod param;
mod profile;
mod request;
mod response;
mod retry;
pub mod ser;
#[cfg(feature = "test-util")]
pub mod testing;
mod unknown;

pub use bytes::Bytes;
pub use futures_util::{Stream, StreamExt};
pub use reqwest::Method;
pub use reqwest::header::HeaderMap;

pub use crate::runtime::auth::{AccessToken, Secret, TokenFuture, TokenSource};

pub use crate::runtime::client::{Client, ClientBuilder};
pub use crate::runtime::encode::{encode_path, json_text, path_param};
pub use crate::runtime::error::{
    ApiError, AuthError, BuildError, DecodeError, Error, ErrorBody, SerializeError,
};
pub use crate::runtime::observe::{Exchange, Observer};
pub use crate::runtime::paginate::{paginate, paginate_pages};
pub use crate::runtime::param::Style;
pub use crate::runtime::profile::{
    ApiKey, ApiKeyLocation, CredentialKind, Profile, Server, ServerVariable,
};
pub use crate::runtime::request::{OperationInfo, Part, Request};
pub use crate::runtime::response::{
    BinaryBody, ErrorPayload, NoBody, RawResponse, Response, ResponseFuture, TextBody,
};
pub use crate::runtime::retry::RetryPolicy;
pub use crate::runtime::unknown::{UnknownFields, UnknownValue, UnmatchedValue};
