//! The AI layer. Everything Pursuit asks of a model goes through [`Ai::run`]: a [`Task`]
//! with its data goes down the task kind's provider chain (OpenAI-compatible servers,
//! Anthropic) and always ends at the **local engine** ([`local`]), which answers every task
//! from Pursuit's own readers and rules with no network. Each answer fits the task's JSON
//! schema ([`schema`]) and rules ([`rules`]) — a model's answer that does not is repaired
//! once, then the next provider is tried — and every call is returned as an [`Attempt`]
//! for the call log (tokens, cost, latency, outcome, the prompt's hash).
//!
//! No database here: the call log, the response cache and budgets are `pursuit_app::ai`'s.
//! Model output is data: nothing in this crate acts on it.

pub mod anthropic;
mod chat;
pub mod guard;
pub mod guard_eval;
pub mod guarded;
pub mod layer;
pub mod local;
pub mod openai;
pub mod remote;
pub mod rules;
pub mod schema;
pub mod spam;
pub mod task;

pub use layer::{
    Ai, AiSettings, Answer, Attempt, Context, LOCAL, LOCAL_MODEL, Outcome, OwnProvider,
    ProviderInfo, Routes,
};
pub use remote::{ApiKey, Failure, JsonMode, ProviderKind, ProviderSettings};
pub use task::{Input, Request, Task, TaskKind};

use sha2::{Digest, Sha256};

/// SHA-256 over the parts, each preceded by its length (so no two lists of parts share a
/// digest), as lowercase hex.
pub fn hex_digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
