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

/// Streams the items of a list operation that pages by page number, page after
/// page: `fetch(page_index, page_size)` requests page `page_index` (0 for the
/// first; generated `*_stream` methods add it to the first page number) with
/// `page_size` items per page, always the same size, so pages line up.
///
/// The stream ends after a page with fewer items than `page_size` (including
/// an empty page), after yielding an error, or when `max_items` items have been
/// yielded (the last page is cut; with `Some(0)` nothing is requested). A
/// `page_size` of 0 is treated as 1.
pub fn paginate_pages<T, E, F, Fut>(
    page_size: u32,
    max_items: Option<usize>,
    mut fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Response<Vec<T>>, Error<E>>>,
{
    let page_size = page_size.max(1);
    // Item offsets, as `paginate` counts them, map to page indexes here: every page but
    // the last is full.
    let mut next_page = 0u32;
    let by_page = move |_offset: u32, _limit: u32| {
        let page = next_page;
        next_page = next_page.saturating_add(1);
        fetch(page, page_size)
    };
    let items = paginate(page_size, None, by_page);
    futures_util::StreamExt::take(items, max_items.unwrap_or(usize::MAX))
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
