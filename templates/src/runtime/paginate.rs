//! Walking cursor-paginated lists as a stream of items.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};

use super::envelope::Page;
use super::error::Result;

/// Streams every item of a cursor-paginated list, fetching pages on demand.
///
/// `fetch` is called with `None` for the first page, then with each page's
/// [`next_cursor`](Page::next_cursor) until there is none (`next_token`
/// missing or empty, or `has_more` false). An error is yielded once and ends
/// the stream, as does a page that hands back the cursor it was fetched
/// with (which would otherwise loop forever).
///
/// The stream is `Unpin`, so `.next().await` works without pinning.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use heygen::{paginate, Client, Method, Page, Request};
///
/// # async fn run(client: Client) -> heygen::Result<()> {
/// let mut avatars = paginate(|token: Option<String>| {
///     let client = client.clone();
///     async move {
///         let request = Request::new(Method::GET, "/v3/avatars").query("token", &token);
///         client.send_json::<Page<serde_json::Value>>(request).await
///     }
/// });
/// while let Some(avatar) = avatars.next().await {
///     println!("{}", avatar?);
/// }
/// # Ok(())
/// # }
/// ```
pub fn paginate<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    paginate_with(fetch, Page::into_parts)
}

/// Like [`paginate`], for responses whose items and cursor live elsewhere:
/// `split` takes a fetched page apart into its items and the next cursor
/// (`None` or empty on the last page). For `{"data": {"items": [...],
/// "has_more": …, "next_token": "…"}}`, split with
/// `|data| Page::new(data.items, data.has_more, data.next_token).into_parts()`.
pub fn paginate_with<P, T, F, Fut, S>(fetch: F, split: S) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P>>,
    S: FnMut(P) -> (Vec<T>, Option<String>),
{
    let state = Pager {
        fetch,
        split,
        buffer: VecDeque::new(),
        cursor: Cursor::First,
    };
    Box::pin(stream::unfold(state, Pager::next))
}

struct Pager<F, S, T> {
    fetch: F,
    split: S,
    buffer: VecDeque<T>,
    cursor: Cursor,
}

enum Cursor {
    First,
    Next(String),
    Done,
}

impl<F, S, T> Pager<F, S, T> {
    /// The next item, fetching pages (skipping empty ones) as needed.
    async fn next<P, Fut>(mut self) -> Option<(Result<T>, Self)>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<P>>,
        S: FnMut(P) -> (Vec<T>, Option<String>),
    {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some((Ok(item), self));
            }
            let sent = match std::mem::replace(&mut self.cursor, Cursor::Done) {
                Cursor::Done => return None,
                Cursor::First => None,
                Cursor::Next(token) => Some(token),
            };
            let page = match (self.fetch)(sent.clone()).await {
                Ok(page) => page,
                // The cursor is already `Done`: the stream ends after this.
                Err(error) => return Some((Err(error), self)),
            };
            let (items, next) = (self.split)(page);
            self.buffer.extend(items);
            self.cursor = match next.filter(|token| !token.is_empty()) {
                Some(token) if Some(&token) != sent.as_ref() => Cursor::Next(token),
                _ => Cursor::Done,
            };
        }
    }
}
