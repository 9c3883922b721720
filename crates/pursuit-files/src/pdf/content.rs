//! A tokenizer for content streams and CMaps: operands (numbers, names, strings, array
//! brackets) up to each operator, into buffers reused from one operator to the next.
//! Dictionaries (marked-content properties) are skipped whole; inline image data is
//! jumped over.

/// The most operands kept for one operator; a stream with more before an operator keeps
/// the first ones (a `TJ` array of that many pieces is not text anyone drew by hand).
const MAX_OPERANDS: usize = 65_536;

/// Bytes that end a token: white space (PDF's, with NUL) and the delimiters.
static DELIMITERS: [bool; 256] = byte_set(b"\0\t\n\x0c\r ()<>[]{}/%");

/// PDF's white space: space, tab, line feed, form feed, carriage return and NUL.
static WHITE_SPACE: [bool; 256] = byte_set(b"\0\t\n\x0c\r ");

/// A table of the bytes in `set`.
const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
}

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

    fn push(&mut self, operand: Operand) {
        if self.operands.len() < MAX_OPERANDS {
            self.operands.push(operand);
        }
    }

    /// The string read into `self.strings` from `start` as an operand, when kept.
    fn push_string(&mut self, start: usize, keep: bool) {
        if keep {
            let end = self.strings.len();
            self.push(Operand::Str(start, end));
        }
    }

    /// Reads up to the next operator and returns it, its operands in `self.operands`.
    ///
    /// The position lives in a local while the loop runs, and each kind of token is read
    /// in one pass (a number is valued as its digits are read): most of a page's content
    /// is operands, so this loop is where reading a PDF spends its time.
    pub(super) fn next_operator(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.strings.clear();
        // A copy of the slice, so the loop does not read it back through `self`.
        let bytes = self.bytes;
        let mut at = self.at;
        let mut dictionaries = 0usize;
        let found = loop {
            // White space, the commonest byte, is passed over without the dispatch below
            // (written out: as a call to `skip_white` this loop ran 9M instructions more
            // over 65 LiveCareer PDFs).
            while bytes.get(at).is_some_and(|&b| WHITE_SPACE[b as usize]) {
                at += 1;
            }
            let Some(&b) = bytes.get(at) else {
                break None;
            };
            let keep = dictionaries == 0;
            match b {
                b'%' => at = skip_while(bytes, at, |b| b != b'\r' && b != b'\n'),
                b'(' => {
                    let start = self.strings.len();
                    at = literal(bytes, at, keep.then_some(&mut self.strings));
                    self.push_string(start, keep);
                }
                b'<' if bytes.get(at + 1) == Some(&b'<') => {
                    dictionaries += 1;
                    at += 2;
                }
                b'>' if bytes.get(at + 1) == Some(&b'>') => {
                    dictionaries = dictionaries.saturating_sub(1);
                    at += 2;
                }
                b'<' => {
                    let start = self.strings.len();
                    at = hex(bytes, at + 1, keep.then_some(&mut self.strings));
                    self.push_string(start, keep);
                }
                b'[' | b']' => {
                    at += 1;
                    if keep {
                        self.push(if b == b'[' {
                            Operand::Open
                        } else {
                            Operand::Close
                        });
                    }
                }
                b'/' => {
                    let start = at + 1;
                    at = token_end(bytes, start);
                    if keep {
                        self.push(Operand::Name(start, at));
                    }
                }
                // A stray delimiter.
                b')' | b'>' | b'{' | b'}' => at += 1,
                _ => {
                    // Whole numbers followed by white space (most operands) the short
                    // way, as `moved_and_shown` reads them.
                    if starts_number(b)
                        && let Some((value, end)) = number_at(bytes, at)
                    {
                        at = end;
                        if keep {
                            self.push(Operand::Number(value));
                        }
                        continue;
                    }
                    let start = at;
                    at = token_end(bytes, at);
                    if let Some(op) = self.keyword(bytes, start, &mut at, keep) {
                        break Some(op);
                    }
                }
            }
        };
        self.at = at;
        found
    }

    /// The commonest pair of operators in the resumes we read, `x y Td <0041> Tj` (or
    /// `(A) Tj`): LiveCareer's PDFs draw every glyph that way, thousands to a page. When
    /// they come next, both are read at once: the move is returned and the string's bytes
    /// left in [`Tokens::strings`]. Anything else (another operator, a comment, a stray
    /// operand) returns `None` with the position where it was; [`Tokens::next_operator`]
    /// then reads the same bytes as it always does, so the two ways never differ in what
    /// they give.
    ///
    /// Inlined where it is called: the move it returns then stays in registers. Returned
    /// through memory (two 8-byte stores read back as one 16-byte load), it stalled the
    /// glyph loop; the token-by-token part, rarely reached, is not inlined.
    #[inline(always)]
    pub(super) fn moved_and_shown(&mut self) -> Option<(f64, f64)> {
        let bytes = self.bytes;
        let at = skip_white(bytes, self.at);
        if let Some((x, y, code, end)) = plain_glyph(bytes, at) {
            self.operands.clear();
            self.strings.clear();
            self.strings.extend_from_slice(&code);
            self.at = end;
            return Some((x, y));
        }
        self.moved_and_shown_from(at)
    }

    /// [`Tokens::moved_and_shown`] read token by token, from `at`.
    #[inline(never)]
    fn moved_and_shown_from(&mut self, at: usize) -> Option<(f64, f64)> {
        let bytes = self.bytes;
        let (x, at) = number_at(bytes, at)?;
        let (y, at) = number_at(bytes, skip_white(bytes, at))?;
        let at = operator_at(bytes, skip_white(bytes, at), b"Td")?;
        let at = skip_white(bytes, at);
        self.operands.clear();
        self.strings.clear();
        let at = match bytes.get(at..at + 2)? {
            [b'<', second] if *second != b'<' => hex(bytes, at + 1, Some(&mut self.strings)),
            [b'(', _] => literal(bytes, at, Some(&mut self.strings)),
            _ => return None,
        };
        self.at = operator_at(bytes, skip_white(bytes, at), b"Tj")?;
        Some((x, y))
    }

    /// The regular token `bytes[start..*at]` that is not a number: the operator to return,
    /// or `None` for a keyword operand (`true`, `null`…), a token inside a dictionary, or
    /// inline image data (jumped over, with the operands before it).
    fn keyword(
        &mut self,
        bytes: &'a [u8],
        start: usize,
        at: &mut usize,
        keep: bool,
    ) -> Option<&'a [u8]> {
        let token = &bytes[start..*at];
        if !keep || token == b"true" || token == b"false" || token == b"null" {
            return None;
        }
        if token == b"ID" {
            // Inline image data runs to a whitespace-delimited `EI`.
            let mut i = *at;
            while i + 2 < bytes.len()
                && !(bytes[i].is_ascii_whitespace()
                    && &bytes[i + 1..i + 3] == b"EI"
                    && bytes.get(i + 3).is_none_or(|b| is_delimiter(*b)))
            {
                i += 1;
            }
            *at = (i + 3).min(bytes.len());
            self.operands.clear();
            self.strings.clear();
            return None;
        }
        Some(token)
    }
}

fn is_delimiter(b: u8) -> bool {
    DELIMITERS[b as usize]
}

/// Where the white space from `at` ends.
fn skip_white(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| WHITE_SPACE[b as usize]) {
        at += 1;
    }
    at
}

/// The number token at `at`, if one is there, and where it ends. A whole number of up to
/// nine digits followed by white space (most of a LiveCareer page's) is read here.
#[inline(always)]
fn number_at(bytes: &[u8], at: usize) -> Option<(f64, usize)> {
    let negative = bytes.get(at) == Some(&b'-');
    let first = at + usize::from(negative);
    let mut value = 0u32;
    let mut i = first;
    while let Some(digit) = bytes
        .get(i)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|d| *d < 10)
    {
        value = value * 10 + u32::from(digit);
        i += 1;
        if i - first == 9 {
            break;
        }
    }
    if i > first && bytes.get(i).is_some_and(|&b| WHITE_SPACE[b as usize]) {
        let value = f64::from(value);
        return Some((if negative { -value } else { value }, i));
    }
    if starts_number(*bytes.get(at)?) {
        scan_number(bytes, at)
    } else {
        None
    }
}

/// The glyph [`Tokens::moved_and_shown`] reads in the one way nearly every LiveCareer
/// glyph is written, `9 -15 Td <0041> Tj` (whole numbers of up to six digits, one space
/// between tokens, a two-byte code), read in one pass: the move, the code's bytes, and
/// where `Tj` ends. `None` for anything else, which the general reading then reads; what
/// this reads, that reading reads the same.
#[inline(always)]
fn plain_glyph(bytes: &[u8], at: usize) -> Option<(f64, f64, [u8; 2], usize)> {
    let (x, at) = whole_then_space(bytes, at)?;
    let (y, at) = whole_then_space(bytes, at)?;
    let [
        b'T',
        b'd',
        b' ',
        b'<',
        h1,
        l1,
        h2,
        l2,
        b'>',
        b' ',
        b'T',
        b'j',
    ] = *bytes.get(at..at + 12)?
    else {
        return None;
    };
    let end = at + 12;
    let digits = [h1, l1, h2, l2].map(|d| HEX_DIGITS[d as usize]);
    if digits.iter().any(|d| *d > 15) || bytes.get(end).is_some_and(|&b| !is_delimiter(b)) {
        return None;
    }
    let code = [digits[0] * 16 + digits[1], digits[2] * 16 + digits[3]];
    Some((x, y, code, end))
}

/// A whole number of one to six digits (`-` before it for a negative one) and the one
/// space after it: its value, and where the space ends.
#[inline(always)]
fn whole_then_space(bytes: &[u8], at: usize) -> Option<(f64, usize)> {
    let negative = bytes.get(at) == Some(&b'-');
    let first = at + usize::from(negative);
    let mut value = 0u32;
    let mut i = first;
    while i - first < 7 {
        let digit = bytes.get(i)?.wrapping_sub(b'0');
        if digit >= 10 {
            break;
        }
        value = value * 10 + u32::from(digit);
        i += 1;
    }
    if i == first || i - first > 6 || bytes.get(i) != Some(&b' ') {
        return None;
    }
    let value = f64::from(value);
    Some((if negative { -value } else { value }, i + 1))
}

/// Whether a number token may start with `b`.
fn starts_number(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.')
}

/// Where the two-letter operator `name` at `at` ends, if that is the token there: its
/// letters, then a delimiter or the end. Compared byte by byte, without first scanning
/// for where the token ends (twice for every glyph).
fn operator_at(bytes: &[u8], at: usize, name: &[u8; 2]) -> Option<usize> {
    let end = at + 2;
    (bytes.get(at) == Some(&name[0])
        && bytes.get(at + 1) == Some(&name[1])
        && bytes.get(end).is_none_or(|&b| is_delimiter(b)))
    .then_some(end)
}

/// Where the regular token starting at `from` ends.
fn token_end(bytes: &[u8], from: usize) -> usize {
    skip_while(bytes, from, |b| !is_delimiter(b))
}

/// A number token at `start` (`-12`, `.5`, `+3.25`) and where it ends; `None` when the
/// token there is not one. Up to 18 digits are valued exactly and divided once by a power
/// of ten; a longer one is valued digit by digit.
#[inline]
fn scan_number(bytes: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let negative = match bytes[i] {
        b'-' => {
            i += 1;
            true
        }
        b'+' => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut mantissa = 0u64;
    let mut digits = 0usize;
    let mut point: Option<usize> = None;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(digits),
            _ if is_delimiter(c) => break,
            _ => return None,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if digits > 18 {
        return number(&bytes[start..i]).map(|value| (value, i));
    }
    // Under 10^18, so the signed conversion (one instruction) is exact; most numbers in
    // a content stream are whole, and skip the division.
    let whole = mantissa as i64 as f64;
    let value = match point.map_or(0, |p| digits - p) {
        0 => whole,
        fraction => whole / POWERS_OF_TEN[fraction],
    };
    Some((if negative { -value } else { value }, i))
}

/// 10⁰ … 10¹⁸, each exact in an `f64`.
static POWERS_OF_TEN: [f64; 19] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// The value of each hex digit; 255 for any other byte.
static HEX_DIGITS: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// A literal string `( … )` at `at`, with nesting and escapes, its bytes added to `out`
/// when there is one; returns where the string ends.
fn literal(bytes: &[u8], mut at: usize, mut out: Option<&mut Vec<u8>>) -> usize {
    let mut depth = 0usize;
    while at < bytes.len() {
        // A run of plain bytes is taken whole.
        let plain = bytes[at..]
            .iter()
            .position(|b| matches!(b, b'(' | b')' | b'\\'))
            .unwrap_or(bytes.len() - at);
        if plain > 0 {
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&bytes[at..at + plain]);
            }
            at += plain;
            continue;
        }
        let b = bytes[at];
        at += 1;
        let byte = match b {
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
                let Some(&next) = bytes.get(at) else {
                    break;
                };
                at += 1;
                match next {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'f' => 12,
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match bytes.get(at) {
                                Some(&d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    at += 1;
                                }
                                _ => break,
                            }
                        }
                        (value & 0xFF) as u8
                    }
                    b'\r' => {
                        // A line continuation: the backslash and the line end vanish.
                        if bytes.get(at) == Some(&b'\n') {
                            at += 1;
                        }
                        continue;
                    }
                    b'\n' => continue,
                    other => other,
                }
            }
            _ => b,
        };
        if let Some(out) = out.as_deref_mut() {
            out.push(byte);
        }
    }
    at
}

/// The digits of a hex string from `at` (just past its `<`) to its `>`, added to `out`
/// when there is one (an odd last digit counts as followed by 0); returns where the
/// string ends.
fn hex(bytes: &[u8], mut at: usize, mut out: Option<&mut Vec<u8>>) -> usize {
    // Pairs of digits with nothing between them, as nearly every string has them, two at
    // a time; the loop below reads the rest (and any string that has spaces).
    if let Some(out) = out.as_deref_mut() {
        while let Some(&[high, low]) = bytes.get(at..at + 2) {
            let (high, low) = (HEX_DIGITS[high as usize], HEX_DIGITS[low as usize]);
            // One test for both: a digit's value has no bit above the fourth.
            if (high | low) > 15 {
                break;
            }
            out.push(high * 16 + low);
            at += 2;
        }
        // Closed straight after its pairs: done.
        if bytes.get(at) == Some(&b'>') {
            return at + 1;
        }
    }
    let mut high = None;
    while let Some(&c) = bytes.get(at) {
        at += 1;
        if c == b'>' {
            break;
        }
        let d = HEX_DIGITS[c as usize];
        if d == 255 {
            continue;
        }
        match high.take() {
            None => high = Some(d),
            Some(h) => {
                if let Some(out) = out.as_deref_mut() {
                    out.push(h * 16 + d);
                }
            }
        }
    }
    if let Some(h) = high
        && let Some(out) = out
    {
        out.push(h * 16);
    }
    at
}

/// Where the run of bytes from `from` that `keep` holds for ends.
fn skip_while(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| !keep(b)))
        .map_or(bytes.len(), |n| from + n)
}

/// A PDF number (`-12`, `.5`, `+3.25`); `None` for anything else.
fn number(token: &[u8]) -> Option<f64> {
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
    fn a_glyph_moved_to_and_shown_is_read_at_once_or_not_at_all() {
        let read = |content: &[u8]| {
            let mut tokens = Tokens::new(content);
            let found = tokens.moved_and_shown();
            (found, tokens.strings.clone(), tokens.at)
        };
        assert_eq!(
            read(b" 9 -1.5 Td <00 4 1>Tj 7 0 Td"),
            (Some((9.0, -1.5)), vec![0x00, 0x41], 21)
        );
        // One two-byte code read the short way, and strings like it read the long way.
        assert_eq!(
            read(b"9 0 Td <00aF> Tj"),
            (Some((9.0, 0.0)), vec![0x00, 0xAF], 16)
        );
        assert_eq!(
            read(b"9 0 Td <004g> Tj"),
            (Some((9.0, 0.0)), vec![0x00, 0x40], 16)
        );
        assert_eq!(
            read(b"9 0 Td <00410> Tj"),
            (Some((9.0, 0.0)), vec![0x00, 0x41, 0x00], 17)
        );
        assert_eq!(
            read(b"3 0 Td\n(A\\)) Tj"),
            (Some((3.0, 0.0)), b"A)".to_vec(), 15)
        );
        // The one-pass reading of the commonest way gives what the token-by-token one does.
        for content in [
            &b"9 -15 Td <0041> Tj\n"[..],
            b"  -0 0 Td <00aF> Tj",
            b"123456 7 Td <0041> Tj/F1",
            b"1234567 7 Td <0041> Tj",
            b"12.5 0 Td <0041> Tj",
            b"9 0 Td <0041> Tjx",
            b"9 0 Td <00G1> Tj",
            b"9 0 Td <0041>Tj",
            b"9  0 Td <0041> Tj",
            b"9 0 Td <004> Tj",
            b"9 0 Td <0041> T",
            b"- 0 Td <0041> Tj",
            b"--1 0 Td <0041> Tj",
            b"9 0 Td <0041> Tj(",
        ] {
            let mut plain = Tokens::new(content);
            let mut general = Tokens::new(content);
            let found = general.moved_and_shown_from(skip_white(content, 0));
            assert_eq!(
                (plain.moved_and_shown(), plain.strings, plain.at),
                (found, general.strings, general.at),
                "{:?}",
                String::from_utf8_lossy(content)
            );
        }
        // Anything else is left to the operator-by-operator reading, from where it was.
        for other in [
            &b"3 0 Td % a comment\n<41> Tj"[..],
            b"1 3 0 Td <41> Tj",
            b"3 0 TD <41> Tj",
            b"3 0 Td <<41>> Tj",
            b"3 0 Td [<41>] TJ",
            b"3 0 Td <41> Tjx",
            b"3 0Td <41> Tj",
            b"3 0 Td <4142 Tj",
            b"3 0 Td",
            b"",
        ] {
            let mut tokens = Tokens::new(other);
            assert_eq!(
                tokens.moved_and_shown(),
                None,
                "{:?}",
                String::from_utf8_lossy(other)
            );
            assert_eq!(tokens.at, 0);
        }
    }

    #[test]
    fn hex_strings_read_the_short_way_as_the_long_way() {
        // The long way: every hex digit up to `>` (or the end), paired, an odd last one
        // followed by 0; anything else between them skipped.
        let long_way = |content: &[u8]| {
            let end = content.iter().position(|&b| b == b'>');
            let digits: Vec<u8> = content[..end.unwrap_or(content.len())]
                .iter()
                .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
                .collect();
            let bytes = digits
                .chunks(2)
                .map(|pair| pair[0] * 16 + pair.get(1).copied().unwrap_or(0))
                .collect::<Vec<u8>>();
            (bytes, end.map_or(content.len(), |e| e + 1))
        };
        for content in [
            &b">"[..],
            b"4>",
            b"41>",
            b"0041> Tj",
            b"414>",
            b"4 1>",
            b"00 41 >",
            b"4G1>",
            b"aBcD>",
            b"4142",
            b"41",
            b"",
            b"0041>>",
        ] {
            let mut out = Vec::new();
            let end = hex(content, 0, Some(&mut out));
            assert_eq!((out, end), long_way(content), "{content:?}");
            assert_eq!(hex(content, 0, None), long_way(content).1, "{content:?}");
        }
    }

    #[test]
    fn whole_numbers_read_the_short_way_as_the_long_way() {
        for token in [
            "0",
            "7",
            "-15",
            "-0",
            "007",
            "123456789",
            "1234567890",
            "98765432101",
            "-",
            "+3",
            "3.5",
            ".5",
            "-.25",
            "12a",
            "9",
            "4294967295",
        ] {
            for after in [" ", "\n", "/", ""] {
                let bytes = format!("{token}{after}");
                let bytes = bytes.as_bytes();
                assert_eq!(
                    number_at(bytes, 0),
                    scan_number(bytes, 0),
                    "{:?}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }

    #[test]
    fn numbers_are_valued_as_they_are_read() {
        let at = |token: &[u8]| scan_number(token, 0);
        assert_eq!(at(b"0.750000000 0"), Some((0.75, 11)));
        assert_eq!(at(b"-.5]"), Some((-0.5, 3)));
        assert_eq!(at(b"+12.25"), Some((12.25, 6)));
        assert_eq!(at(b"5."), Some((5.0, 2)));
        // Digit by digit, 3 × 0.1 is 0.30000000000000004; read whole, 0.3.
        assert_eq!(at(b"0.3"), Some((0.3, 3)));
        // More digits than an exact integer holds: valued digit by digit.
        assert_eq!(
            at(b"1234567890123456789012"),
            number(b"1234567890123456789012").map(|v| (v, 22))
        );
        assert_eq!(at(b"1.2.3"), None);
        assert_eq!(at(b"-"), None);
        assert_eq!(at(b"12Tf"), None);
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
