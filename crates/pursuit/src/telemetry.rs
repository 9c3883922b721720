//! Log output: human-readable lines by default, JSON with `--log-format json`; both to
//! stderr, so stdout carries only what a command prints for its user (a URL, a token).
//!
//! Lines are handed to a writer thread of their own and written in batches: a request no
//! longer waits on a `write(2)` to stderr (one per request cost a fifth of `/healthz`'s
//! throughput), and a stderr pipe nobody reads slows only the logger. The channel is bounded
//! and a full one makes the caller wait rather than drop lines. [`flush`] writes out what is
//! queued; `main` calls it before the process exits.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::LogFormat;

/// Lines waiting for the writer thread before loggers wait for it.
const QUEUED_LINES: usize = 16 * 1024;

enum Message {
    Line(Vec<u8>),
    /// Write out everything before this, then answer.
    Flush(SyncSender<()>),
}

static WRITER: OnceLock<Mutex<SyncSender<Message>>> = OnceLock::new();

fn writer() -> &'static Mutex<SyncSender<Message>> {
    WRITER.get_or_init(|| {
        let (sender, receiver) = sync_channel(QUEUED_LINES);
        let spawned = std::thread::Builder::new()
            .name("pursuit-log".into())
            .spawn(move || write_lines(&receiver));
        if spawned.is_err() {
            eprintln!("cannot start the log writer thread; log lines are lost");
        }
        Mutex::new(sender)
    })
}

fn write_lines(receiver: &Receiver<Message>) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    while let Ok(message) = receiver.recv() {
        let mut next = Some(message);
        // Take what is queued, then flush once for the batch.
        while let Some(message) = next.take() {
            match message {
                Message::Line(line) => {
                    let _ = out.write_all(&line);
                }
                Message::Flush(done) => {
                    let _ = out.flush();
                    let _ = done.send(());
                }
            }
            next = receiver.try_recv().ok();
        }
        let _ = out.flush();
    }
}

/// Collects one event's bytes and queues them as a line when dropped.
pub struct LineWriter {
    line: Vec<u8>,
}

impl Write for LineWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        if self.line.is_empty() {
            return;
        }
        let line = std::mem::take(&mut self.line);
        SENDER.with(|sender| {
            let _ = sender.send(Message::Line(line));
        });
    }
}

thread_local! {
    /// Each thread's handle on the channel, so logging takes no lock.
    static SENDER: SyncSender<Message> = writer()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
}

/// The `MakeWriter` of the subscriber: one [`LineWriter`] per event.
pub struct QueuedStderr;

impl<'a> MakeWriter<'a> for QueuedStderr {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter {
            line: Vec::with_capacity(256),
        }
    }
}

/// Writes out every queued line (waiting at most two seconds).
pub fn flush() {
    let Some(writer) = WRITER.get() else {
        return;
    };
    let (done, wait) = sync_channel(1);
    let sender = writer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if sender.send(Message::Flush(done)).is_ok() {
        let _ = wait.recv_timeout(Duration::from_secs(2));
    }
}

/// Installs the global subscriber. `RUST_LOG`, when set, wins over the configured level so
/// an operator can turn on debugging without editing the config.
pub fn init(format: LogFormat, level: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(QueuedStderr);
    // try_init: a second call (tests build several apps in one process) is a no-op.
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
}
