//! What the runtime knows of one API: its servers, how it authenticates, which
//! environment variables configure it, where its errors carry a tracking id.
//!
//! The runtime names no API. The generator writes one [`Profile`] per generated
//! crate (`generated/client.rs`), from the document's `servers` and
//! `securitySchemes` and the `[client]` table of the settings, and the generated
//! `ClientBuilder` hands it to [`ClientBuilder::new`](crate::runtime::ClientBuilder::new).

use std::fmt;

/// One API's profile: its servers, how it authenticates, which environment
/// variables configure it, where its errors carry a tracking id, how it pages.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// The API's name, for messages.
    pub name: &'static str,
    /// The document's servers, in its order. A server URL may hold `{variables}`.
    pub servers: &'static [Server],
    /// `from_env` reads `{prefix}_BASE_URL` and the credentials' variables
    /// (`{prefix}_CLIENT_ID` and `{prefix}_CLIENT_SECRET`, `{prefix}_TOKEN`,
    /// `{prefix}_API_KEY`, `{prefix}_USERNAME` and `{prefix}_PASSWORD`).
    pub env_prefix: Option<&'static str>,
    /// `{prefix}_BASE_URL` names the API root, to which the first server's path is
    /// appended (`https://acme.example.com` + `/v1`), rather than the base URL.
    pub env_base_url_is_root: bool,
    /// The OAuth2 token endpoint for client credentials: an absolute URL, or a
    /// template whose `{root}` is the API root (the base URL without the server's
    /// path; the base URL's origin when the base URL was given as is).
    pub token_url: Option<&'static str>,
    /// The credentials the API's security schemes accept, in the order `from_env`
    /// tries them.
    pub credentials: &'static [CredentialKind],
    /// Where an API key goes, when a scheme takes one.
    pub api_key: Option<ApiKey>,
    /// The member of error bodies that holds the server's tracking id.
    pub tracking_id: Option<&'static str>,
}

impl Profile {
    /// A profile that knows nothing: a base URL must be given, credentials are
    /// bearer tokens or token sources.
    pub const GENERIC: Profile = Profile {
        name: "the API",
        servers: &[],
        env_prefix: None,
        env_base_url_is_root: false,
        token_url: None,
        credentials: &[],
        api_key: None,
        tracking_id: None,
    };

    /// The path of the first server's URL (`/beta` of
    /// `https://{tenant}.api.example.com/beta`): what an API root lacks.
    pub fn base_path(&self) -> &'static str {
        let Some(server) = self.servers.first() else {
            return "";
        };
        let url = server.url;
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        match url[after_scheme..].find('/') {
            Some(i) => url[after_scheme + i..].trim_end_matches('/'),
            None => "",
        }
    }
}

/// A server of the document.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// The URL, with `{variables}`.
    pub url: &'static str,
    /// The variables of the URL.
    pub variables: &'static [ServerVariable],
}

/// A `{variable}` of a server URL.
#[derive(Debug, Clone, Copy)]
pub struct ServerVariable {
    /// The variable's name in the URL.
    pub name: &'static str,
    /// Its value unless set.
    pub default: &'static str,
    /// The values the document allows; empty: any.
    pub values: &'static [&'static str],
}

/// A kind of credentials an API accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// OAuth2 client credentials: a token from the token endpoint.
    ClientCredentials,
    /// A bearer token (HTTP `bearer`, OAuth2 and OpenID Connect schemes).
    Bearer,
    /// HTTP basic authentication.
    Basic,
    /// An API key.
    ApiKey,
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKey {
    /// The header or query parameter name.
    pub name: &'static str,
    /// Header or query.
    pub location: ApiKeyLocation,
}

/// An API key goes in a header or in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

impl fmt::Display for ApiKeyLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKeyLocation::Header => "header",
            ApiKeyLocation::Query => "query parameter",
        })
    }
}

/// The URL of `server` with `values` for its variables (each validated against
/// the document's list of values, and as URL text) and defaults for the rest.
pub(crate) fn server_url(
    server: &Server,
    values: &[(String, String)],
) -> Result<String, (String, String, String)> {
    let mut url = server.url.to_string();
    for var in server.variables {
        let value = values
            .iter()
            .rev()
            .find(|(n, _)| n == var.name)
            .map_or(var.default, |(_, v)| v.as_str());
        let safe = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if !safe {
            return Err((
                var.name.to_string(),
                value.to_string(),
                "expected letters, digits and `-`, `.`, `_`, `~`".to_string(),
            ));
        }
        if !var.values.is_empty() && !var.values.contains(&value) {
            return Err((
                var.name.to_string(),
                value.to_string(),
                format!("expected one of {}", var.values.join(", ")),
            ));
        }
        url = url.replace(&format!("{{{}}}", var.name), value);
    }
    Ok(url)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An API whose key goes in the `api_key` query parameter (for other modules' tests).
    pub(crate) static QUERY_KEY: Profile = Profile {
        api_key: Some(ApiKey {
            name: "api_key",
            location: ApiKeyLocation::Query,
        }),
        ..Profile::GENERIC
    };

    /// An API whose key goes in the `X-Api-Key` header (for other modules' tests).
    pub(crate) static HEADER_KEY: Profile = Profile {
        api_key: Some(ApiKey {
            name: "X-Api-Key",
            location: ApiKeyLocation::Header,
        }),
        ..Profile::GENERIC
    };

    const SERVER: Server = Server {
        url: "https://{tenant}.api.example.com/beta",
        variables: &[ServerVariable {
            name: "tenant",
            default: "demo",
            values: &[],
        }],
    };

    #[test]
    fn server_urls_fill_variables() {
        assert_eq!(
            server_url(&SERVER, &[("tenant".into(), "acme".into())]).unwrap(),
            "https://acme.api.example.com/beta"
        );
        assert_eq!(
            server_url(&SERVER, &[]).unwrap(),
            "https://demo.api.example.com/beta"
        );
        assert!(server_url(&SERVER, &[("tenant".into(), "evil.com/x".into())]).is_err());
        let region = Server {
            url: "https://{region}.x.example",
            variables: &[ServerVariable {
                name: "region",
                default: "eu",
                values: &["eu", "us"],
            }],
        };
        assert!(server_url(&region, &[("region".into(), "mars".into())]).is_err());
    }

    #[test]
    fn base_paths() {
        let p = |url: &'static str| {
            let servers: &'static [Server] = Box::leak(Box::new([Server {
                url,
                variables: &[],
            }]));
            Profile {
                servers,
                ..Profile::GENERIC
            }
            .base_path()
        };
        assert_eq!(p("https://{tenant}.api.example.com/beta"), "/beta");
        assert_eq!(p("https://api.github.com"), "");
        assert_eq!(p("http://localhost:8080/v1/"), "/v1");
        assert_eq!(Profile::GENERIC.base_path(), "");
    }
}
