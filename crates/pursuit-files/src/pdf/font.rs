//! Fonts as the text reader needs them: how a shown string splits into character codes,
//! what text each code stands for, and how wide its glyph is.
//!
//! The text of a code comes from the font's `ToUnicode` CMap when it has one, else from
//! its encoding (a named base encoding, `Differences` glyph names, or for an embedded
//! Type 1 font the encoding in its program), else from Windows-1252. Codes of symbol fonts
//! without a `ToUnicode` (Wingdings, Zapf Dingbats) are bullets.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use lopdf::{Dictionary, Document, Object};

use super::content::{Operand, Tokens};
use super::tables::{GLYPH_NAMES, MAC_ROMAN, STANDARD, WIN_ANSI};

/// A map keyed by character code or CID, hashed by one multiplication (looked up once per
/// glyph: SipHash showed in profiles).
type Codes<V> = HashMap<u32, V, BuildHasherDefault<CodeHasher>>;

#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u32(u32::from(*b) ^ (self.0 as u32).rotate_left(8));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The most codes one `bfrange`/`cidrange` line is spelt out for.
const MAX_RANGE: u32 = 65_536;
/// The most codes one CMap maps to text, and the most CID ranges it gives: a font needs
/// no more, and a hostile CMap of many huge ranges stays small.
const MAX_CODES: usize = 131_072;
const MAX_CID_RANGES: usize = 4_096;

pub(super) struct Font {
    /// Two-byte codes (a composite font); one byte otherwise.
    two_byte: bool,
    to_unicode: Codes<String>,
    /// Simple fonts: the text of each code by the font's encoding (`'\0'` for none).
    encoding: Option<Box<[char; 256]>>,
    /// Every code is a bullet (a symbol font without a way to read its glyphs).
    dingbats: bool,
    widths: Codes<f64>,
    /// Composite fonts: code → CID where an embedded CMap says so (identity otherwise).
    cids: Vec<(u32, u32, u32)>,
    default_width: f64,
    /// Type 3 glyph widths are in glyph space: this turns them into thousandths of text space.
    width_scale: f64,
    /// A standard font without widths: estimated from each character.
    estimated: Option<Estimate>,
    /// The text and width of each code below `table.len()`, worked out once when the font
    /// is loaded (a page shows the same few codes thousands of times): the text's range in
    /// `table_text`, and the width as [`Font::width`] gives it.
    table: Vec<(u32, u32, f64)>,
    table_text: String,
}

/// The codes in a shown string, each with its length in bytes (a composite font's
/// string of odd length ends in a one-byte code).
pub(super) struct CodesIn<'b> {
    bytes: &'b [u8],
    two_byte: bool,
}

impl Iterator for CodesIn<'_> {
    type Item = (u32, usize);

    fn next(&mut self) -> Option<(u32, usize)> {
        let (&first, rest) = self.bytes.split_first()?;
        if self.two_byte
            && let Some((&second, rest)) = rest.split_first()
        {
            self.bytes = rest;
            return Some((u32::from(first) << 8 | u32::from(second), 2));
        }
        self.bytes = rest;
        Some((u32::from(first), 1))
    }
}

/// The most codes of a font kept in its table; a composite font's codes above are looked
/// up each time they are shown.
const TABLE_CODES: u32 = 1024;

#[derive(Clone, Copy)]
enum Estimate {
    Fixed,
    Proportional,
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, object)| object)
}

pub(super) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, entry(dict, key)?)
}

/// The value of `key` in `dict`. Not `Dictionary::get`: it makes the error it would return
/// (a `String` of the key) on every call, found or not, and pages look up their fonts and
/// colour spaces hundreds of times. A resource dictionary has a few keys: a scan is quick.
pub(super) fn entry<'a>(dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.iter()
        .find_map(|(name, value)| (name.as_slice() == key).then_some(value))
}

pub(super) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(dict) => Some(dict),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, dict, key)?.as_name().ok()
}

pub(super) fn as_number(doc: &Document, object: &Object) -> Option<f64> {
    match resolve(doc, object)? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(f64::from(*r)),
        _ => None,
    }
}

fn get_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f64> {
    as_number(doc, entry(dict, key)?)
}

/// A stream's decoded bytes (`None` when it cannot be decoded).
pub(super) fn stream_bytes(doc: &Document, object: &Object) -> Option<Vec<u8>> {
    let stream = resolve(doc, object)?.as_stream().ok()?;
    let mut bytes = Vec::new();
    super::decoded_onto(stream, &mut bytes).then_some(bytes)
}

impl Font {
    pub(super) fn load(doc: &Document, dict: &Dictionary) -> Font {
        let mut font = Font::read(doc, dict);
        let codes = if font.two_byte {
            font.to_unicode
                .keys()
                .max()
                .map_or(0, |code| code.saturating_add(1).min(TABLE_CODES))
        } else {
            256
        };
        let mut table = Vec::with_capacity(codes as usize);
        let mut text = String::new();
        for code in 0..codes {
            let start = text.len();
            font.decode(code, &mut text);
            let width = font.width(code, &text[start..]);
            table.push((start as u32, text.len() as u32, width));
        }
        font.table = table;
        font.table_text = text;
        font
    }

    /// The text `code` stands for and its width in text space (ems); `scratch` holds the
    /// text of a code the table does not have.
    /// Inlined where it is called (the table's answer then stays in registers); a code
    /// outside the table is worked out by [`Font::glyph_outside_table`].
    #[inline(always)]
    pub(super) fn glyph<'s>(&'s self, code: u32, scratch: &'s mut String) -> (&'s str, f64) {
        if let Some(&(start, end, width)) = self.table.get(code as usize) {
            return (&self.table_text[start as usize..end as usize], width);
        }
        self.glyph_outside_table(code, scratch)
    }

    #[inline(never)]
    fn glyph_outside_table<'s>(&'s self, code: u32, scratch: &'s mut String) -> (&'s str, f64) {
        scratch.clear();
        self.decode(code, scratch);
        let width = self.width(code, scratch);
        (scratch.as_str(), width)
    }

    fn read(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or_default();
        let base = get_name(doc, dict, b"BaseFont").unwrap_or_default();
        let to_unicode = get(doc, dict, b"ToUnicode")
            .and_then(|cmap| stream_bytes(doc, cmap))
            .map(|bytes| read_cmap(&bytes).0)
            .unwrap_or_default();
        if subtype == b"Type0" {
            return Font::composite(doc, dict, to_unicode);
        }
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        let mut widths = Codes::default();
        let first = get_number(doc, dict, b"FirstChar").unwrap_or(0.0);
        if let Some(Object::Array(array)) = get(doc, dict, b"Widths") {
            for (i, width) in array.iter().enumerate() {
                if let Some(width) = as_number(doc, width) {
                    widths.insert((first as u32).saturating_add(i as u32), width);
                }
            }
        }
        let width_scale = if subtype == b"Type3" {
            match get(doc, dict, b"FontMatrix") {
                Some(Object::Array(m)) => m
                    .first()
                    .and_then(|a| as_number(doc, a))
                    .map_or(1.0, |a| a * 1000.0),
                _ => 1.0,
            }
        } else {
            1.0
        };
        let base_name = strip_subset(base);
        let estimated = widths.is_empty().then(|| {
            if base_name.starts_with(b"Courier") {
                Estimate::Fixed
            } else {
                Estimate::Proportional
            }
        });
        let symbolic_name = |name: &[u8]| {
            let lower = name.to_ascii_lowercase();
            lower.windows(9).any(|w| w == b"wingdings")
                || lower.windows(7).any(|w| w == b"webding")
                || lower.windows(8).any(|w| w == b"dingbats")
        };
        let encoding = simple_encoding(doc, dict, descriptor, subtype, base_name);
        Font {
            two_byte: false,
            dingbats: to_unicode.is_empty() && symbolic_name(base_name),
            to_unicode,
            encoding: Some(encoding),
            widths,
            cids: Vec::new(),
            default_width: descriptor
                .and_then(|d| get_number(doc, d, b"MissingWidth"))
                .unwrap_or(0.0),
            width_scale,
            estimated,
            table: Vec::new(),
            table_text: String::new(),
        }
    }

    fn composite(doc: &Document, dict: &Dictionary, to_unicode: Codes<String>) -> Font {
        let descendant = match get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(fonts)) => fonts.first().and_then(|f| resolve(doc, f)),
            _ => None,
        }
        .and_then(|f| f.as_dict().ok());
        let mut cids = Vec::new();
        let mut two_byte = true;
        if let Some(cmap) = get(doc, dict, b"Encoding").and_then(|e| stream_bytes(doc, e)) {
            let (_, ranges, one_byte) = read_cmap(&cmap);
            cids = ranges;
            two_byte = !one_byte;
        }
        let mut widths = Codes::default();
        let mut default_width = 1000.0;
        if let Some(descendant) = descendant {
            default_width = get_number(doc, descendant, b"DW").unwrap_or(1000.0);
            if let Some(Object::Array(w)) = get(doc, descendant, b"W") {
                read_cid_widths(doc, w, &mut widths);
            }
        }
        Font {
            two_byte,
            to_unicode,
            encoding: None,
            dingbats: false,
            widths,
            cids,
            default_width,
            width_scale: 1.0,
            estimated: None,
            table: Vec::new(),
            table_text: String::new(),
        }
    }

    /// Splits `bytes` into character codes and the number of bytes of each.
    pub(super) fn codes<'b>(&self, bytes: &'b [u8]) -> CodesIn<'b> {
        CodesIn {
            bytes,
            two_byte: self.two_byte,
        }
    }

    /// The text `code` stands for, appended to `out`.
    fn decode(&self, code: u32, out: &mut String) {
        if let Some(text) = self.to_unicode.get(&code) {
            out.push_str(text);
            return;
        }
        if self.dingbats {
            out.push('•');
            return;
        }
        if let Some(encoding) = &self.encoding
            && let Some(c) = encoding.get(code as usize)
            && *c != '\0'
        {
            out.push(*c);
        }
    }

    /// The glyph's width in text space (ems). Fonts give it in thousandths; divided here,
    /// once per code in the font's table, not for every glyph shown.
    fn width(&self, code: u32, text: &str) -> f64 {
        let key = if self.two_byte { self.cid(code) } else { code };
        let thousandths = if let Some(width) = self.widths.get(&key) {
            width * self.width_scale
        } else {
            match self.estimated {
                Some(Estimate::Fixed) => 600.0,
                Some(Estimate::Proportional) => text.chars().next().map_or(500.0, estimate),
                None => self.default_width * self.width_scale,
            }
        };
        thousandths / 1000.0
    }

    fn cid(&self, code: u32) -> u32 {
        self.cids
            .iter()
            .find(|(low, high, _)| (*low..=*high).contains(&code))
            .map_or(code, |(low, _, cid)| cid + (code - low))
    }
}

/// A rough advance width for a character of a proportional standard font that gives no
/// widths: enough to tell a gap between words from letters set one by one.
fn estimate(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 278.0,
        'f' | 't' | 'r' | '(' | ')' | '-' | '/' => 333.0,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 833.0,
        'A'..='Z' => 667.0,
        _ => 556.0,
    }
}

/// `ABCDEF+Name` → `Name`.
fn strip_subset(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b'+') {
        Some(6) => &name[7..],
        _ => name,
    }
}

fn named_encoding(name: &[u8]) -> Option<&'static [char; 256]> {
    match name {
        b"WinAnsiEncoding" => Some(&WIN_ANSI),
        b"MacRomanEncoding" => Some(&MAC_ROMAN),
        b"StandardEncoding" => Some(&STANDARD),
        _ => None,
    }
}

fn simple_encoding(
    doc: &Document,
    dict: &Dictionary,
    descriptor: Option<&Dictionary>,
    subtype: &[u8],
    base_name: &[u8],
) -> Box<[char; 256]> {
    let symbol = base_name == b"Symbol";
    let mut table = Box::new(if symbol { symbol_encoding() } else { WIN_ANSI });
    let builtin = |table: &mut [char; 256]| {
        if subtype == b"Type1"
            && let Some(program) = descriptor
                .and_then(|d| get(doc, d, b"FontFile"))
                .and_then(|f| stream_bytes(doc, f))
        {
            for (code, name) in type1_encoding(&program) {
                if let Some(c) = glyph_char(&name) {
                    table[code as usize] = c;
                }
            }
        }
    };
    match get(doc, dict, b"Encoding") {
        Some(Object::Name(name)) => {
            if let Some(named) = named_encoding(name) {
                *table = *named;
            }
        }
        Some(Object::Dictionary(encoding)) => {
            match get_name(doc, encoding, b"BaseEncoding").and_then(named_encoding) {
                Some(named) => *table = *named,
                None => builtin(&mut table),
            }
            if let Some(Object::Array(differences)) = get(doc, encoding, b"Differences") {
                let mut code = 0usize;
                for item in differences {
                    match resolve(doc, item) {
                        Some(Object::Integer(i)) => code = usize::try_from(*i).unwrap_or(256),
                        Some(Object::Name(name)) => {
                            if code < 256 {
                                table[code] = glyph_char(name).unwrap_or('\0');
                            }
                            code = code.saturating_add(1);
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => builtin(&mut table),
    }
    table
}

/// The Symbol font's own encoding, as far as résumés use it: Greek letters where Latin
/// ones stand, and its bullet.
fn symbol_encoding() -> [char; 256] {
    let mut table = WIN_ANSI;
    let greek_upper = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    let greek_lower = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    for (i, c) in greek_upper.chars().enumerate() {
        table[0x41 + i] = c;
    }
    for (i, c) in greek_lower.chars().enumerate() {
        table[0x61 + i] = c;
    }
    table[0xB7] = '•';
    table[0xAE] = '→';
    table[0xAC] = '←';
    table[0xD7] = '⋅';
    table[0xB0] = '°';
    table[0xB1] = '±';
    table
}

/// The character a PostScript glyph name stands for: from the table of names, `uniXXXX`,
/// `uXXXX[XX]`, a one-letter name, or the part before a `.suffix` / the first part of a
/// `_` ligature name.
pub(super) fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Ok(at) = GLYPH_NAMES.binary_search_by(|(n, _)| n.cmp(&base)) {
        let text = GLYPH_NAMES[at].1;
        let mut chars = text.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => ligature_char(text),
        };
    }
    let hex = |digits: &str| {
        u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
    };
    if let Some(digits) = base.strip_prefix("uni")
        && digits.len() >= 4
        && digits.is_char_boundary(4)
    {
        return hex(&digits[..4]);
    }
    if let Some(digits) = base.strip_prefix('u')
        && (4..=6).contains(&digits.len())
    {
        return hex(digits);
    }
    let mut chars = base.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphanumeric()
    {
        return Some(c);
    }
    if base.contains('_') {
        // A ligature named by its parts ("f_f_i"): its presentation form when it has one,
        // else its first letter.
        let parts: Option<String> = base.split('_').map(|p| glyph_char(p.as_bytes())).collect();
        let parts = parts?;
        return ligature_char(&parts).or_else(|| parts.chars().next());
    }
    None
}

/// The presentation form of a Latin ligature spelt out as letters ("fi" → U+FB01), which
/// text normalisation later spells out again.
fn ligature_char(letters: &str) -> Option<char> {
    Some(match letters {
        "ff" => '\u{FB00}',
        "fi" => '\u{FB01}',
        "fl" => '\u{FB02}',
        "ffi" => '\u{FB03}',
        "ffl" => '\u{FB04}',
        _ => return None,
    })
}

/// The `dup <code> /<name> put` entries of a Type 1 font program's clear-text part.
fn type1_encoding(program: &[u8]) -> Vec<(u8, Vec<u8>)> {
    // The encoding sits in the clear-text part before `eexec`.
    let end = program
        .windows(5)
        .position(|w| w == b"eexec")
        .unwrap_or(program.len().min(64 * 1024));
    let text = &program[..end];
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].windows(4).position(|w| w == b"dup ") {
        at += found + 4;
        let rest = &text[at..];
        let mut parts = rest
            .split(|b| b.is_ascii_whitespace())
            .filter(|p| !p.is_empty());
        let (Some(code), Some(name), Some(put)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if put != b"put" {
            continue;
        }
        let (Some(code), Some(name)) = (
            std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.parse::<u8>().ok()),
            name.strip_prefix(b"/"),
        ) else {
            continue;
        };
        out.push((code, name.to_vec()));
    }
    out
}

/// A CMap: code → text (`bfchar`/`bfrange`), code ranges → CIDs (`cidchar`/`cidrange`),
/// and whether its code space is one byte.
fn read_cmap(bytes: &[u8]) -> (Codes<String>, Vec<(u32, u32, u32)>, bool) {
    let mut map = Codes::default();
    let mut cids = Vec::new();
    let mut one_byte = false;
    let mut tokens = Tokens::new(bytes);
    let code = |bytes: &[u8]| bytes.iter().fold(0u32, |c, b| c << 8 | u32::from(*b));
    while let Some(operator) = tokens.next_operator() {
        let ops = tokens.operands.clone();
        let string = |operand: &Operand| match operand {
            Operand::Str(start, end) => Some(tokens.string(*start, *end)),
            _ => None,
        };
        match operator {
            b"endcodespacerange" => {
                one_byte = ops.iter().filter_map(string).all(|range| range.len() == 1);
            }
            b"endbfchar" => {
                for pair in ops.chunks(2) {
                    if let [from, to] = pair
                        && let (Some(from), Some(to)) = (string(from), string(to))
                    {
                        map.insert(code(from), utf16(to));
                    }
                }
            }
            b"endbfrange" => {
                let mut i = 0;
                while i + 2 < ops.len() {
                    let (Some(low), Some(high)) = (string(&ops[i]), string(&ops[i + 1])) else {
                        i += 1;
                        continue;
                    };
                    let (low, high) = (code(low), code(high));
                    let count = high.saturating_sub(low).min(MAX_RANGE);
                    match ops[i + 2] {
                        Operand::Open => {
                            let mut j = i + 3;
                            let mut offset = 0;
                            while j < ops.len() && ops[j] != Operand::Close {
                                if let Some(to) = string(&ops[j])
                                    && offset <= count
                                    && map.len() < MAX_CODES
                                {
                                    map.insert(low + offset, utf16(to));
                                    offset += 1;
                                }
                                j += 1;
                            }
                            i = j + 1;
                        }
                        ref target => {
                            if let Some(to) = string(target) {
                                let mut units: Vec<u16> = to
                                    .chunks(2)
                                    .map(|p| {
                                        u16::from(p[0]) << 8 | u16::from(*p.get(1).unwrap_or(&0))
                                    })
                                    .collect();
                                for offset in 0..=count {
                                    if map.len() >= MAX_CODES {
                                        break;
                                    }
                                    map.insert(low + offset, String::from_utf16_lossy(&units));
                                    if let Some(last) = units.last_mut() {
                                        *last = last.wrapping_add(1);
                                    }
                                }
                            }
                            i += 3;
                        }
                    }
                }
            }
            b"endcidrange" => {
                for triple in ops.chunks(3) {
                    if let [low, high, Operand::Number(cid)] = triple
                        && let (Some(low), Some(high)) = (string(low), string(high))
                    {
                        let (low, high) = (code(low), code(high));
                        if high >= low && high - low <= MAX_RANGE && cids.len() < MAX_CID_RANGES {
                            cids.push((low, high, *cid as u32));
                        }
                    }
                }
            }
            b"endcidchar" => {
                for pair in ops.chunks(2) {
                    if let [from, Operand::Number(cid)] = pair
                        && let Some(from) = string(from)
                    {
                        let from = code(from);
                        if cids.len() < MAX_CID_RANGES {
                            cids.push((from, from, *cid as u32));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Surrogate halves alone and NULs are no text.
    map.retain(|_, text| !text.contains(['\u{FFFD}', '\0']));
    (map, cids, one_byte)
}

/// UTF-16BE bytes as text.
fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from(p[0]) << 8 | u16::from(*p.get(1).unwrap_or(&0)))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A CID font's `W` array: `first [w1 w2 …]` and `first last w` entries.
fn read_cid_widths(doc: &Document, w: &[Object], widths: &mut Codes<f64>) {
    let mut i = 0;
    let mut spelt = 0u32;
    while i + 1 < w.len() {
        let Some(first) = as_number(doc, &w[i]) else {
            break;
        };
        let first = first as u32;
        match resolve(doc, &w[i + 1]) {
            Some(Object::Array(list)) => {
                for (j, width) in list.iter().enumerate() {
                    if let Some(width) = as_number(doc, width) {
                        widths.insert(first.saturating_add(j as u32), width);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    as_number(doc, last),
                    w.get(i + 2).and_then(|o| as_number(doc, o)),
                ) else {
                    break;
                };
                let last = last as u32;
                spelt = spelt.saturating_add(last.saturating_sub(first) + 1);
                if last < first || spelt > MAX_RANGE {
                    break;
                }
                for cid in first..=last {
                    widths.insert(cid, width);
                }
                i += 3;
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_strings_split_into_codes_by_the_font_s_code_length() {
        let codes =
            |two_byte, bytes: &[u8]| -> Vec<(u32, usize)> { CodesIn { bytes, two_byte }.collect() };
        assert_eq!(codes(false, b"Ab"), [(0x41, 1), (0x62, 1)]);
        assert_eq!(codes(true, &[0, 0x41, 1, 2]), [(0x41, 2), (0x102, 2)]);
        // An odd last byte is a code of its own.
        assert_eq!(codes(true, &[1, 2, 3]), [(0x102, 2), (3, 1)]);
        assert!(codes(true, b"").is_empty());
    }

    #[test]
    fn glyph_names_read_as_characters() {
        assert_eq!(glyph_char(b"eacute"), Some('é'));
        assert_eq!(glyph_char(b"Scaron"), Some('Š'));
        assert_eq!(glyph_char(b"Lslash"), Some('Ł'));
        assert_eq!(glyph_char(b"quoteright"), Some('’'));
        assert_eq!(glyph_char(b"uni2022"), Some('•'));
        assert_eq!(glyph_char(b"u1F600"), Some('😀'));
        assert_eq!(glyph_char(b"a.sc"), Some('a'));
        assert_eq!(glyph_char(b"fi"), Some('\u{FB01}'));
        assert_eq!(glyph_char(b"f_f_i"), Some('\u{FB03}'));
        assert_eq!(glyph_char(b"T_h"), Some('T'));
        assert_eq!(glyph_char(b"g123"), None);
    }

    #[test]
    fn a_font_reads_the_same_from_its_table_and_past_it() {
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange \
            2 beginbfchar <0041> <0042> <0500> <0043> endbfchar";
        let to_unicode = doc.add_object(lopdf::Stream::new(Dictionary::new(), cmap.to_vec()));
        let mut descendant = Dictionary::new();
        descendant.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        descendant.set("DW", Object::Integer(500));
        descendant.set(
            "W",
            Object::Array(vec![
                Object::Integer(0x41),
                Object::Array(vec![Object::Integer(600)]),
                Object::Integer(0x500),
                Object::Array(vec![Object::Integer(700)]),
            ]),
        );
        let descendant = doc.add_object(descendant);
        let mut dict = Dictionary::new();
        dict.set("Subtype", Object::Name(b"Type0".to_vec()));
        dict.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        dict.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(descendant)]),
        );
        dict.set("ToUnicode", Object::Reference(to_unicode));
        let font = Font::load(&doc, &dict);
        // Codes past TABLE_CODES are looked up as they are shown, to the same effect.
        assert_eq!(font.table.len(), TABLE_CODES as usize);
        let mut scratch = String::new();
        assert_eq!(font.glyph(0x41, &mut scratch), ("B", 0.6));
        assert_eq!(font.glyph(0x42, &mut scratch), ("", 0.5));
        assert_eq!(font.glyph(0x500, &mut scratch), ("C", 0.7));
        assert_eq!(font.glyph(0x501, &mut scratch), ("", 0.5));
    }

    #[test]
    fn cmaps_map_codes_to_text() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def \
            1 begincodespacerange <0000> <FFFF> endcodespacerange \
            2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar \
            2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<0078> <D83DDE00>] endbfrange \
            endcmap";
        let (map, _, one_byte) = read_cmap(cmap);
        assert!(!one_byte);
        assert_eq!(map[&3], " ");
        assert_eq!(map[&0x11], "fi");
        assert_eq!(map[&0x24], "A");
        assert_eq!(map[&0x26], "C");
        assert_eq!(map[&0x30], "x");
        assert_eq!(map[&0x31], "😀");
        assert_eq!(map.len(), 7);
    }

    #[test]
    fn a_cmap_of_many_huge_ranges_stays_small() {
        let mut cmap = b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n".to_vec();
        for i in 0..64u32 {
            let low = i * 0x0100_0000;
            cmap.extend(
                format!(
                    "1 beginbfrange <{low:08X}> <{:08X}> <0041> endbfrange\n",
                    low + 0xFF_FFFF
                )
                .as_bytes(),
            );
            cmap.extend(
                format!(
                    "1 begincidrange <{low:08X}> <{:08X}> 0 endcidrange\n",
                    low + 0xFFFF
                )
                .as_bytes(),
            );
        }
        let (map, cids, _) = read_cmap(&cmap);
        // Capped (codes whose text runs into surrogates are dropped after).
        assert!(
            (MAX_CODES / 2..=MAX_CODES).contains(&map.len()),
            "{}",
            map.len()
        );
        assert_eq!(cids.len(), 64);
        assert_eq!(map[&0], "A");
    }

    #[test]
    fn type1_programs_give_their_encoding() {
        let program = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 65 /A put\ndup 123 /endash put\ndup 12 /fi put\nreadonly def\ncurrentfile eexec \x80\x81dup 66 /B put";
        let found = type1_encoding(program);
        assert_eq!(
            found,
            [
                (65, b"A".to_vec()),
                (123, b"endash".to_vec()),
                (12, b"fi".to_vec())
            ]
        );
    }
}
