//! Hand-written runtime of the generated client.
//!
//! Generated code builds a [`Request`] for an operation (described by a static
//! [`OperationInfo`]), sends it with [`Client::execute`], and turns the
//! [`RawResponse`] into either a typed [`Response`] or an [`Error`] by
//! matching on the status code.
//!
//! This module is self-contained: it only refers to `crate::runtime::...`, so
//! the generator can copy its files verbatim into standalone crates. Its
//! dependencies are exactly the `[dependencies]` section of this crate's
//! `Cargo.toml`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod client;
mod encode;
mod error;
mod request;
mod response;

pub use bytes::Bytes;
pub use reqwest::Method;
pub use reqwest::header::HeaderMap;

pub use crate::runtime::client::{Client, ClientBuilder};
pub use crate::runtime::encode::encode_path;
pub use crate::runtime::error::{
    ApiError, AuthError, BuildError, DecodeError, Error, ErrorBody, SerializeError,
};
pub use crate::runtime::request::{OperationInfo, Part, Request};
pub use crate::runtime::response::{RawResponse, Response};
