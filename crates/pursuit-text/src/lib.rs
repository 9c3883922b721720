//! Documents in: resumes and job postings, read and understood (issue 8). So far: [`fetch`],
//! the SSRF-safe fetcher every outbound request on a user's behalf goes through.

pub mod dates;
pub mod embed;
pub mod fetch;
pub mod html;
pub mod lang;
pub mod matching;
pub mod occupations;
pub mod posting;
pub mod resume;
pub mod salary;
pub mod skills;
pub mod title_words;
