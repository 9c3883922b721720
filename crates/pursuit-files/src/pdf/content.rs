//! A tokenizer for content streams and CMaps: operands (numbers, names, strings, array
//! brackets) up to each operator, into buffers reused from one operator to the next.
//! Dictionaries (marked-content properties) are skipped whole; inline image data is
//! jumped over.

/// The most operands kept for one operator; a stream with more before an operator keeps
/// the first ones (a `TJ` array of that many pieces is not text anyone drew by hand).
const MAX_OPERANDS: usize = 65_536;

/// Bytes that end a token: white space (PDF's, with NUL) and the delimiters.
static DELIMITERS: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let set = b"\0\t\n\x0c\r ()<>[]{}/%";
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
};

/// One operand. Strings are ranges into [`Tokens::strings`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Operand {
    Number(f64),
    /// A name, as a range into the stream (without the slash; `#xx` escapes kept).
    Name(usize, usize),
    /// A string's bytes, as a range into [`Tokens::strings`].
    Str(usize, usize),
    Open,
    Close,
}

pub(super) struct Tokens<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The operands of the operator last returned.
    pub(super) operands: Vec<Operand>,
    /// The bytes of the strings among them.
    pub(super) strings: Vec<u8>,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Tokens<'a> {
        Tokens {
            bytes,
            at: 0,
            operands: Vec::new(),
            strings: Vec::new(),
        }
    }

    pub(super) fn string(&self, start: usize, end: usize) -> &[u8] {
        &self.strings[start..end]
    }

    pub(super) fn name(&self, start: usize, end: usize) -> &'a [u8] {
        &self.bytes[start..end]
    }

    /// The operand at `index` as a number.
    pub(super) fn number(&self, index: usize) -> Option<f64> {
        match self.operands.get(index)? {
            Operand::Number(value) => Some(*value),
            _ => None,
        }
    }

    /// The last `N` operands as numbers, when they all are.
    pub(super) fn last_numbers<const N: usize>(&self) -> Option<[f64; N]> {
        let start = self.operands.len().checked_sub(N)?;
        let mut out = [0.0; N];
        for (slot, operand) in out.iter_mut().zip(&self.operands[start..]) {
            let Operand::Number(value) = operand else {
                return None;
            };
            *slot = *value;
        }
        Some(out)
    }

    /// The first name among the operands.
    pub(super) fn first_name(&self) -> Option<&'a [u8]> {
        self.operands.iter().find_map(|operand| match operand {
            Operand::Name(start, end) => Some(self.name(*start, *end)),
            _ => None,
        })
    }

    fn is_delimiter(b: u8) -> bool {
        DELIMITERS[b as usize]
    }

    fn push(&mut self, operand: Operand) {
        if self.operands.len() < MAX_OPERANDS {
            self.operands.push(operand);
        }
    }

    /// A literal string `( … )` starting at `self.at`, with nesting and escapes.
    fn literal(&mut self, keep: bool) {
        let start = self.strings.len();
        let mut depth = 0usize;
        while self.at < self.bytes.len() {
            // A run of plain bytes is taken whole.
            let plain = self.bytes[self.at..]
                .iter()
                .position(|b| matches!(b, b'(' | b')' | b'\\'))
                .unwrap_or(self.bytes.len() - self.at);
            if plain > 0 {
                if keep {
                    self.strings
                        .extend_from_slice(&self.bytes[self.at..self.at + plain]);
                }
                self.at += plain;
                continue;
            }
            let b = self.bytes[self.at];
            self.at += 1;
            let out = match b {
                b'(' => {
                    depth += 1;
                    if depth == 1 {
                        continue;
                    }
                    b
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    b
                }
                b'\\' => {
                    let Some(&next) = self.bytes.get(self.at) else {
                        break;
                    };
                    self.at += 1;
                    match next {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'f' => 12,
                        b'0'..=b'7' => {
                            let mut value = u32::from(next - b'0');
                            for _ in 0..2 {
                                match self.bytes.get(self.at) {
                                    Some(&d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            (value & 0xFF) as u8
                        }
                        b'\r' => {
                            // A line continuation: the backslash and the line end vanish.
                            if self.bytes.get(self.at) == Some(&b'\n') {
                                self.at += 1;
                            }
                            continue;
                        }
                        b'\n' => continue,
                        other => other,
                    }
                }
                _ => b,
            };
            if keep {
                self.strings.push(out);
            }
        }
        if keep {
            let end = self.strings.len();
            self.push(Operand::Str(start, end));
        }
    }

    /// A hex string `< … >` starting at `self.at`.
    fn hex(&mut self, keep: bool) {
        self.at += 1;
        let start = self.strings.len();
        let mut high = None;
        while self.at < self.bytes.len() && self.bytes[self.at] != b'>' {
            if let Some(d) = (self.bytes[self.at] as char).to_digit(16) {
                match high.take() {
                    None => high = Some(d as u8),
                    Some(h) => {
                        if keep {
                            self.strings.push(h * 16 + d as u8);
                        }
                    }
                }
            }
            self.at += 1;
        }
        self.at += 1;
        if let Some(h) = high
            && keep
        {
            self.strings.push(h * 16);
        }
        if keep {
            let end = self.strings.len();
            self.push(Operand::Str(start, end));
        }
    }

    /// Reads up to the next operator and returns it, its operands in `self.operands`.
    pub(super) fn next_operator(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.strings.clear();
        // A copy of the slice, so the loop does not read it back through `self`.
        let bytes = self.bytes;
        let mut dictionaries = 0usize;
        while let Some(&b) = bytes.get(self.at) {
            let keep = dictionaries == 0;
            match b {
                _ if b.is_ascii_whitespace() => {
                    self.at = skip_while(bytes, self.at + 1, |b| b.is_ascii_whitespace());
                }
                b'%' => self.at = skip_while(bytes, self.at, |b| b != b'\r' && b != b'\n'),
                b'(' => self.literal(keep),
                b'<' if bytes.get(self.at + 1) == Some(&b'<') => {
                    dictionaries += 1;
                    self.at += 2;
                }
                b'>' if bytes.get(self.at + 1) == Some(&b'>') => {
                    dictionaries = dictionaries.saturating_sub(1);
                    self.at += 2;
                }
                b'<' => self.hex(keep),
                b'[' | b']' => {
                    self.at += 1;
                    if keep {
                        self.push(if b == b'[' {
                            Operand::Open
                        } else {
                            Operand::Close
                        });
                    }
                }
                b'/' => {
                    let start = self.at + 1;
                    self.at = skip_while(bytes, start, |b| !Self::is_delimiter(b));
                    if keep {
                        self.push(Operand::Name(start, self.at));
                    }
                }
                _ => {
                    let start = self.at;
                    self.at = skip_while(bytes, start, |b| !Self::is_delimiter(b));
                    if self.at == start {
                        self.at += 1; // a stray delimiter
                        continue;
                    }
                    let token = &bytes[start..self.at];
                    if let Some(value) = number(token) {
                        if keep {
                            self.push(Operand::Number(value));
                        }
                        continue;
                    }
                    if !keep || token == b"true" || token == b"false" || token == b"null" {
                        continue;
                    }
                    if token == b"ID" {
                        // Inline image data runs to a whitespace-delimited `EI`.
                        while self.at + 2 < bytes.len()
                            && !(bytes[self.at].is_ascii_whitespace()
                                && &bytes[self.at + 1..self.at + 3] == b"EI"
                                && bytes
                                    .get(self.at + 3)
                                    .is_none_or(|b| Self::is_delimiter(*b)))
                        {
                            self.at += 1;
                        }
                        self.at = (self.at + 3).min(bytes.len());
                        self.operands.clear();
                        self.strings.clear();
                        continue;
                    }
                    return Some(token);
                }
            }
        }
        None
    }
}

/// Where the run of bytes from `from` that `keep` holds for ends.
fn skip_while(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| !keep(b)))
        .map_or(bytes.len(), |n| from + n)
}

/// A PDF number (`-12`, `.5`, `+3.25`); `None` for anything else.
pub(super) fn number(token: &[u8]) -> Option<f64> {
    let (negative, digits) = match token.first()? {
        b'-' => (true, &token[1..]),
        b'+' => (false, &token[1..]),
        _ => (false, token),
    };
    let mut value = 0f64;
    let mut scale = 0f64;
    let mut any = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                any = true;
                if scale == 0.0 {
                    value = value * 10.0 + f64::from(c - b'0');
                } else {
                    value += f64::from(c - b'0') * scale;
                    scale /= 10.0;
                }
            }
            b'.' if scale == 0.0 => scale = 0.1,
            _ => return None,
        }
    }
    let value = if negative { -value } else { value };
    (any && value.is_finite()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operators(content: &[u8]) -> Vec<(String, Vec<Operand>, Vec<u8>)> {
        let mut tokens = Tokens::new(content);
        let mut out = Vec::new();
        while let Some(op) = tokens.next_operator() {
            out.push((
                String::from_utf8_lossy(op).into_owned(),
                tokens.operands.clone(),
                tokens.strings.clone(),
            ));
        }
        out
    }

    #[test]
    fn reads_operators_with_their_operands() {
        let content =
            b"% a comment (not a string)\nq 1 1 1 rg /F1 12 Tf [(Ig) -250 (nore) 40 <7321>] TJ \
            BI /W 2 /H 2 ID \x00\xff)(EI junk\n EI (a\\(b\\)c\\101\\\nd) Tj 3 Tr \
            /Span <</ActualText (x) /MCID 3>> BDC <41 1> Tj Q";
        let ops = operators(content);
        let names: Vec<&str> = ops.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(
            names,
            ["q", "rg", "Tf", "TJ", "BI", "Tj", "Tr", "BDC", "Tj", "Q"]
        );
        assert_eq!(ops[1].1, [Operand::Number(1.0); 3]);
        assert_eq!(ops[2].1[1], Operand::Number(12.0));
        assert!(matches!(ops[2].1[0], Operand::Name(_, _)));
        assert_eq!(
            ops[3].1,
            [
                Operand::Open,
                Operand::Str(0, 2),
                Operand::Number(-250.0),
                Operand::Str(2, 6),
                Operand::Number(40.0),
                Operand::Str(6, 8),
                Operand::Close
            ]
        );
        assert_eq!(ops[3].2, b"Ignores!");
        assert_eq!(ops[5].2, b"a(b)cAd");
        assert_eq!(ops[6].1, [Operand::Number(3.0)]);
        // The dictionary's string is not an operand.
        assert_eq!(ops[7].1.len(), 1);
        assert_eq!(ops[8].2, [0x41, 0x10]);
    }

    #[test]
    fn numbers() {
        assert_eq!(number(b"-.5"), Some(-0.5));
        assert_eq!(number(b"+12.25"), Some(12.25));
        assert_eq!(number(b"1.2.3"), None);
        assert_eq!(number(b"-"), None);
        assert_eq!(number(b"Tf"), None);
    }
}
