//! hyper answers some requests itself, before any handler runs: a request line longer than it reads
//! (414), a header block too large or with too many fields (431), a head it cannot parse (400). Those
//! answers have no body. `ProblemIo` wraps a connection and replaces exactly those answers on the wire
//! with the same status carrying a problem document (issue 12: "every error is an RFC 9457 problem"), so
//! the client learns what was wrong; the connection then closes, as hyper meant it to.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::problem::Problem;

/// hyper's automatic answers this replaces: status line, code, Chinese and English messages.
const AUTOMATIC: [(&[u8], u16, &str, &str, &str); 3] = [
    (
        b"HTTP/1.1 414 ",
        414,
        "request.uri_too_long",
        "请求地址过长，服务器不予处理",
        "the request URI is longer than the server reads",
    ),
    (
        b"HTTP/1.1 431 ",
        431,
        "request.headers_too_large",
        "请求头过大或字段过多，服务器不予处理",
        "the request's header fields are too large or too many",
    ),
    (
        b"HTTP/1.1 400 ",
        400,
        "request.bad",
        "请求格式有误，无法解析",
        "malformed request: the request head cannot be parsed",
    ),
];

/// The problem answer that replaces `head`, when `head` is one of hyper's automatic, bodiless answers
/// (a response of ours always has a content type).
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let &(_, status, code, zh, en) = AUTOMATIC.iter().find(|(line, ..)| head.starts_with(line))?;
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    let lower = head[..end].to_ascii_lowercase();
    let has = |name: &[u8]| lower.windows(name.len()).any(|w| w == name);
    if has(b"\r\ncontent-type:") || has(b"\r\ntransfer-encoding:") {
        return None;
    }
    let reason = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Bad Request");
    let problem = Problem {
        type_: format!("/problems/{code}"),
        title: reason.into(),
        status,
        detail: zh.into(),
        code: code.into(),
        message_zh: zh.into(),
        message_en: en.into(),
        errors: Vec::new(),
        import: None,
    };
    let body = serde_json::to_vec(&problem).ok()?;
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\
         x-content-type-options: nosniff\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

/// A connection whose automatic bodiless answers are replaced by problems.
#[derive(Debug)]
pub struct ProblemIo<T> {
    inner: T,
    pending: Vec<u8>,
    written: usize,
}

impl<T> ProblemIo<T> {
    /// Wrap a connection.
    pub fn new(inner: T) -> Self {
        Self { inner, pending: Vec::new(), written: 0 }
    }
}

impl<T: AsyncWrite + Unpin> ProblemIo<T> {
    /// Write out a replacement still under way.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Take `len` bytes of hyper's answer as written, and send `replacement` in their place.
    fn replace(&mut self, cx: &mut Context<'_>, replacement: Vec<u8>, len: usize) -> Poll<io::Result<usize>> {
        self.pending = replacement;
        self.written = 0;
        match self.drain(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            // Still going: the flush or shutdown that follows finishes it.
            _ => Poll::Ready(Ok(len)),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        match replacement(buf) {
            Some(r) => self.replace(cx, r, buf.len()),
            None => Pin::new(&mut self.inner).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        let first = bufs.iter().find(|b| !b.is_empty());
        match first.and_then(|b| replacement(b)) {
            Some(r) => {
                let len = bufs.iter().map(|b| b.len()).sum();
                self.replace(cx, r, len)
            }
            None => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A TCP listener whose connections are `ProblemIo`s, for `axum::serve`.
#[derive(Debug)]
pub struct ProblemListener(pub TcpListener);

impl axum::serve::Listener for ProblemListener {
    type Io = ProblemIo<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => return (ProblemIo::new(stream), addr),
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_bodiless_automatic_answers_are_replaced() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let r = String::from_utf8(super::replacement(hyper).unwrap()).unwrap();
        assert!(r.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{r}");
        assert!(r.contains("\"code\":\"request.headers_too_large\""), "{r}");
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 9\r\n\r\n";
        assert!(super::replacement(ours).is_none());
        assert!(super::replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
