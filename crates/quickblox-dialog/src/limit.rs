//! The response size bound: a body wrapper that fails past `max_response_bytes` instead of letting the generated code buffer it all.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use reqwest::ResponseBuilderExt as _;

/// The error at the end of the `source()` chain when a response body is longer than the client's
/// [`ClientOptions::max_response_bytes`](crate::ClientOptions::max_response_bytes).
///
/// The generated code reports it as `Error::ResponseBodyError`; find it with
/// `std::error::Error::source` and `downcast_ref::<ResponseTooLarge>()`, or print the error with
/// `{:#}`, which appends the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The client's bound, in bytes.
    pub limit: u64,
    /// The length the server declared, when it declared one above the bound (nothing was read then).
    pub content_length: Option<u64>,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the client's limit of {}",
            bytes_text(self.limit)
        )?;
        if let Some(length) = self.content_length {
            write!(f, " (Content-Length: {length})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseTooLarge {}

/// `16777216 bytes (16 MiB)`, or just the bytes when they are not a whole number of KiB or MiB.
pub(crate) fn bytes_text(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{n} bytes ({} MiB)", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{n} bytes ({} KiB)", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// `response` with its body cut off at `limit` bytes: reading past it fails with [`ResponseTooLarge`],
/// and a declared `Content-Length` above it fails on the first read, before any of the body is taken in.
pub(crate) fn bounded(response: reqwest::Response, limit: u64) -> reqwest::Response {
    // Going through `http::Response` loses the URL reqwest remembers; it is put back because
    // `Error::UnexpectedResponse` shows it.
    let url = response.url().clone();
    let declared = response.content_length().filter(|&length| length > limit);
    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let mut builder = http::Response::builder()
        .status(parts.status)
        .version(parts.version)
        .url(url);
    if let Some(headers) = builder.headers_mut() {
        *headers = parts.headers;
    }
    if let Some(extensions) = builder.extensions_mut() {
        extensions.extend(parts.extensions);
    }
    let body = Bounded {
        inner: body,
        remaining: limit,
        limit,
        declared,
    };
    match builder.body(reqwest::Body::wrap(body)) {
        Ok(bounded) => bounded.into(),
        // The parts came from a valid response, so the builder cannot refuse them.
        Err(_) => unreachable!("a response rebuilt from its own parts is valid"),
    }
}

/// A body that yields at most `limit` bytes of `inner`, then fails.
struct Bounded {
    inner: reqwest::Body,
    remaining: u64,
    limit: u64,
    declared: Option<u64>,
}

impl Bounded {
    fn too_large(&self, content_length: Option<u64>) -> Box<dyn std::error::Error + Send + Sync> {
        Box::new(ResponseTooLarge {
            limit: self.limit,
            content_length,
        })
    }
}

impl Body for Bounded {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Some(length) = self.declared {
            return Poll::Ready(Some(Err(self.too_large(Some(length)))));
        }
        let frame = match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(Box::new(err)))),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => return Poll::Pending,
        };
        if let Some(data) = frame.data_ref() {
            let length = data.len() as u64;
            if length > self.remaining {
                self.remaining = 0;
                return Poll::Ready(Some(Err(self.too_large(None))));
            }
            self.remaining -= length;
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.declared.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes_text(16 * 1024 * 1024), "16777216 bytes (16 MiB)");
        assert_eq!(bytes_text(64 * 1024), "65536 bytes (64 KiB)");
        assert_eq!(bytes_text(1000), "1000 bytes");
    }

    #[test]
    fn the_error_names_the_limit_and_the_declared_length() {
        let err = ResponseTooLarge {
            limit: 1024,
            content_length: Some(5000),
        };
        assert_eq!(
            err.to_string(),
            "the response body is larger than the client's limit of 1024 bytes (1 KiB) (Content-Length: 5000)"
        );
    }
}
