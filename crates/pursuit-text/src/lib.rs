//! Resumes and job postings read and understood: pure text work (no network, no files, no
//! database), so that everything here is a function of its input and builds fast. Pages are
//! fetched by `pursuit_files::fetch`, remote embeddings called by `pursuit-embed`.

pub mod boards;
pub mod dates;
pub mod embed;
pub mod html;
pub mod lang;
pub mod letter;
pub mod links;
pub mod matching;
pub mod occupations;
pub mod optimize;
pub mod pitch;
pub mod placeholders;
pub mod posting;
pub mod replies;
pub mod research;
pub mod resume;
pub mod robots;
pub mod salary;
pub mod skills;
pub mod tailor;
pub mod title_words;
