//! Pursuit's use cases, below the HTTP edge: what the web app, the worker, the CLI and every
//! later caller (GraphQL, MCP) ask of the tracker. A use case takes the database (and what
//! else it needs) and the acting user's id, runs its transaction, plans the jobs that follow
//! from it in that transaction, and returns its own result; it knows nothing of HTTP or of
//! how jobs are run.
//!
//! # Layout (by feature)
//! - [`ai`]: AI tasks run through the layer with the user's settings, budget, cache and
//!   own providers; the call log, the month's cost, the truthfulness guard over a text.
//! - [`secrets`]: secrets sealed under the instance's key before they are stored (a
//!   user's own provider keys).
//! - [`accounts`]: settings and API tokens, each change with its audit entry
//!   ([`accounts::Origin`]).
//! - [`applications`]: reading an application's fields (`apply`); create, change and
//!   delete applications, with the reminder rules and jobs that follow.
//! - [`board`]: order within a board column (a card next to another, at an end, one place
//!   up or down).
//! - [`activities`]: an application's notes, calls and interviews; an interview's reminders
//!   and invites follow it.
//! - [`contacts`]: the people on an application as rows (name, role, email, phone,
//!   LinkedIn, time zone), read from and checked into `contacts_inline`.
//! - [`calendar`]: calendar events of activities and reminders, the calendar feed; the
//!   `calendar.invites` job and the helpers that plan it when an activity or application
//!   changes.
//! - [`embeddings`]: a document's chunks and vectors, stored per representation
//!   (`ensure`), the `embed.document` job and its enqueue helper.
//! - [`matching`]: the resume version to match, a posting's read fields, and postings
//!   ranked against a read version (off the async threads, one query per page).
//! - [`postings`]: adding a job posting (pasted or fetched), reading it again, recording
//!   a read, each saved to the tracker as a `Saved` application.
//! - [`documents`]: a CV tailored to a posting from the user's own material, checked by
//!   the truthfulness guard; export waits until every claim is supported or confirmed.
//! - [`preferences`]: job preferences read into normalised values, and their tags.
//! - [`profile`]: the profile and projects, typed or imported (active resume version, JSON
//!   Resume) without overwriting what the user wrote.
//! - [`mail`]: the `mail.send` job's payload.
//! - [`reminders`]: custom reminders, the default rules of a status or an interview, the
//!   `reminder.dispatch` scan, the `reminder.deliver` jobs it plans, and
//!   the hand-over a write uses for a reminder due within the scan's lookahead.
//! - [`resumes`]: the `resume.parse` job's payload, recording a read (one shape of hidden
//!   text whoever read it), corrections laid over the parse.
//! - [`filters`]: the application list's filters, one set of rules for saved views, the
//!   board's filter bar and query strings.
//! - [`fields`]: reading JSON fields into typed values, every invalid one named.
//! - [`imports`]: spreadsheet exports read into a plan, previewed, committed once.
//! - [`views`]: saved views (named list filters).
//! - [`error`]: [`AppError`], what a use case answers when it does not do what was asked.
//!
//! Job payloads live here, with the code that enqueues them; `pursuit-worker` runs them.
//! `pursuit-web` and `pursuit-worker` both depend on this crate and never on each other.

pub mod accounts;
pub mod activities;
pub mod ai;
pub mod applications;
pub mod board;
pub mod calendar;
pub mod campaigns;
pub mod chat;
pub mod companies;
pub mod contacts;
pub mod discovery;
pub mod documents;
pub mod email_events;
pub mod embeddings;
pub mod error;
pub mod feedback;
pub mod fields;
pub mod filters;
pub mod imports;
pub mod mail;
pub mod mailboxes;
pub mod matching;
pub mod offers;
pub mod optimizations;
pub mod outreach;
pub mod outreach_analytics;
pub mod postings;
pub mod preferences;
pub mod profile;
pub mod reminders;
pub mod replies;
pub mod resumes;
pub mod secrets;
pub mod sending_domain;
pub mod sequences;
pub mod summaries;
pub mod tasks;
pub mod views;
pub mod warmup;
pub mod writing;

pub use error::{AppError, Current, Invalid, Precondition};
