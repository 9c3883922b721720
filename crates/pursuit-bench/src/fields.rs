//! Per-field accuracy of resume reading against a truth file written by hand
//! (`pursuit-bench resumes DIR --truth FILE.jsonl`).
//!
//! One JSON object a line: `file` (the path under DIR), `name`, `email`, `phone`, `roles`
//! (each `position`, `employer`, `location`, `start`, `end`) and `education` (each `degree`,
//! `school`, `year`). A field that is `null` or left out means the resume has none, so a
//! reader that fills it is wrong: "no field filled where it has none" is part of every
//! figure. Dates are `YYYY-MM` or `YYYY` (then only the year is compared); an `end` of
//! `"present"` is a current role.
//!
//! The resume's roles are paired with the truth's keeping the order of both, the pairing
//! that makes them most alike (the same start date, then shared words of the position
//! and employer); a truth role left without one has every field wrong, and a role read
//! that pairs with none counts as extra. Education entries are paired the same way, by
//! year, degree and school. Text is compared without case, spacing or end punctuation.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use pursuit_text::resume::Resume;
use serde_json::Value;

/// The truth for one file.
pub struct Truth {
    contacts: [Option<String>; 3],
    roles: Vec<[Option<String>; 5]>,
    education: Vec<[Option<String>; 3]>,
}

const CONTACTS: [&str; 3] = ["name", "email", "phone"];

/// A list of entries in the truth: its key, its fields (the figures' names beside them),
/// and where its dates start (the first date pairs entries, with the first two fields'
/// words).
struct Entries<const N: usize> {
    key: &'static str,
    fields: [&'static str; N],
    names: [&'static str; N],
    first_date: usize,
}

const ROLES: Entries<5> = Entries {
    key: "roles",
    fields: ["position", "employer", "location", "start", "end"],
    names: ["position", "employer", "location", "start", "end"],
    first_date: 3,
};

const EDUCATION: Entries<3> = Entries {
    key: "education",
    fields: ["degree", "school", "year"],
    names: ["degree", "school", "education year"],
    first_date: 2,
};

/// Reads a truth file: file path under the folder → its truth.
pub fn read(path: &Path) -> anyhow::Result<BTreeMap<String, Truth>> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{} line {}", path.display(), i + 1);
        let value: Value = serde_json::from_str(line).with_context(at)?;
        let file = value["file"]
            .as_str()
            .with_context(|| format!("{}: no \"file\"", at()))?
            .to_owned();
        let text_of = |v: &Value, key: &str| -> anyhow::Result<Option<String>> {
            match &v[key] {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                other => anyhow::bail!("{}: \"{key}\" is {other}, not text or null", at()),
            }
        };
        let contacts = [
            text_of(&value, "name")?,
            text_of(&value, "email")?,
            text_of(&value, "phone")?,
        ];
        let truth = Truth {
            contacts,
            roles: entries(&value, &ROLES, &text_of, &at)?,
            education: entries(&value, &EDUCATION, &text_of, &at)?,
        };
        anyhow::ensure!(
            out.insert(file.clone(), truth).is_none(),
            "{}: {file} is given twice",
            at()
        );
    }
    Ok(out)
}

/// The entries of one kind on a truth line (none when the key is null or left out).
fn entries<const N: usize>(
    value: &Value,
    kind: &Entries<N>,
    text_of: &dyn Fn(&Value, &str) -> anyhow::Result<Option<String>>,
    at: &dyn Fn() -> String,
) -> anyhow::Result<Vec<[Option<String>; N]>> {
    let items = match &value[kind.key] {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => anyhow::bail!("{}: \"{}\" is {other}, not a list", at(), kind.key),
    };
    items
        .iter()
        .map(|item| {
            let mut fields: [Option<String>; N] = std::array::from_fn(|_| None);
            for (field, key) in fields.iter_mut().zip(kind.fields) {
                *field = text_of(item, key)?;
            }
            Ok(fields)
        })
        .collect()
}

/// Counts over every file scored.
#[derive(Default)]
pub struct Tally {
    files: usize,
    /// field → (right, total).
    right: BTreeMap<&'static str, (usize, usize)>,
    /// Fields filled where the truth has none.
    filled_where_none: BTreeMap<&'static str, usize>,
    /// Kind of entry → (paired, in the truth), and read entries paired with none.
    found: BTreeMap<&'static str, (usize, usize)>,
    extra: BTreeMap<&'static str, usize>,
    wrong: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, file: &str, truth: &Truth, resume: &Resume) {
        self.files += 1;
        let b = &resume.basics;
        let got = [b.name.clone(), b.email.clone(), b.phone.clone()];
        for (i, field) in CONTACTS.iter().enumerate() {
            let right = if i == 2 {
                digits(got[i].as_deref()) == digits(truth.contacts[i].as_deref())
            } else {
                same_text(got[i].as_deref(), truth.contacts[i].as_deref())
            };
            self.count(file, field, right, got[i].as_deref(), &truth.contacts[i]);
        }
        let roles: Vec<[Option<String>; 5]> = resume
            .work
            .iter()
            .map(|r| {
                [
                    r.position.clone(),
                    r.name.clone(),
                    r.location.clone(),
                    r.start_date.clone(),
                    if r.current {
                        Some("present".to_owned())
                    } else {
                        r.end_date.clone()
                    },
                ]
            })
            .collect();
        self.add_entries(file, &ROLES, &truth.roles, &roles);
        let education: Vec<[Option<String>; 3]> = resume
            .education
            .iter()
            .map(|e| {
                [
                    e.study_type.clone(),
                    e.institution.clone(),
                    e.end_date.clone(),
                ]
            })
            .collect();
        self.add_entries(file, &EDUCATION, &truth.education, &education);
    }

    fn add_entries<const N: usize>(
        &mut self,
        file: &str,
        kind: &Entries<N>,
        wanted: &[[Option<String>; N]],
        read: &[[Option<String>; N]],
    ) {
        let (paired, extra) = pair(wanted, read, kind.first_date, &[0, 1]);
        let found = self.found.entry(kind.key).or_default();
        found.0 += paired.iter().filter(|p| p.is_some()).count();
        found.1 += wanted.len();
        *self.extra.entry(kind.key).or_default() += extra;
        for (want, got) in wanted.iter().zip(&paired) {
            for (i, name) in kind.names.iter().enumerate() {
                let got = got.and_then(|g| read[g][i].as_deref());
                let right = if i >= kind.first_date {
                    same_date(got, want[i].as_deref())
                } else {
                    same_text(got, want[i].as_deref())
                };
                self.count(file, name, right, got, &want[i]);
            }
        }
    }

    fn count(
        &mut self,
        file: &str,
        field: &'static str,
        right: bool,
        got: Option<&str>,
        want: &Option<String>,
    ) {
        let entry = self.right.entry(field).or_default();
        entry.1 += 1;
        if right {
            entry.0 += 1;
            return;
        }
        if want.is_none() {
            *self.filled_where_none.entry(field).or_default() += 1;
        }
        self.wrong.push(format!(
            "{file}: {field} {:?}, expected {:?}",
            got.unwrap_or(""),
            want.as_deref().unwrap_or("")
        ));
    }

    pub fn print(&self, show: bool) {
        if self.files == 0 {
            println!("no file of the truth was read");
            return;
        }
        println!("fields on {} files with truth:", self.files);
        let (mut right, mut total) = (0, 0);
        for field in CONTACTS.iter().chain(&ROLES.names).chain(&EDUCATION.names) {
            let Some((r, t)) = self.right.get(field) else {
                continue;
            };
            right += r;
            total += t;
            println!(
                "  {field:<15} {r:>4}/{t:<4} {:>5.1}%   filled where none: {}",
                100.0 * *r as f64 / (*t).max(1) as f64,
                self.filled_where_none.get(field).copied().unwrap_or(0)
            );
        }
        for (kind, (paired, all)) in &self.found {
            let extra = self.extra.get(kind).copied().unwrap_or(0);
            println!("  {kind} found {paired}/{all}, extra {extra}");
        }
        println!(
            "  all fields {right}/{total} ({:.1}%)",
            100.0 * right as f64 / total.max(1) as f64
        );
        if show {
            for line in &self.wrong {
                println!("  wrong: {line}");
            }
        }
    }
}

/// Pairs each wanted entry with a read one, keeping both orders (see the module's note):
/// the read entry's index or `None`, and how many read entries paired with nothing.
/// `date`: the field compared as a date; `words`: the fields whose words count.
fn pair<const N: usize>(
    wanted: &[[Option<String>; N]],
    read: &[[Option<String>; N]],
    date: usize,
    words: &[usize],
) -> (Vec<Option<usize>>, usize) {
    // How alike two entries are: the same date counts most, then the share of words.
    let alike = |want: &[Option<String>; N], got: &[Option<String>; N]| {
        let mut score = 0.0;
        if want[date].is_some() && same_date(got[date].as_deref(), want[date].as_deref()) {
            score += 2.0;
        }
        for &i in words {
            let (a, b) = (tokens(want[i].as_deref()), tokens(got[i].as_deref()));
            let shared = a.iter().filter(|w| b.contains(w)).count();
            let all = a.len() + b.len() - shared;
            if shared > 0 {
                score += shared as f64 / all as f64;
            }
        }
        score
    };
    // The best pairing in order: `best[i][j]` over wanted[i..] and read[j..].
    let (n, m) = (wanted.len(), read.len());
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let here = alike(&wanted[i], &read[j]);
            let take = if here > 0.0 {
                here + best[i + 1][j + 1]
            } else {
                0.0
            };
            best[i][j] = take.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = alike(&wanted[i], &read[j]);
        if here > 0.0 && best[i][j] == here + best[i + 1][j + 1] {
            out[i] = Some(j);
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let extra = m - out.iter().filter(|p| p.is_some()).count();
    (out, extra)
}

fn tokens(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn normalised(text: Option<&str>) -> String {
    let text = text.unwrap_or("");
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .to_lowercase()
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != ')' && c != '.')
        .trim_end_matches(['.', ','])
        .trim()
        .to_owned()
}

fn same_text(got: Option<&str>, want: Option<&str>) -> bool {
    normalised(got) == normalised(want)
}

/// Dates agree to the precision the truth gives (a year, or a year and month).
fn same_date(got: Option<&str>, want: Option<&str>) -> bool {
    match (got, want) {
        (None, None) => true,
        (Some(g), Some(w)) if w.len() == 4 => g.get(..4) == Some(w),
        (Some(g), Some(w)) => g == w,
        _ => false,
    }
}

/// A phone's last ten digits (none when it has none).
fn digits(phone: Option<&str>) -> String {
    let d: String = phone
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    d[d.len().saturating_sub(10)..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(position: &str, employer: &str, start: &str) -> [Option<String>; 5] {
        [
            Some(position.to_owned()),
            Some(employer.to_owned()),
            None,
            Some(start.to_owned()),
            None,
        ]
    }

    #[test]
    fn roles_pair_in_order_by_date_and_shared_words() {
        // Every role shares the employer placeholder: a role the reader missed must not
        // shift the pairing of the others.
        let wanted = [
            role("Flight Attendant", "Company Name", "2013-10"),
            role("Personal Trainer", "Company Name", "2011-09"),
            role("Clerk", "Company Name", "2005-03"),
        ];
        let read = [
            role("Personal Trainer", "Company Name", "2011-09"),
            role("Store clerk", "Company Name", "2005-01"),
            role("Cook", "Diner", "2001-01"),
        ];
        let (paired, extra) = pair(&wanted, &read, 3, &[0, 1]);
        assert_eq!(paired, vec![None, Some(0), Some(1)]);
        assert_eq!(extra, 1);
    }

    #[test]
    fn fields_compare_without_case_spacing_or_end_punctuation() {
        assert!(same_text(Some("  Sales   manager,"), Some("Sales Manager")));
        assert!(same_text(None, None));
        assert!(!same_text(Some("Company Name"), None));
        assert!(same_date(Some("2019-04"), Some("2019")));
        assert!(!same_date(Some("2019-04"), Some("2019-05")));
        assert!(!same_date(None, Some("present")));
        assert_eq!(digits(Some("+1 (555) 010-2345")), "5550102345");
    }
}
