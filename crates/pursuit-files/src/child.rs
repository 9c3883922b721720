//! Reading an untrusted file in a child process that the operating system holds to a memory
//! and CPU budget.
//!
//! A thread can catch a panic and be abandoned at a deadline, but it cannot be stopped: a
//! PDF whose streams inflate without end (a "bomb") keeps allocating after the deadline, and
//! the out-of-memory killer then takes the whole server — web and worker — with it. A child
//! process can be stopped. The parent ([`read`]) starts `program __read-file`, writes a
//! one-line JSON [`Request`] and the file's bytes to its standard input, and reads one JSON
//! [`Answer`] from its standard output. The child ([`main`]) first lowers its own limits
//! (`RLIMIT_AS` to the memory budget, `RLIMIT_CPU` to the time budget, no core files), then
//! reads the file on its main thread. If it goes over a limit the kernel ends it; if it is
//! still running at the deadline the parent kills it. Either way the parent answers with an
//! [`ExtractError`] written for the user, and the server never shares the child's fate.
//!
//! How many children run at once is bounded by the number of cores, so four bombs uploaded
//! together cost at most `cores × memory budget` and leave the request threads free.

use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use crate::extract::{ExtractError, Extracted, Format, Limits};

/// The argument that makes the `pursuit` binary act as a reader child.
pub const CHILD_ARG: &str = "__read-file";

/// How untrusted files are read.
#[derive(Clone, Debug, Default)]
pub enum Isolation {
    /// On a thread of this process (panics caught, deadline checked): for the command line,
    /// where the user reads their own file, and for benchmarks.
    #[default]
    Thread,
    /// In a child process with its own memory and CPU limits: for the server and worker.
    Process(ChildReader),
}

/// The child process a server reads files with.
#[derive(Clone, Debug)]
pub struct ChildReader {
    /// A program that calls [`main`] when its first argument is [`CHILD_ARG`] (the `pursuit`
    /// binary itself).
    pub program: PathBuf,
    /// The most address space the child may use, in bytes (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// The child's whole environment (it starts from an empty one): what the program needs
    /// to run inside `memory_bytes`, such as its allocator's settings.
    pub environment: Vec<(String, String)>,
}

/// What the parent asks for, on the first line of the child's standard input.
#[derive(Serialize, Deserialize)]
struct Request {
    format: Format,
    limits: Limits,
    memory_bytes: u64,
    /// How many bytes of the file follow the line.
    len: usize,
}

/// What the child answers on its standard output.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Answer {
    Read(Extracted),
    Failed(ExtractError),
}

/// At most one child per core reads at a time; the others wait their turn.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        Semaphore::new(
            std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(2),
        )
    })
}

/// Reads `bytes` as `format` in a child process.
pub async fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    reader: &ChildReader,
) -> Result<Extracted, ExtractError> {
    if bytes.len() > limits.max_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let _slot = slots().acquire().await.map_err(|_| ExtractError::Crashed)?;
    let mut child = tokio::process::Command::new(&reader.program)
        .arg(CHILD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_clear()
        .envs(reader.environment.iter().map(|(k, v)| (k, v)))
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| {
            tracing::error!(%error, program = %reader.program.display(), "cannot start the file reader");
            ExtractError::Crashed
        })?;
    let request = Request {
        format,
        limits: *limits,
        memory_bytes: reader.memory_bytes,
        len: bytes.len(),
    };
    let mut header = serde_json::to_vec(&request).map_err(|_| ExtractError::Crashed)?;
    header.push(b'\n');
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(ExtractError::Crashed);
    };
    // The answer holds at most `max_chars` of text (up to 4 bytes each, escaped) plus the
    // hidden-text samples; anything longer is not an answer this child should give.
    let answer_limit = (limits.max_chars as u64) * 8 + 1024 * 1024;
    let work = async {
        // A child that dies early closes its input: what it says on stderr tells why.
        let write = async {
            let _ = stdin.write_all(&header).await;
            let _ = stdin.write_all(bytes).await;
            drop(stdin);
        };
        let mut answer = Vec::new();
        let mut complaint = Vec::new();
        let mut stdout = (&mut stdout).take(answer_limit);
        let mut stderr = (&mut stderr).take(16 * 1024);
        let ((), answered, _) = tokio::join!(
            write,
            stdout.read_to_end(&mut answer),
            stderr.read_to_end(&mut complaint)
        );
        let status = child.wait().await;
        (answered.map(|_| answer), complaint, status)
    };
    let deadline = limits.max_time + Duration::from_secs(1);
    let Ok((answer, complaint, status)) = tokio::time::timeout(deadline, work).await else {
        // `kill_on_drop` ends the child when `child` goes out of scope; say so now.
        let _ = child.start_kill();
        return Err(ExtractError::TimedOut(limits.max_time.as_secs().max(1)));
    };
    match (answer, status) {
        (Ok(answer), Ok(status)) if status.success() => {
            match serde_json::from_slice::<Answer>(&answer) {
                Ok(Answer::Read(extracted)) => Ok(extracted),
                Ok(Answer::Failed(error)) => Err(error),
                Err(_) => Err(ExtractError::Crashed),
            }
        }
        (_, status) => Err(why_it_died(status.ok(), &complaint, limits, reader)),
    }
}

/// Turns a child's abnormal end into the error the user reads.
fn why_it_died(
    status: Option<std::process::ExitStatus>,
    complaint: &[u8],
    limits: &Limits,
    reader: &ChildReader,
) -> ExtractError {
    let complaint = String::from_utf8_lossy(complaint);
    #[cfg(unix)]
    let signal = {
        use std::os::unix::process::ExitStatusExt;
        status.and_then(|s| s.signal())
    };
    #[cfg(not(unix))]
    let signal: Option<i32> = None;
    // Rust prints "memory allocation of N bytes failed" before aborting; a failed
    // allocation in a C library or a huge stack shows as SIGSEGV/SIGABRT with less to say.
    if complaint.contains("memory allocation of") || complaint.contains("capacity overflow") {
        return ExtractError::TooDemanding {
            memory_mb: reader.memory_bytes / (1024 * 1024),
        };
    }
    // SIGXCPU (24) at the soft CPU limit, SIGKILL (9) at the hard one.
    if matches!(signal, Some(24 | 9)) {
        return ExtractError::TimedOut(limits.max_time.as_secs().max(1));
    }
    tracing::warn!(
        status = ?status,
        stderr = %complaint.chars().take(500).collect::<String>(),
        "a file reader process ended abnormally"
    );
    ExtractError::Crashed
}

/// The child's side: lower the limits, read standard input, answer on standard output.
/// Call it from `main` before anything else starts (no async runtime, no threads), so the
/// address-space limit is spent on the file alone.
pub fn main() -> ExitCode {
    use std::io::{BufRead, Read, Write};

    let mut input = std::io::stdin().lock();
    let mut line = Vec::new();
    if input.read_until(b'\n', &mut line).is_err() {
        return ExitCode::FAILURE;
    }
    let Ok(request) = serde_json::from_slice::<Request>(&line) else {
        eprintln!("the reader's request is not valid JSON");
        return ExitCode::FAILURE;
    };
    if let Err(error) = limit_self(&request) {
        eprintln!("cannot set the reader's limits: {error}");
        return ExitCode::FAILURE;
    }
    if request.len > request.limits.max_bytes {
        return answer(&Answer::Failed(ExtractError::TooLarge {
            size: request.len,
            limit: request.limits.max_bytes,
        }));
    }
    let mut bytes = Vec::with_capacity(request.len);
    if input
        .take(request.len as u64)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    let result = std::panic::catch_unwind(|| {
        crate::extract::extract(&bytes, request.format, &request.limits)
    })
    .unwrap_or(Err(ExtractError::Crashed));
    let code = answer(&match result {
        Ok(extracted) => Answer::Read(extracted),
        Err(error) => Answer::Failed(error),
    });
    let _ = std::io::stdout().flush();
    code
}

fn answer(answer: &Answer) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, answer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

#[cfg(target_os = "linux")]
fn limit_self(request: &Request) -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let cpu = request.limits.max_time.as_secs().max(1) + 1;
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(request.memory_bytes),
            maximum: Some(request.memory_bytes),
        },
    )?;
    setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(cpu),
            maximum: Some(cpu + 1),
        },
    )?;
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )?;
    Ok(())
}

/// Elsewhere only the parent's deadline holds the child.
#[cfg(not(target_os = "linux"))]
fn limit_self(_request: &Request) -> std::io::Result<()> {
    Ok(())
}
