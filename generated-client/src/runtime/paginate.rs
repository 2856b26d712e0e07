//! Offset/limit pagination as a stream of items.

use std::future::Future;

use futures_util::Stream;

use crate::runtime::error::Error;
use crate::runtime::response::Response;

/// Streams the items of an offset/limit paginated list operation, page after
/// page.
///
/// `fetch(offset, limit)` requests one page; generated `*_stream` methods
/// pass a closure that calls the list operation with those `offset` and
/// `limit` parameters. The first page is requested at offset 0, each next
/// one at the previous offset plus the number of items received.
///
/// The stream ends
/// * after a page with fewer items than `limit` (including an empty page),
/// * after yielding an error (the error is the last item),
/// * when `max_items` items have been yielded: the `limit` of a request is
///   never more than the items still wanted (`min(page_size, remaining)`),
///   and with `max_items == Some(0)` nothing is requested.
///
/// A `page_size` of 0 is treated as 1. Pages are requested lazily: only when
/// the consumer asks for an item beyond the current page.
///
/// The stream is not `Unpin`; pin it before calling
/// [`StreamExt::next`](futures_util::StreamExt::next), e.g. with
/// `std::pin::pin!` or `Box::pin`:
///
/// ```no_run
/// use futures_util::StreamExt;
/// use generated_client::runtime::{Error, Response, paginate};
///
/// # async fn list(offset: u32, limit: u32) -> Result<Response<Vec<String>>, Error<()>> { unimplemented!() }
/// # async fn demo() -> Result<(), Error<()>> {
/// let names = paginate(250, Some(1000), |offset, limit| list(offset, limit));
/// let mut names = std::pin::pin!(names);
/// while let Some(name) = names.next().await {
///     println!("{}", name?);
/// }
/// # Ok(())
/// # }
/// ```
pub fn paginate<T, E, F, Fut>(
    page_size: u32,
    max_items: Option<usize>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Response<Vec<T>>, Error<E>>>,
{
    let page_size = page_size.max(1);
    let state = Pages {
        fetch,
        offset: 0,
        remaining: max_items,
        page: Vec::new().into_iter(),
        done: max_items == Some(0),
    };
    futures_util::stream::unfold(state, move |mut pages| async move {
        loop {
            if let Some(item) = pages.page.next() {
                if let Some(remaining) = &mut pages.remaining {
                    *remaining -= 1;
                    if *remaining == 0 {
                        pages.done = true;
                        pages.page = Vec::new().into_iter();
                    }
                }
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            let limit = match pages.remaining {
                Some(remaining) => page_size.min(u32::try_from(remaining).unwrap_or(u32::MAX)),
                None => page_size,
            };
            match (pages.fetch)(pages.offset, limit).await {
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
                Ok(response) => {
                    let items = response.into_inner();
                    let received = items.len();
                    if received < limit as usize {
                        pages.done = true;
                    }
                    match u32::try_from(received)
                        .ok()
                        .and_then(|n| pages.offset.checked_add(n))
                    {
                        Some(offset) => pages.offset = offset,
                        // The next offset is not representable: stop after this page.
                        None => pages.done = true,
                    }
                    pages.page = items.into_iter();
                }
            }
        }
    })
}

/// The state of [`paginate`] between items.
struct Pages<T, F> {
    fetch: F,
    /// Offset of the next page.
    offset: u32,
    /// Items still wanted, when capped.
    remaining: Option<usize>,
    /// The rest of the current page.
    page: std::vec::IntoIter<T>,
    /// No more pages are requested.
    done: bool,
}
