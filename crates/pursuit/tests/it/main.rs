//! Integration tests of the whole application: one test binary, modules by feature.
//! Most tests run twice, on SQLite and on PostgreSQL (see `helpers::both_backends!`).

// Test helpers may unwrap: a failure there is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod helpers;

mod ai;
mod applications;
mod auth;
mod browser;
mod chat;
mod cli;
mod companies;
mod contacts;
mod database;
mod delivery;
mod discovery;
mod documents;
mod faults;
mod imports;
mod matching;
mod offers;
mod oidc;
mod outreach;
mod own_providers;
mod pages;
mod platform;
mod postings;
mod preferences;
mod profile;
mod provider_events;
mod queue;
mod replies;
mod resumes;
mod sequences;
mod similarity;
mod templates;
mod tenancy;
mod tour;
mod warmup;
mod writing;
