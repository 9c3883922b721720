//! The HTTP/1.1 server loop: accepts connections and serves the router on each, with the
//! limits that keep one misbehaving client from starving everyone else.
//!
//! - **Headers** must arrive within `header_timeout`, on a new connection and between
//!   requests of a kept-alive one (hyper's header-read timer), so a client that opens
//!   connections and sends nothing, or a header a byte at a time, is cut off.
//! - **A kept-alive connection** with no request for `idle_timeout` is closed.
//! - **A request body** must arrive within `body_timeout`; a slower one gets a 408 problem.
//! - **At most `max_connections`** are open at once. At the limit a new connection makes
//!   room by closing the connection that has been idle longest (no request in flight);
//!   only when every connection is busy is the new one turned away. So health checks and
//!   real users get in while a flood of idle or half-open connections is held.
//!
//! Shutdown stops accepting, closes idle connections, and lets requests in flight finish
//! (the caller bounds how long).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// How long clients may take, and how many may be connected.
#[derive(Clone, Copy, Debug)]
pub struct ServerLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// The body error a request gets when its body did not arrive within `body_timeout`; the
/// extractors answer it with a 408 problem.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0} seconds")]
pub struct BodyTimedOut(pub u64);

/// One open connection, as the accept loop sees it (a clone shares the same state).
#[derive(Clone)]
struct Slot {
    /// Requests being served on it right now (0 = idle).
    busy: Arc<AtomicUsize>,
    /// When it last became idle (milliseconds since the server started).
    idle_since: Arc<AtomicU64>,
    /// Closes it.
    close: Arc<Notify>,
}

#[derive(Default)]
struct Slots {
    open: HashMap<u64, Slot>,
    next_id: u64,
}

impl Slots {
    /// The idle connection that has waited longest.
    fn longest_idle(&self) -> Option<u64> {
        self.open
            .iter()
            .filter(|(_, slot)| slot.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|(_, slot)| slot.idle_since.load(Ordering::Acquire))
            .map(|(id, _)| *id)
    }
}

/// Serves `router` on `listener` until `stop` turns true, then finishes the requests in
/// flight. Connections' remote addresses reach handlers as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ServerLimits,
    mut stop: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let slots = Arc::new(Mutex::new(Slots::default()));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // Above `middleware::MAX_HEADERS`, so the middleware answers with a problem body.
        .max_headers(4 * crate::middleware::MAX_HEADERS)
        .keep_alive(true);
    let builder = Arc::new(builder);
    let mut connections = tokio::task::JoinSet::new();
    let mut accept_failing = false;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|stop| *stop) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => {
                accept_failing = false;
                accepted
            }
            Err(error) => {
                // Out of file descriptors, most likely: say so once, wait a little, and
                // go on serving the connections already open.
                if !accept_failing {
                    tracing::warn!(%error, "accepting a connection failed");
                    accept_failing = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Some((id, slot)) = admit(&slots, &limits, started) else {
            // Every connection is busy: turn this one away (dropping it closes it).
            metrics::counter!("http_connections_refused_total").increment(1);
            continue;
        };
        let router = router.clone();
        let builder = Arc::clone(&builder);
        let slots = Arc::clone(&slots);
        let stop = stop.clone();
        connections.spawn(async move {
            serve_connection(
                stream, remote, router, &builder, &slot, limits, started, stop,
            )
            .await;
            if let Ok(mut slots) = slots.lock() {
                slots.open.remove(&id);
            }
        });
    }
    // Stop accepting; close idle connections, let busy ones finish their request.
    drop(listener);
    while connections.join_next().await.is_some() {}
}

/// Takes a slot for a new connection, closing the longest-idle one at the limit.
fn admit(slots: &Mutex<Slots>, limits: &ServerLimits, started: Instant) -> Option<(u64, Slot)> {
    let mut slots = slots.lock().ok()?;
    if slots.open.len() >= limits.max_connections {
        let victim = slots.longest_idle()?;
        if let Some(slot) = slots.open.remove(&victim) {
            slot.close.notify_one();
            metrics::counter!("http_connections_evicted_total").increment(1);
        }
    }
    let id = slots.next_id;
    slots.next_id += 1;
    let slot = Slot {
        busy: Arc::new(AtomicUsize::new(0)),
        idle_since: Arc::new(AtomicU64::new(elapsed_ms(started))),
        close: Arc::new(Notify::new()),
    };
    slots.open.insert(id, slot.clone());
    Some((id, slot))
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[allow(clippy::too_many_arguments)]
async fn serve_connection(
    stream: tokio::net::TcpStream,
    remote: SocketAddr,
    router: axum::Router,
    builder: &hyper::server::conn::http1::Builder,
    slot: &Slot,
    limits: ServerLimits,
    started: Instant,
    mut stop: watch::Receiver<bool>,
) {
    let busy = Arc::clone(&slot.busy);
    let idle_since = Arc::clone(&slot.idle_since);
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let router = router.clone();
        let guard = BusyGuard::enter(Arc::clone(&busy), Arc::clone(&idle_since), started);
        async move {
            let (mut parts, body) = request.into_parts();
            parts.extensions.insert(ConnectInfo(remote));
            let body = Body::new(DeadlineBody::new(body, limits.body_timeout));
            let response = router
                .oneshot(Request::from_parts(parts, body))
                .await
                .unwrap_or_else(|never: Infallible| match never {});
            // The connection stays busy until the response body has been sent.
            Ok::<_, Infallible>(response.map(|body| Body::new(GuardedBody { body, guard })))
        }
    });
    // With upgrades: a WebSocket (the assistant's `…/ws`) takes the connection over, and
    // this loop ends when it does (the socket then lives in its own task).
    let connection = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(connection);
    let mut stopping = false;
    let idle_for = || {
        Duration::from_millis(
            elapsed_ms(started).saturating_sub(slot.idle_since.load(Ordering::Acquire)),
        )
    };
    loop {
        let is_idle = slot.busy.load(Ordering::Acquire) == 0;
        // Busy: look again a whole timeout later; idle: when this idle spell runs out.
        let wait = if is_idle {
            limits.idle_timeout.saturating_sub(idle_for())
        } else {
            limits.idle_timeout
        };
        tokio::select! {
            _ = connection.as_mut() => return,
            () = slot.close.notified() => {
                // Evicted while idle: nothing is in flight, so dropping it loses nothing.
                if slot.busy.load(Ordering::Acquire) == 0 {
                    return;
                }
                connection.as_mut().graceful_shutdown();
            }
            _ = stop.wait_for(|stop| *stop), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
            () = tokio::time::sleep(wait) => {
                if slot.busy.load(Ordering::Acquire) == 0 && idle_for() >= limits.idle_timeout {
                    return;
                }
            }
        }
    }
}

/// Counts a request as in flight on its connection until dropped.
struct BusyGuard {
    busy: Arc<AtomicUsize>,
    idle_since: Arc<AtomicU64>,
    started: Instant,
}

impl BusyGuard {
    fn enter(busy: Arc<AtomicUsize>, idle_since: Arc<AtomicU64>, started: Instant) -> BusyGuard {
        busy.fetch_add(1, Ordering::AcqRel);
        BusyGuard {
            busy,
            idle_since,
            started,
        }
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.idle_since
            .store(elapsed_ms(self.started), Ordering::Release);
        self.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its connection counted as busy until it is sent.
struct GuardedBody {
    body: Body,
    guard: BusyGuard,
}

impl hyper::body::Body for GuardedBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let _ = &self.guard;
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A request body that must be complete by a deadline.
struct DeadlineBody {
    body: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
    seconds: u64,
}

impl DeadlineBody {
    fn new(body: Incoming, within: Duration) -> DeadlineBody {
        DeadlineBody {
            body,
            deadline: Box::pin(tokio::time::sleep(within)),
            seconds: within.as_secs(),
        }
    }
}

impl hyper::body::Body for DeadlineBody {
    type Data = bytes::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut(self.seconds)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// True when `error` (or what caused it) is a [`BodyTimedOut`].
pub fn is_body_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<BodyTimedOut>() {
            return true;
        }
        current = error.source();
    }
    false
}
