//! The retry policy: which failures are retried, how long to wait, when to
//! give up.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

/// When and how [`Client::execute`](crate::runtime::Client::execute) retries
/// a request. Set with
/// [`ClientBuilder::retry_policy`](crate::runtime::ClientBuilder::retry_policy).
///
/// Retried, with the default policy:
///
/// * `429 Too Many Requests`, for every method (the server did not process
///   the request): after the delay of its `Retry-After` header (seconds or an
///   HTTP date), or the backoff delay when it has none;
/// * `502`, `503` and `504`, for idempotent methods (`GET`, `HEAD`, `PUT`,
///   `DELETE`, `OPTIONS`, `TRACE`), or for all with
///   [`retry_non_idempotent(true)`](Self::retry_non_idempotent): after
///   `Retry-After` if present, else exponential backoff with jitter;
/// * connection errors (the request was never sent), for every method;
/// * other transport errors (the request may have been sent), like `502`.
///
/// Timeouts other than connect timeouts are not retried. Attempts are
/// bounded by [`max_attempts`](Self::max_attempts) (default 4, counting the
/// first) and waiting by [`max_elapsed`](Self::max_elapsed) (default 60 s
/// since the first attempt): a wait that would end later gives up and
/// returns the last response or error. All waits use `tokio::time::sleep`.
///
/// ```
/// use std::time::Duration;
/// use generated_client::runtime::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .max_attempts(6)
///     .max_elapsed(Duration::from_secs(120))
///     .initial_backoff(Duration::from_millis(200))
///     .retry_non_idempotent(true);
/// assert_ne!(policy, RetryPolicy::none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 60 s, backoff 500 ms doubling up to 10 s with jitter,
    /// non-idempotent methods only retried on `429` and connection errors.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// No retries: every request is sent once. (A `401` with refreshable
    /// credentials is still retried once after refreshing the token.)
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Total attempts, counting the first (at least 1; default 4).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Total time budget since the first attempt (default 60 s): no wait
    /// ends after it.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Delay before the first retry without `Retry-After` (default 500 ms);
    /// doubled for every further retry.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Upper bound of the backoff delay (default 10 s). Does not bound
    /// `Retry-After`.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Randomizes backoff delays to between half and all of their value
    /// (default on).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also retry `POST`, `PATCH` and other non-idempotent methods on
    /// `502`/`503`/`504` and on transport errors after the request may have
    /// been sent (default off: the server may have acted on the request).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Whether requests may be sent more than once.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// Sends with retries: calls `attempt` (with the attempt number, from 1)
    /// until it gives a final outcome or the policy stops retrying it. Before
    /// each retry, calls `on_retry(attempt, reason, delay)` (to log it) and
    /// sleeps `delay` on tokio's clock.
    ///
    /// The one retry loop of the runtime: API requests
    /// ([`Client::execute`](crate::runtime::Client::execute)) and token
    /// requests both run in it.
    ///
    /// (`attempt` is a closure returning a future rather than an async
    /// closure: the future of an `AsyncFnMut` bound is not provably `Send`,
    /// and [`Client::execute`](crate::runtime::Client::execute) must be.)
    pub(crate) async fn run<T, F>(
        &self,
        idempotent: bool,
        mut attempt: impl FnMut(u32) -> F,
        mut on_retry: impl FnMut(u32, RetryReason, Duration),
    ) -> Finished<T>
    where
        F: Future<Output = Step<T>>,
    {
        let started = Instant::now();
        let mut attempts = 0;
        // Attempts judged by the policy, the ones that count against
        // `max_attempts` (a `Step::Again` does not).
        let mut counted = 0;
        loop {
            attempts += 1;
            let (outcome, observed) = match attempt(attempts).await {
                Step::Observed(outcome, observed) => (outcome, observed),
                Step::Done(outcome) => {
                    return Finished {
                        outcome,
                        attempts,
                        why: None,
                    };
                }
                Step::Again => continue,
            };
            counted += 1;
            match self.decide(&observed, counted, started.elapsed(), idempotent) {
                Decision::Retry { delay, reason } => {
                    on_retry(attempts, reason, delay);
                    tokio::time::sleep(delay).await;
                }
                Decision::Stop { why } => {
                    return Finished {
                        outcome,
                        attempts,
                        why,
                    };
                }
            }
        }
    }

    /// Decides what to do after `attempts` attempts, the last of which gave
    /// `observed`, `elapsed` after the first started.
    fn decide(
        &self,
        observed: &Observed,
        attempts: u32,
        elapsed: Duration,
        idempotent: bool,
    ) -> Decision {
        let may_repeat = idempotent || self.retry_non_idempotent;
        let (retry_after, reason) = match *observed {
            Observed::Status {
                status: 429,
                retry_after,
            } => (retry_after, Reason::Status(429)),
            Observed::Status {
                status: status @ 502..=504,
                retry_after,
            } if may_repeat => (retry_after, Reason::Status(status)),
            Observed::Connect => (None, Reason::Connect),
            Observed::Transport if may_repeat => (None, Reason::Transport),
            Observed::Status { .. } | Observed::Transport | Observed::Timeout => {
                return Decision::Stop { why: None };
            }
        };
        if attempts >= self.max_attempts {
            return Decision::Stop {
                why: Some("attempts exhausted"),
            };
        }
        let delay = match retry_after {
            Some(delay) => delay,
            None => self.backoff(attempts),
        };
        if elapsed.saturating_add(delay) > self.max_elapsed {
            return Decision::Stop {
                why: Some("retry time budget exhausted"),
            };
        }
        Decision::Retry {
            delay,
            reason: RetryReason {
                reason,
                retry_after: retry_after.is_some(),
            },
        }
    }

    /// The backoff delay after the `retry`-th attempt (1 for the first).
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        if !self.jitter {
            return base;
        }
        let nanos = u64::try_from(base.as_nanos()).unwrap_or(u64::MAX);
        let half = nanos / 2;
        Duration::from_nanos(half + fastrand::u64(0..=nanos - half))
    }
}

/// What one attempt of [`RetryPolicy::run`] gave.
pub(crate) enum Step<T> {
    /// An outcome for the policy to judge by what was `Observed`: retried
    /// (after a wait) or returned.
    Observed(T, Observed),
    /// An outcome to return as it is, never retried.
    Done(T),
    /// Send again at once (after a token refresh); not counted against
    /// [`RetryPolicy::max_attempts`].
    Again,
}

/// The result of [`RetryPolicy::run`].
pub(crate) struct Finished<T> {
    /// The last attempt's outcome.
    pub(crate) outcome: T,
    /// How many attempts were made, counting every one.
    pub(crate) attempts: u32,
    /// Why the outcome was returned although it was retryable in itself
    /// (`attempts exhausted`, `retry time budget exhausted`).
    pub(crate) why: Option<&'static str>,
}

/// What one attempt gave, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Observed {
    /// A response.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The connection could not be established: the request was not sent.
    Connect,
    /// Another transport error: the request may have been sent.
    Transport,
    /// A timeout after the connection was established.
    Timeout,
}

impl Observed {
    /// Classifies a transport error.
    pub(crate) fn from_transport_error(error: &reqwest::Error) -> Observed {
        if error.is_connect() {
            Observed::Connect
        } else if error.is_timeout() {
            Observed::Timeout
        } else {
            Observed::Transport
        }
    }
}

/// The verdict of [`RetryPolicy::decide`].
enum Decision {
    /// Wait `delay`, then send again.
    Retry {
        delay: Duration,
        reason: RetryReason,
    },
    /// Return the outcome; `why` is set when it was retryable in itself.
    Stop { why: Option<&'static str> },
}

/// Why a request is retried, for logs: `HTTP 429 (Retry-After)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryReason {
    reason: Reason,
    retry_after: bool,
}

#[derive(Debug, Clone, Copy)]
enum Reason {
    Status(u16),
    Connect,
    Transport,
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Reason::Status(status) => write!(f, "HTTP {status}")?,
            Reason::Connect => f.write_str("connection error")?,
            Reason::Transport => f.write_str("transport error")?,
        }
        if self.retry_after {
            f.write_str(" (Retry-After)")?;
        }
        Ok(())
    }
}

/// Whether a method is idempotent (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::PUT,
        Method::DELETE,
    ]
    .contains(method)
}

/// The delay a `Retry-After` header asks for: delta-seconds (fractions are
/// accepted) or an HTTP date (a date in the past gives zero).
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn retry_after(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        parse_retry_after(&headers)
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(retry_after("-1"), None);
        assert_eq!(retry_after("soon"), None);
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let delay = retry_after(&future).unwrap();
        assert!(
            delay > Duration::from_secs(28) && delay <= Duration::from_secs(30),
            "{delay:?}"
        );
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350))
            .jitter(false);
        let delays: Vec<_> = (1..=4).map(|n| policy.backoff(n)).collect();
        assert_eq!(
            delays,
            [100, 200, 350, 350].map(Duration::from_millis).to_vec()
        );
        let jittered = policy.jitter(true);
        for n in 1..=4 {
            let d = jittered.backoff(n);
            let full = delays[n as usize - 1];
            assert!(d >= full / 2 && d <= full, "{d:?} vs {full:?}");
        }
        assert!(RetryPolicy::new().backoff(u32::MAX) <= Duration::from_secs(10));
    }

    #[test]
    fn decisions() {
        let policy = RetryPolicy::new().jitter(false);
        let s = |status| Observed::Status {
            status,
            retry_after: None,
        };
        let retries = |o: &Observed, n, idem| {
            matches!(
                policy.decide(o, n, Duration::ZERO, idem),
                Decision::Retry { .. }
            )
        };
        assert!(retries(&s(429), 1, false));
        assert!(retries(&s(503), 1, true));
        assert!(!retries(&s(503), 1, false));
        assert!(!retries(&s(500), 1, true));
        assert!(!retries(&s(401), 1, true));
        assert!(retries(&Observed::Connect, 1, false));
        assert!(!retries(&Observed::Transport, 1, false));
        assert!(retries(&Observed::Transport, 1, true));
        assert!(!retries(&Observed::Timeout, 1, true));
        assert!(!retries(&s(503), 4, true), "attempts exhausted");
        let opted_in = policy.clone().retry_non_idempotent(true);
        assert!(matches!(
            opted_in.decide(&s(502), 1, Duration::ZERO, false),
            Decision::Retry { .. }
        ));
        let long = Observed::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(61)),
        };
        assert!(matches!(
            policy.decide(&long, 1, Duration::ZERO, true),
            Decision::Stop { why: Some(_) }
        ));
        assert!(!RetryPolicy::none().is_enabled());
        assert!(matches!(
            RetryPolicy::none().decide(&s(429), 1, Duration::ZERO, true),
            Decision::Stop { .. }
        ));
    }
}
