//! Reading an uploaded spreadsheet export into a header and rows: the text encoding
//! (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text", else Windows-1252), the
//! delimiter (comma, semicolon or tab, read off the header line) and CSV quoting, with the
//! line number each row starts on so problems can be reported against the file.

/// Most rows one import takes.
pub const MAX_ROWS: usize = 10_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub delimiter: char,
    pub headers: Vec<String>,
    /// (line the row starts on, its cells); blank rows are left out.
    pub rows: Vec<(u64, Vec<String>)>,
    /// Notes about the file as a whole (encoding guessed, ragged rows, …).
    pub notes: Vec<String>,
}

/// The file as text. UTF-8 (a BOM is dropped) and UTF-16 with a BOM are read as such; any
/// other bytes are taken as Windows-1252, what Excel writes on Windows, and said so.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), None);
    }
    for (bom, little) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            let units = rest.chunks_exact(2).map(|pair| {
                if little {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            });
            let text = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            return (text, None);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (
            bytes
                .iter()
                .map(|&b| pursuit_text::windows_1252(b))
                .collect(),
            Some("the file is not UTF-8; it was read as Windows-1252 (Excel's default)".to_owned()),
        ),
    }
}

/// The delimiter the header line uses most, outside quotes: `,` (default), `;` or tab.
fn sniff_delimiter(text: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == ','))
        .map(|(d, _)| *d)
        .unwrap_or(',')
}

fn bytecount(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads the header and rows. Errors are for the file as a whole (no header, no rows, too
/// many rows, broken quoting) and say what to do.
pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let (text, encoding_note) = decode(bytes);
    let text = text.trim_start_matches(['\r', '\n']);
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(text.as_bytes());
    let mut notes: Vec<String> = encoding_note.into_iter().collect();
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut ragged = 0usize;
    let bytes_of = text.as_bytes();
    let (mut counted, mut lines_before) = (0usize, 0u64);
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(position) => format!("the file is not valid CSV at line {}", position.line()),
            None => "the file is not valid CSV".to_owned(),
        })?;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        // The reader's own line count lags behind; count the newlines before the row.
        let mut start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        while matches!(bytes_of.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        lines_before += bytecount(&bytes_of[counted.min(start)..start]);
        counted = counted.max(start);
        let line = lines_before + 1;
        if let Some(column) = cells.iter().position(|cell| cell.contains('\0')) {
            let name = headers
                .as_ref()
                .and_then(|h| h.get(column).cloned())
                .unwrap_or_else(|| format!("column {}", column + 1));
            return Err(format!(
                "line {line}, {name}: {}",
                crate::fields::NUL_MESSAGE
            ));
        }
        match &headers {
            None => {
                headers = Some(
                    cells
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            if h.is_empty() {
                                format!("Column {}", i + 1)
                            } else {
                                h.clone()
                            }
                        })
                        .collect(),
                )
            }
            Some(header) => {
                if rows.len() == MAX_ROWS {
                    return Err(format!(
                        "the file has more than {MAX_ROWS} rows; split it and import the parts one by one"
                    ));
                }
                if cells.len() > header.len() && cells[header.len()..].iter().any(|c| !c.is_empty())
                {
                    ragged += 1;
                }
                rows.push((line, cells));
            }
        }
    }
    let Some(headers) = headers else {
        return Err(
            "the file is empty; it needs a header row and one row per application".to_owned(),
        );
    };
    if rows.is_empty() {
        return Err("the file has a header row but no rows under it".to_owned());
    }
    if ragged > 0 {
        notes.push(format!(
            "{ragged} row(s) have more cells than the header has columns; the extra cells were not read"
        ));
    }
    Ok(Table {
        delimiter,
        headers,
        rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_may_hold_delimiters_quotes_and_newlines_and_lines_are_counted() {
        let table = read(
            b"\xEF\xBB\xBFCompany,Role,Notes\r\n\"Acme, Inc.\",Engineer,\"said \"\"hi\"\"\nthen left\"\r\n\r\nGlobex,SRE,\r\n",
        )
        .unwrap();
        assert_eq!(table.headers, ["Company", "Role", "Notes"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].0, 2);
        assert_eq!(table.rows[0].1[0], "Acme, Inc.");
        assert_eq!(table.rows[0].1[2], "said \"hi\"\nthen left");
        assert_eq!(
            table.rows[1].0, 5,
            "the quoted newline and the blank line count"
        );
    }

    #[test]
    fn semicolons_and_tabs_are_recognised_from_the_header() {
        assert_eq!(read(b"Company;Role\nA;B\n").unwrap().delimiter, ';');
        assert_eq!(
            read(b"Company\tRole\nA, Inc.\tB\n").unwrap().rows[0].1,
            ["A, Inc.", "B"]
        );
    }

    #[test]
    fn utf16_and_windows_1252_files_are_read() {
        let text = "Company,Role\nCaf\u{e9} \u{2013} Z\u{fc}rich,Dev\n";
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(read(&utf16).unwrap().rows[0].1[0], "Café – Zürich");
        let cp1252 = b"Company,Role\nCaf\xe9 \x96 Z\xfcrich,Dev\n";
        let table = read(cp1252).unwrap();
        assert_eq!(table.rows[0].1[0], "Café – Zürich");
        assert!(table.notes[0].contains("Windows-1252"));
    }

    #[test]
    fn a_file_without_rows_or_with_too_many_is_refused() {
        assert!(read(b"").unwrap_err().contains("empty"));
        assert!(read(b"Company,Role\n\n").unwrap_err().contains("no rows"));
        let mut big = String::from("Company,Role\n");
        for i in 0..=MAX_ROWS {
            big.push_str(&format!("C{i},R\n"));
        }
        assert!(read(big.as_bytes()).unwrap_err().contains("split it"));
    }

    #[test]
    fn extra_cells_are_reported() {
        let table = read(b"Company,Role\nA,B,stray\nC,D\n").unwrap();
        assert!(table.notes[0].starts_with("1 row(s)"));
    }
}
