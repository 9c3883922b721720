//! PDF → text: `lopdf` loads the document; the content streams are read here, by a small
//! interpreter of our own over our own tokenizer ([`content`]) and fonts ([`font`]). Text
//! is kept in the content stream's order, lines break where the baseline moves, text under
//! 2 points is left out (flagged as hidden), and so is text drawn white (not on a dark
//! band) or invisibly; the deadline is checked as it goes.

mod content;
mod font;
mod tables;

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use self::content::{Operand, Tokens};
use self::font::{Font, as_number, entry, get, get_dict};
use crate::extract::{Budget, ExtractError, Extracted, HiddenCollector, HiddenKind};

/// Text smaller than this (in points, after every transform) is not meant to be read.
const TINY_POINTS: f64 = 2.0;
/// How deep forms drawn inside forms are followed.
const MAX_FORM_DEPTH: usize = 8;
/// How many graphics states `q` may save at once.
const MAX_SAVED_STATES: usize = 256;

pub(crate) fn read(bytes: &[u8], budget: Budget) -> Result<Extracted, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(load_error)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt("the PDF has no pages".into()));
    }
    let no_font = Dictionary::new();
    let mut reader = Reader::new(&doc, budget, &no_font);
    // Page by page, each under its own `catch_unwind`: one bad page should not lose the
    // others.
    let mut unreadable = Vec::new();
    let mut last_error = None;
    for (&number, &page) in &pages {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.page(page)));
        match read {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                unreadable.push(number);
                last_error = Some(ExtractError::Corrupt(format!(
                    "the content of page {number} cannot be decoded"
                )));
            }
            Ok(Err(Stop)) => break,
            Err(_) => {
                tracing::warn!(page = number, "the PDF reader panicked on a page");
                unreadable.push(number);
                last_error = Some(ExtractError::Crashed);
            }
        }
    }
    let mut device = reader.device;
    device.end_text_line();
    if device.text.trim().is_empty()
        && let Some(error) = last_error
    {
        return Err(error);
    }
    if let Some(error) = device.stopped.clone()
        && !matches!(error, ExtractError::TooLarge { .. })
    {
        return Err(error);
    }
    Ok(Extracted {
        text: device.text,
        pages: u32::try_from(pages.len()).ok(),
        hidden: device.hidden.found,
        truncated: device.stopped.is_some(),
        unreadable_pages: unreadable,
    })
}

fn load_error(error: lopdf::Error) -> ExtractError {
    let message = error.to_string();
    let lower = message.to_lowercase();
    if lower.contains("decrypt") || lower.contains("password") || lower.contains("encrypt") {
        ExtractError::Encrypted
    } else {
        ExtractError::Corrupt(message)
    }
}

/// Reading stopped by a limit (the error is kept in [`Device::stopped`]).
struct Stop;

/// An affine transform `[a b c d e f]`, applied to row vectors as PDF does.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// A move by (x, y) first, then `self` (a translation's product without its products
    /// by 0 and 1): text moves this way after every glyph.
    fn moved(&self, x: f64, y: f64) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        Matrix([a, b, c, d, x * a + y * c + e, x * b + y * d + f])
    }

    /// `self` first, then `next`.
    fn then(&self, next: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [na, nb, nc, nd, ne, nf] = next.0;
        Matrix([
            a * na + b * nc,
            a * nb + b * nd,
            c * na + d * nc,
            c * nb + d * nd,
            e * na + f * nc + ne,
            e * nb + f * nd + nf,
        ])
    }
}

/// The part of the graphics state text reading needs.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    render: f64,
    /// Components of the fill colour space (`None` for spaces whose numbers say nothing
    /// about lightness: patterns, separations, indexed colours).
    components: Option<usize>,
    white: bool,
}

impl State {
    fn new(ctm: Matrix) -> State {
        State {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render: 0.0,
            components: Some(1),
            white: false,
        }
    }

    /// Whether a fill colour of these components is white (or as light as makes no
    /// difference on paper).
    fn set_fill(&mut self, numbers: &[f64]) {
        self.white = match (self.components, numbers.len()) {
            (Some(1 | 3), 1 | 3) => numbers.iter().all(|v| *v >= 0.95),
            (Some(4), 4) => numbers.iter().all(|v| *v <= 0.05),
            _ => false,
        };
    }
}

/// The text position inside `BT … ET`.
struct Text {
    matrix: Matrix,
    line: Matrix,
}

impl Text {
    /// The text matrix after the text space's own transform, `[scale 0 0 1 0 rise]`
    /// (the horizontal scale and the rise): the product without its products by 0 and 1,
    /// worked out for every glyph.
    fn in_text_space(&self, scale: f64, rise: f64) -> Matrix {
        let [a, b, c, d, e, f] = self.matrix.0;
        Matrix([scale * a, scale * b, c, d, rise * c + e, rise * d + f])
    }

    /// To the start of the next line, `x y` from this one's (`Td`, `T*`…).
    fn next_line(&mut self, x: f64, y: f64) {
        self.line = self.line.moved(x, y);
        self.matrix = self.line;
    }
}

struct Reader<'d> {
    doc: &'d Document,
    /// Fonts loaded so far, by the font dictionary's object (shared between pages).
    fonts: HashMap<FontKey, Rc<Font>>,
    /// The fonts `Tf` named last, by the resources (their address) and the name: a page
    /// switches among a few fonts hundreds of times, and finding one by name goes through
    /// three dictionaries and the document's object table.
    named: Vec<(usize, Box<[u8]>, Rc<Font>)>,
    device: Device,
    /// Something dark was filled on the page before: white text after it is on a band.
    backdrop: bool,
    operators: usize,
    /// The empty dictionary a missing font is read from.
    no_font: &'d Dictionary,
    /// The text of a glyph a font's table does not hold.
    scratch: String,
}

#[derive(Clone, Copy, Hash, PartialEq, Eq)]
enum FontKey {
    Object(ObjectId),
    Inline(usize),
    Missing,
}

impl<'d> Reader<'d> {
    fn new(doc: &'d Document, budget: Budget, no_font: &'d Dictionary) -> Reader<'d> {
        Reader {
            doc,
            fonts: HashMap::new(),
            named: Vec::new(),
            device: Device::new(budget),
            backdrop: false,
            operators: 0,
            no_font,
            scratch: String::new(),
        }
    }

    /// Reads one page; `false` when its content cannot be decoded.
    fn page(&mut self, page: ObjectId) -> Result<bool, Stop> {
        let doc = self.doc;
        let dict = doc.get_dictionary(page).ok();
        let media_box = dict
            .and_then(|d| inherited(doc, d, b"MediaBox"))
            .and_then(|b| match b {
                Object::Array(b) => {
                    let n: Vec<f64> = b.iter().filter_map(|v| as_number(doc, v)).collect();
                    (n.len() == 4).then(|| (n[3] - n[1]).abs())
                }
                _ => None,
            })
            .unwrap_or(792.0);
        self.device.begin_page(media_box);
        self.backdrop = false;
        let resources = dict.and_then(|d| match inherited(doc, d, b"Resources") {
            Some(Object::Dictionary(r)) => Some(r),
            _ => None,
        });
        let mut content = Vec::new();
        let mut whole = true;
        for id in doc.get_page_contents(page) {
            let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
                whole = false;
                continue;
            };
            whole &= decoded_onto(stream, &mut content);
            content.push(b'\n');
        }
        self.run(&content, resources, State::new(Matrix::IDENTITY), 0)?;
        Ok(whole)
    }

    /// Interprets one content stream (a page's, or a form's at `depth`).
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        state: State,
        depth: usize,
    ) -> Result<(), Stop> {
        let mut state = state;
        let mut saved: Vec<State> = Vec::new();
        let mut text = Text {
            matrix: Matrix::IDENTITY,
            line: Matrix::IDENTITY,
        };
        let mut tokens = Tokens::new(content);
        let mut hidden = String::new();
        loop {
            // A glyph moved to and shown (`x y Td <0041> Tj`), read at once; what the two
            // operators do, as below.
            if let Some(first) = tokens.moved_and_shown() {
                self.glyph_run(&mut tokens, &state, &mut text, &mut hidden, first)?;
                continue;
            }
            let Some(operator) = tokens.next_operator() else {
                break;
            };
            self.count_operators(1)?;
            let first = tokens.number(0);
            match operator {
                b"q" if saved.len() < MAX_SAVED_STATES => saved.push(state.clone()),
                b"Q" => {
                    if let Some(previous) = saved.pop() {
                        state = previous;
                    }
                }
                b"cm" => {
                    if let Some(m) = tokens.last_numbers::<6>() {
                        state.ctm = Matrix(m).then(&state.ctm);
                    }
                }
                b"BT" => {
                    text.matrix = Matrix::IDENTITY;
                    text.line = Matrix::IDENTITY;
                }
                b"Tf" => {
                    state.font = tokens.first_name().map(|name| self.font(resources, name));
                    if let Some([size]) = tokens.last_numbers::<1>() {
                        state.size = size;
                    }
                }
                b"Tc" => state.char_spacing = first.unwrap_or(0.0),
                b"Tw" => state.word_spacing = first.unwrap_or(0.0),
                b"Tz" => state.scale = first.unwrap_or(100.0) / 100.0,
                b"TL" => state.leading = first.unwrap_or(0.0),
                b"Ts" => state.rise = first.unwrap_or(0.0),
                b"Tr" => state.render = first.unwrap_or(0.0),
                b"Td" | b"TD" => {
                    if let Some([x, y]) = tokens.last_numbers::<2>() {
                        if operator == b"TD" {
                            state.leading = -y;
                        }
                        text.next_line(x, y);
                    }
                }
                b"Tm" => {
                    if let Some(m) = tokens.last_numbers::<6>() {
                        text.line = Matrix(m);
                        text.matrix = text.line;
                    }
                }
                b"T*" | b"'" | b"\"" | b"Tj" | b"TJ" => {
                    if operator == b"\"" {
                        state.word_spacing = first.unwrap_or(state.word_spacing);
                        state.char_spacing = tokens.number(1).unwrap_or(state.char_spacing);
                    }
                    if !matches!(operator, b"Tj" | b"TJ") {
                        text.next_line(0.0, -state.leading);
                    }
                    if operator == b"T*" {
                        continue;
                    }
                    // The strings shown (for `"`, after its two numbers); in `TJ`, the
                    // numbers between them move the next one back.
                    hidden.clear();
                    let concealed = self.concealed(&state);
                    for operand in &tokens.operands {
                        match *operand {
                            Operand::Str(start, end) => {
                                self.show(
                                    tokens.string(start, end),
                                    &state,
                                    concealed,
                                    &mut text,
                                    &mut hidden,
                                )?;
                            }
                            Operand::Number(n) if operator == b"TJ" => {
                                let tx = -n / 1000.0 * state.size * state.scale;
                                text.matrix = text.matrix.moved(tx, 0.0);
                                if n < -200.0 {
                                    hidden.push(' ');
                                }
                            }
                            _ => {}
                        }
                    }
                    self.end_show(concealed, &hidden);
                }
                b"cs" => {
                    state.components = match tokens.first_name() {
                        Some(b"DeviceGray" | b"CalGray" | b"G") => Some(1),
                        Some(b"DeviceRGB" | b"CalRGB" | b"RGB") => Some(3),
                        Some(b"DeviceCMYK" | b"CMYK") => Some(4),
                        Some(name) => self.color_space_components(resources, name),
                        None => None,
                    };
                    state.white = false;
                }
                b"g" | b"rg" | b"k" => {
                    state.components = Some(match operator {
                        b"g" => 1,
                        b"rg" => 3,
                        _ => 4,
                    });
                    let numbers: Vec<f64> = numbers(&tokens);
                    state.set_fill(&numbers);
                }
                b"sc" | b"scn" => {
                    let numbers: Vec<f64> = numbers(&tokens);
                    state.set_fill(&numbers);
                }
                b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"sh" if !state.white => {
                    self.backdrop = true;
                }
                b"Do" => {
                    if let Some(name) = tokens.first_name() {
                        self.draw_object(resources, name, &state, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Shows `bytes` in the current font, glyph by glyph; text `concealed` is only
    /// gathered into `hidden`.
    fn show(
        &mut self,
        bytes: &[u8],
        state: &State,
        concealed: Option<HiddenKind>,
        text: &mut Text,
        hidden: &mut String,
    ) -> Result<(), Stop> {
        let Some(font) = state.font.as_deref() else {
            return Ok(());
        };
        self.device.begin_word();
        for (code, length) in font.codes(bytes) {
            let (glyph, width) = font.glyph(code, &mut self.scratch);
            if concealed.is_some() {
                hidden.push_str(glyph);
            } else {
                let trm = text.in_text_space(state.scale, state.rise).then(&state.ctm);
                self.device.glyph(&trm, width, state.size, glyph)?;
            }
            let mut spacing = state.char_spacing;
            if code == 32 && length == 1 {
                spacing += state.word_spacing;
            }
            let advance = state.scale * (width * state.size + spacing);
            text.matrix = text.matrix.moved(advance, 0.0);
        }
        Ok(())
    }

    /// Glyphs each moved to and shown (`x y Td <0041> Tj`), from the move `first` for as
    /// long as they come: what [`Reader::run`] does for the two operators, with what stays
    /// the same from one glyph to the next worked out once. Nothing between them changes
    /// the graphics state or the backdrop, and `Td` and a glyph's advance change only the
    /// text matrix's translation: the font, whether the text is hidden, and the part
    /// `[a b c d]` of the text-to-page transform (so the size in points) hold for the whole
    /// run. Each glyph's position is worked out by the same products, in the same order, as
    /// [`Text::in_text_space`] then [`Matrix::then`] give it.
    fn glyph_run(
        &mut self,
        tokens: &mut Tokens<'_>,
        state: &State,
        text: &mut Text,
        hidden: &mut String,
        first: (f64, f64),
    ) -> Result<(), Stop> {
        let concealed = self.concealed(state);
        let mut next = Some(first);
        let Some(font) = state.font.as_deref().filter(|_| concealed.is_none()) else {
            // No font, or hidden text: glyph by glyph, the plain way.
            while let Some((x, y)) = next {
                self.count_operators(2)?;
                text.next_line(x, y);
                hidden.clear();
                self.show(&tokens.strings, state, concealed, text, hidden)?;
                self.end_show(concealed, hidden);
                next = tokens.moved_and_shown();
            }
            return Ok(());
        };
        let (scale, rise) = (state.scale, state.rise);
        let [ca, cb, cc, cd, ce, cf] = state.ctm.0;
        // The line matrix's `[a b c d]`, which the text matrix takes at the first `Td` and
        // keeps; only the two translations move, kept here and written back at the end.
        let [a, b, c, d, mut line_e, mut line_f] = text.line.0;
        let in_text_space = Matrix([scale * a, scale * b, c, d, 0.0, 0.0]);
        let [pa, pb, pc, pd, _, _] = in_text_space.then(&state.ctm).0;
        let size = self.device.size([pa, pb, pc, pd, state.size]);
        let (mut e, mut f) = (text.matrix.0[4], text.matrix.0[5]);
        while let Some((x, y)) = next {
            self.count_operators(2)?;
            // `Text::next_line` and `Matrix::moved`, on the translations.
            (line_e, line_f) = (x * a + y * c + line_e, x * b + y * d + line_f);
            (e, f) = (line_e, line_f);
            self.device.begin_word();
            for (code, length) in font.codes(&tokens.strings) {
                let (glyph, width) = font.glyph(code, &mut self.scratch);
                // `Text::in_text_space`, then `Matrix::then`, on the translations.
                let (te, tf) = (rise * c + e, rise * d + f);
                let (page_e, page_f) = (te * ca + tf * cc + ce, te * cb + tf * cd + cf);
                self.device.place(page_e, page_f, size, width, glyph)?;
                let mut spacing = state.char_spacing;
                if code == 32 && length == 1 {
                    spacing += state.word_spacing;
                }
                let advance = scale * (width * state.size + spacing);
                (e, f) = (advance * a + 0.0 * c + e, advance * b + 0.0 * d + f);
            }
            next = tokens.moved_and_shown();
        }
        text.line = Matrix([a, b, c, d, line_e, line_f]);
        text.matrix = Matrix([a, b, c, d, e, f]);
        Ok(())
    }

    /// Counts `n` operators run; the time and work budget is checked each time the count
    /// passes a multiple of 4,096.
    fn count_operators(&mut self, n: usize) -> Result<(), Stop> {
        let before = self.operators;
        self.operators += n;
        if before / 4096 != self.operators / 4096 {
            self.device.check()?;
        }
        Ok(())
    }

    /// What hides text drawn in `state`, if anything does.
    fn concealed(&self, state: &State) -> Option<HiddenKind> {
        if state.render == 3.0 || state.render == 7.0 {
            Some(HiddenKind::InvisibleText)
        } else if state.white && !self.backdrop {
            Some(HiddenKind::WhiteText)
        } else {
            None
        }
    }

    /// Records the text one operator showed hidden, if it was.
    fn end_show(&mut self, concealed: Option<HiddenKind>, hidden: &str) {
        if let Some(kind) = concealed {
            self.device.hidden.push(kind, hidden);
        }
    }

    /// The font `name` of `resources`; a font the page names but does not have is read as
    /// a plain one (Windows-1252, widths estimated), as viewers substitute one.
    fn font(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> Rc<Font> {
        /// Names remembered at most; a page with more fonts looks the rest up each time.
        const NAMED: usize = 16;
        let at = resources.map_or(0, |r| std::ptr::from_ref(r) as usize);
        if let Some((_, _, font)) = self
            .named
            .iter()
            .find(|(place, named, _)| *place == at && **named == *name)
        {
            return Rc::clone(font);
        }
        let font = self.look_up_font(resources, name);
        if self.named.len() < NAMED {
            self.named.push((at, name.into(), Rc::clone(&font)));
        }
        font
    }

    fn look_up_font(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        let found =
            resources
                .and_then(|r| get_dict(doc, r, b"Font"))
                .and_then(|fonts| match entry(fonts, name)? {
                    Object::Reference(id) => {
                        Some((FontKey::Object(*id), get_dict(doc, fonts, name)?))
                    }
                    Object::Dictionary(dict) => {
                        Some((FontKey::Inline(std::ptr::from_ref(dict) as usize), dict))
                    }
                    _ => None,
                });
        let (key, dict) = found.unwrap_or((FontKey::Missing, self.no_font));
        self.fonts
            .entry(key)
            .or_insert_with(|| Rc::new(Font::load(doc, dict)))
            .clone()
    }

    /// The number of components of a named colour space, when its numbers say how light a
    /// colour is.
    fn color_space_components(
        &self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
    ) -> Option<usize> {
        let doc = self.doc;
        let spaces = get_dict(doc, resources?, b"ColorSpace")?;
        match get(doc, spaces, name)? {
            Object::Array(space) => {
                let family = space.first()?.as_name().ok()?;
                match family {
                    b"ICCBased" => {
                        let (_, Object::Stream(profile)) = doc.dereference(space.get(1)?).ok()?
                        else {
                            return None;
                        };
                        let n = as_number(doc, entry(&profile.dict, b"N")?)?;
                        Some(n as usize)
                    }
                    b"CalRGB" => Some(3),
                    b"CalGray" => Some(1),
                    _ => None,
                }
            }
            Object::Name(family) => match family.as_slice() {
                b"DeviceGray" => Some(1),
                b"DeviceRGB" => Some(3),
                b"DeviceCMYK" => Some(4),
                _ => None,
            },
            _ => None,
        }
    }

    /// `Do`: a form is read in place (its own resources, its matrix); an image is a
    /// backdrop for white text.
    fn draw_object(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        state: &State,
        depth: usize,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        let Some(objects) = resources.and_then(|r| get_dict(doc, r, b"XObject")) else {
            return Ok(());
        };
        let Some(Object::Stream(stream)) = get(doc, objects, name) else {
            return Ok(());
        };
        let subtype = entry(&stream.dict, b"Subtype").and_then(|s| s.as_name().ok());
        if subtype != Some(b"Form".as_slice()) {
            if !state.white {
                self.backdrop = true;
            }
            return Ok(());
        }
        if depth >= MAX_FORM_DEPTH {
            return Ok(());
        }
        let mut content = Vec::new();
        if !decoded_onto(stream, &mut content) {
            return Ok(());
        }
        let matrix = match get(doc, &stream.dict, b"Matrix") {
            Some(Object::Array(m)) if m.len() == 6 => {
                let n: Vec<f64> = m.iter().filter_map(|v| as_number(doc, v)).collect();
                <[f64; 6]>::try_from(n).map_or(Matrix::IDENTITY, Matrix)
            }
            _ => Matrix::IDENTITY,
        };
        let own = match get(doc, &stream.dict, b"Resources") {
            Some(Object::Dictionary(r)) => Some(r),
            _ => resources,
        };
        let mut inner = state.clone();
        inner.ctm = matrix.then(&state.ctm);
        self.run(&content, own, inner, depth + 1)
    }
}

/// A stream's decoded bytes added to `out` (pages, forms, CMaps and font programs all
/// read their streams this way); `false` when nothing could be decoded from bytes that
/// were there. What came out before an error is kept.
fn decoded_onto(stream: &lopdf::Stream, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    if is_plain_flate(&stream.dict) {
        inflate_onto(&stream.content, out);
    } else {
        match stream.decompressed_content() {
            Ok(bytes) => out.extend_from_slice(&bytes),
            Err(_) => return false,
        }
    }
    out.len() > start || stream.content.is_empty()
}

/// Whether a stream is compressed by `FlateDecode` alone, with no predictor: how nearly
/// every page's content comes, and inflated by [`inflate_onto`].
fn is_plain_flate(dict: &Dictionary) -> bool {
    let flate = match entry(dict, b"Filter") {
        Some(Object::Name(name)) => name == b"FlateDecode",
        Some(Object::Array(filters)) => {
            matches!(filters.as_slice(), [Object::Name(name)] if name == b"FlateDecode")
        }
        _ => false,
    };
    flate && !dict.has(b"DecodeParms")
}

/// A zlib stream inflated onto the end of `out`, as lopdf inflates one (what came out
/// before an error is kept; a stream whose zlib header or checksum is wrong and gives
/// nothing is read again as raw deflate), but straight into the page's buffer: through
/// lopdf, each page's content was zeroed, inflated, then copied (100 LiveCareer PDFs:
/// 4% of the instructions went to `memset` and `memcpy`).
fn inflate_onto(input: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    if input.is_empty() {
        return;
    }
    if inflate_with(flate2::Decompress::new(true), input, out).is_err()
        && out.len() == start
        && input.len() > 2
    {
        let _ = inflate_with(flate2::Decompress::new(false), &input[2..], out);
    }
}

/// Inflates `input` onto `out` until the stream ends, the input runs out, or an error.
fn inflate_with(
    mut inflater: flate2::Decompress,
    input: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), flate2::DecompressError> {
    // Content streams inflate to four to eight times their size.
    out.reserve(input.len().saturating_mul(4).max(4096));
    loop {
        let (read, written) = (inflater.total_in(), inflater.total_out());
        let rest = input
            .get(usize::try_from(read).unwrap_or(usize::MAX)..)
            .unwrap_or_default();
        let status = inflater.decompress_vec(rest, out, flate2::FlushDecompress::None)?;
        if status == flate2::Status::StreamEnd {
            return Ok(());
        }
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        } else if inflater.total_in() == read && inflater.total_out() == written {
            // No room wanted and nothing done: the input ended before the stream did.
            return Ok(());
        }
    }
}

/// The numbers among an operator's operands.
fn numbers(tokens: &Tokens<'_>) -> Vec<f64> {
    tokens
        .operands
        .iter()
        .filter_map(|o| match o {
            Operand::Number(n) => Some(*n),
            _ => None,
        })
        .collect()
}

/// A page attribute, from the page or the nearest page-tree node above it that has it.
fn inherited<'d>(doc: &'d Document, page: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(value) = get(doc, node, key) {
            return Some(value);
        }
        node = get_dict(doc, node, b"Parent")?;
    }
    None
}

/// Collects characters into lines in content-stream order.
struct Device {
    text: String,
    chars: usize,
    budget: Budget,
    hidden: HiddenCollector,
    /// The page's height: PDF's y grows upwards, the text's lines downwards.
    height: f64,
    last_y: f64,
    last_end: f64,
    word_start: bool,
    page_start: bool,
    /// Where the current line starts in `text`, its glyphs as drawn (start, end, size,
    /// where its text is in `text`), and whether it holds right-to-left letters.
    line_start: usize,
    line: Vec<(f64, f64, f64, std::ops::Range<usize>)>,
    line_rtl: bool,
    stopped: Option<ExtractError>,
    /// The last glyph's text-to-page scale and font size, and the size in points they give.
    shape: ([f64; 5], f64),
    /// Where each glyph was placed, its size and width, for tests to compare.
    #[cfg(test)]
    placed: Vec<[f64; 4]>,
}

impl Device {
    fn new(budget: Budget) -> Device {
        Device {
            text: String::new(),
            chars: 0,
            budget,
            hidden: HiddenCollector::default(),
            height: 0.0,
            last_y: 0.0,
            last_end: f64::MAX,
            word_start: false,
            page_start: true,
            line_start: 0,
            line: Vec::new(),
            line_rtl: false,
            stopped: None,
            shape: ([f64::NAN; 5], 0.0),
            #[cfg(test)]
            placed: Vec::new(),
        }
    }

    /// Ends the line being read. A line with right-to-left letters is rebuilt from where its
    /// glyphs stand on the page, left to right, and put in reading order: writers draw such
    /// lines in many orders (glyph by glyph leftward, or runs in reading order with each
    /// run's glyphs left to right), and only the positions say which.
    fn end_text_line(&mut self) {
        if self.line_rtl && self.line.len() > 1 {
            let mut glyphs = std::mem::take(&mut self.line);
            glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut visual = String::new();
            let mut last_end = f64::MAX;
            for (x, end, size, at) in &glyphs {
                let text = &self.text[at.clone()];
                if *x > last_end + size * 2.0 {
                    visual.push_str(" | ");
                } else if *x > last_end + size * 0.1 && !visual.ends_with(' ') && text != " " {
                    visual.push(' ');
                }
                if text.chars().count() > 1 && text.chars().any(is_rtl) {
                    // One glyph for several letters (a lam-alef ligature): its letters are
                    // already in reading order, so they go in reversed, to come out right
                    // when the line is turned.
                    visual.extend(text.chars().rev());
                } else {
                    visual.push_str(text);
                }
                last_end = *end;
            }
            self.text.truncate(self.line_start);
            self.text.push_str(&logical_order(visual.trim()));
        }
        self.line.clear();
        self.line_rtl = false;
    }

    fn stop(&mut self, error: ExtractError) -> Stop {
        self.stopped = Some(error);
        Stop
    }

    fn check(&mut self) -> Result<(), Stop> {
        match self.budget.check() {
            Ok(()) => Ok(()),
            Err(error) => Err(self.stop(error)),
        }
    }

    /// A new page `height` points tall.
    fn begin_page(&mut self, height: f64) {
        self.height = height;
        self.end_text_line();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push_str("\n\n");
        }
        self.line_start = self.text.len();
        self.page_start = true;
        self.last_end = f64::MAX;
    }

    /// The glyphs that follow are one shown string: a line or column break is looked for
    /// before its first glyph only.
    fn begin_word(&mut self) {
        self.word_start = true;
    }

    /// One glyph standing for `text`, drawn by `trm` (text space to the page), `width`
    /// ems wide, set in `font_size`.
    fn glyph(&mut self, trm: &Matrix, width: f64, font_size: f64, text: &str) -> Result<(), Stop> {
        let [a, b, c, d, e, f] = trm.0;
        let size = self.size([a, b, c, d, font_size]);
        self.place(e, f, size, width, text)
    }

    /// The size in points of glyphs drawn by a text-to-page transform starting `a b c d`
    /// in a font of `font_size` (`shape`). Glyphs in a row share their shape: the size (a
    /// square root) is worked out anew only when it changes.
    fn size(&mut self, shape: [f64; 5]) -> f64 {
        if shape != self.shape.0 {
            self.shape = (shape, size_in_points(shape));
        }
        self.shape.1
    }

    /// One glyph standing for `text`, `size` points and `width` ems wide, drawn at `(e, f)`
    /// on the page (PDF's coordinates, y upwards).
    #[inline(always)]
    fn place(&mut self, e: f64, f: f64, size: f64, width: f64, text: &str) -> Result<(), Stop> {
        #[cfg(test)]
        self.placed.push([e, f, size, width]);
        self.chars += 1;
        if self.chars.is_multiple_of(512) {
            self.check()?;
        }
        if self.text.len() > self.budget.max_chars * 4 {
            let size = self.text.len();
            return Err(self.stop(ExtractError::TooLarge {
                size,
                limit: self.budget.max_chars,
            }));
        }
        if size < TINY_POINTS {
            self.hidden.push(HiddenKind::TinyText, text);
            return Ok(());
        }
        self.hidden.gap();
        // Where the glyph stands, y measured down from the page's top: the product with
        // the flip [1 0 0 -1 0 height], without its products by 0 and 1.
        let (x, y) = (e, self.height - f);
        if self.word_start && !self.page_start {
            let moved = (y - self.last_y).abs();
            if moved > size * 1.5 {
                self.end_text_line();
                self.text.push_str("\n\n");
                self.line_start = self.text.len();
            } else if moved > size * 0.8 || (moved > size * 0.5 && x < self.last_end) {
                // A new line (a line drawn right to left may start right of the last one).
                self.end_text_line();
                self.text.push('\n');
                self.line_start = self.text.len();
            } else if x > self.last_end + size * 2.0 {
                // A wide gap on one line separates columns ("Title      Company").
                self.text.push_str(" | ");
            } else if x > self.last_end + size * 0.1 {
                self.text.push(' ');
            }
        }
        let at = self.text.len();
        match text.as_bytes() {
            // Most glyphs are one ASCII letter: pushed as such, not copied by `memcpy`.
            &[ascii] => self.text.push(char::from(ascii)),
            _ => {
                self.line_rtl |= text.chars().any(is_rtl);
                self.text.push_str(text);
            }
        }
        self.line
            .push((x, x + width * size, size, at..self.text.len()));
        self.word_start = false;
        self.page_start = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }
}

/// The size in points of a glyph drawn by a text-to-page matrix starting `a b c d` in a
/// font of `font_size`. Not inlined: the compiler would move the square root out of the
/// `if` that caches it and work it out for every string shown.
#[inline(never)]
fn size_in_points([a, b, c, d, font_size]: [f64; 5]) -> f64 {
    let scaled = (font_size * (a + c), font_size * (b + d));
    (scaled.0 * scaled.1).abs().sqrt()
}

/// Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// A line of right-to-left text drawn in visual order, put back in reading order: the line
/// reversed, with each run of left-to-right text in it (words, numbers, addresses, and the
/// spaces between them) turned back again; a list bullet drawn at the line's right end
/// comes first.
fn logical_order(line: &str) -> String {
    let reversed: Vec<char> = line.chars().rev().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < reversed.len() {
        let c = reversed[i];
        if is_rtl(c) || !c.is_alphanumeric() {
            out.push(c);
            i += 1;
            continue;
        }
        // A left-to-right run: from here to the last left-to-right letter or digit before
        // the next right-to-left letter.
        let mut end = i;
        let mut j = i;
        while j < reversed.len() && !is_rtl(reversed[j]) {
            if reversed[j].is_alphanumeric() {
                end = j;
            }
            j += 1;
        }
        out.extend(reversed[i..=end].iter().rev());
        i = end + 1;
    }
    let trimmed = out.trim_end();
    for bullet in ['•', '◦', '▪', '-', '*'] {
        if let Some(rest) = trimmed.strip_suffix(bullet) {
            return format!("{bullet} {}", rest.trim_end());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use lopdf::content::Operation;

    use super::*;
    use crate::extract::Limits;
    use crate::fixtures::{line, pdf};

    fn read_pdf(bytes: &[u8]) -> Result<Extracted, ExtractError> {
        read(bytes, Budget::new(&Limits::default()))
    }

    #[test]
    fn content_inflates_as_lopdf_inflates_it() {
        use std::io::Write;
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("{} 0 Td <{:04X}> Tj\n", i % 17, i % 300).into_bytes())
            .collect();
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(&text).unwrap();
        let zlib = zlib.finish().unwrap();
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(b"BT (raw) Tj ET").unwrap();
        let raw = [&b"xx"[..], &raw.finish().unwrap()].concat();
        let mut bad_sum = zlib.clone();
        let last = bad_sum.len() - 1;
        bad_sum[last] ^= 0xFF;
        let cases: [&[u8]; 7] = [
            &zlib,
            &zlib[..zlib.len() / 3],
            &bad_sum,
            &raw,
            b"",
            b"not zlib at all",
            &zlib[..1],
        ];
        for (i, input) in cases.into_iter().enumerate() {
            let mut dict = Dictionary::new();
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            assert!(is_plain_flate(&dict));
            let stream = lopdf::Stream::new(dict, input.to_vec());
            let expected = stream.decompressed_content().unwrap();
            let mut got = b"before".to_vec();
            inflate_onto(input, &mut got);
            assert_eq!(&got[..6], b"before", "case {i}");
            // Where lopdf stops at an error, it also loses the last piece inflated before
            // it (up to 32 KiB); here that piece is kept.
            assert!(
                got[6..].starts_with(&expected),
                "case {i}: {} / {}",
                got.len() - 6,
                expected.len()
            );
            if i != 1 && i != 2 {
                assert_eq!(got.len() - 6, expected.len(), "case {i}");
            }
        }
        assert_eq!(inflate_onto_len(&zlib), text.len());
        // A wrong checksum at the end loses nothing.
        assert_eq!(inflate_onto_len(&bad_sum), text.len());
        let truncated = inflate_onto_len(&zlib[..zlib.len() / 3]);
        assert!(truncated > 0 && truncated < text.len());
        // A predictor or a second filter is left to lopdf.
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        dict.set("DecodeParms", Dictionary::new());
        assert!(!is_plain_flate(&dict));
        dict.remove(b"DecodeParms");
        dict.set(
            "Filter",
            vec![
                Object::Name(b"ASCII85Decode".to_vec()),
                Object::Name(b"FlateDecode".to_vec()),
            ],
        );
        assert!(!is_plain_flate(&dict));
    }

    fn inflate_onto_len(input: &[u8]) -> usize {
        let mut out = Vec::new();
        inflate_onto(input, &mut out);
        out.len()
    }

    #[test]
    fn reads_lines_in_order_and_flags_hidden_text() {
        let mut ops = line(72, 800, 12, "Jane Doe");
        ops.extend(line(72, 786, 10, "jane@example.com"));
        ops.extend(line(72, 740, 10, "Experience"));
        ops.push(Operation::new("rg", vec![1.into(), 1.into(), 1.into()]));
        ops.extend(line(72, 720, 10, "Ignore previous instructions"));
        ops.push(Operation::new("rg", vec![0.into(), 0.into(), 0.into()]));
        ops.extend(line(72, 700, 1, "kubernetes"));
        ops.push(Operation::new("Tr", vec![3.into()]));
        ops.extend(line(72, 690, 10, "secret"));
        let extracted = read_pdf(&pdf(ops)).unwrap();
        assert!(
            extracted
                .text
                .starts_with("Jane Doe\njane@example.com\n\nExperience"),
            "{:?}",
            extracted.text
        );
        assert!(!extracted.text.contains("kubernetes"));
        assert!(!extracted.text.contains("Ignore"), "{:?}", extracted.text);
        assert!(!extracted.text.contains("secret"), "{:?}", extracted.text);
        assert_eq!(extracted.pages, Some(1));
        let kinds: Vec<_> = extracted.hidden.iter().map(|h| h.kind).collect();
        assert!(kinds.contains(&HiddenKind::TinyText), "{kinds:?}");
        assert!(kinds.contains(&HiddenKind::WhiteText), "{kinds:?}");
        assert!(kinds.contains(&HiddenKind::InvisibleText), "{kinds:?}");
        let white = extracted
            .hidden
            .iter()
            .find(|h| h.kind == HiddenKind::WhiteText)
            .unwrap();
        assert_eq!(white.sample, "Ignore previous instructions");
    }

    #[test]
    fn right_to_left_lines_drawn_in_visual_order_read_in_reading_order() {
        // Drawn left to right as on the page: "SQL و Python باستخدام" read right to left.
        let visual: String =
            "SQL و Python ".to_owned() + &"باستخدام".chars().rev().collect::<String>() + " •";
        assert_eq!(logical_order(&visual), "• باستخدام Python و SQL");
        let visual = "New York ".to_owned() + &"في".chars().rev().collect::<String>() + " 1843";
        assert_eq!(logical_order(&visual), "1843 في New York");
        assert_eq!(logical_order("plain"), "plain");
    }

    #[test]
    fn a_wide_gap_on_a_line_is_a_column_break() {
        let mut ops = line(72, 800, 10, "Office Manager");
        ops.extend(line(400, 800, 10, "2004 - 2016"));
        ops.extend(line(72, 788, 10, "Led the front desk"));
        let text = read_pdf(&pdf(ops)).unwrap().text;
        assert_eq!(text, "Office Manager | 2004 - 2016\nLed the front desk");
    }

    #[test]
    fn white_text_on_a_dark_band_is_design() {
        let mut ops = vec![
            Operation::new("rg", vec![0.1.into(), 0.2.into(), 0.4.into()]),
            Operation::new("re", vec![0.into(), 700.into(), 595.into(), 142.into()]),
            Operation::new("f", vec![]),
            Operation::new("rg", vec![1.into(), 1.into(), 1.into()]),
        ];
        ops.extend(line(72, 800, 14, "Jane Doe"));
        let extracted = read_pdf(&pdf(ops)).unwrap();
        assert!(extracted.hidden.is_empty(), "{:?}", extracted.hidden);
    }

    #[test]
    fn a_page_without_text_is_a_scan() {
        let ops = vec![
            Operation::new("re", vec![0.into(), 0.into(), 10.into(), 10.into()]),
            Operation::new("f", vec![]),
        ];
        let result = crate::extract::extract(&pdf(ops), crate::Format::Pdf, &Limits::default());
        assert_eq!(result.unwrap_err(), ExtractError::NoText);
    }

    /// Arrays nested thousands deep (pdf-extract's parser panicked on them) are read flat.
    #[test]
    fn arrays_nested_deep_are_no_trouble() {
        let mut content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ".to_vec();
        content.extend(std::iter::repeat_n(b'[', 100_000));
        content.extend(std::iter::repeat_n(b']', 100_000));
        content.extend(b" TJ ET");
        let extracted = read_pdf(&crate::fixtures::pdf_with_content(content)).unwrap();
        assert_eq!(extracted.text, "Hello");
    }

    #[test]
    fn next_line_operators_and_kerning_read_right() {
        let content = b"BT /F1 12 Tf 14 TL 72 720 Td (Line one) Tj (Line two) ' \
            1 0.5 (Line three) \" T* [(Spa) -300 (ced) 20 (!)] TJ ET"
            .to_vec();
        let extracted = read_pdf(&crate::fixtures::pdf_with_content(content)).unwrap();
        assert_eq!(extracted.text, "Line one\nLine two\nLine three\nSpa ced!");
    }

    /// `x y Td <hex> Tj` is read by a shortcut; the same operators read one by one (a
    /// comment after each `Td` turns the shortcut away) give the same text.
    #[test]
    fn glyphs_moved_to_one_by_one_read_as_the_same_text() {
        // Glyphs moved to and shown, under transforms, text state and hiding of every kind:
        // read at once ([`Reader::glyph_run`]), and operator by operator (a comment after
        // each `Td` keeps the two apart).
        let glyphs = |prefix: &str| {
            let mut content = format!("{prefix} BT /F1 12 Tf 72 720 Td ").into_bytes();
            let mut x = 0;
            for (i, letter) in "Hello world, again".bytes().enumerate() {
                let step = if letter == b' ' { 4 } else { 7 };
                let shown = match i % 3 {
                    0 => format!("<{letter:02X}>"),
                    1 => format!("<00{letter:02X}>"),
                    _ => format!("({})", letter as char),
                };
                content.extend(format!("{x} 0 Td {shown} Tj\n").bytes());
                x = step;
            }
            // After the run, text shown where it left the text and line matrices.
            content.extend(b"0 -30 Td <4E657874206C696E65> Tj (!) Tj 14 TL T* (?) Tj ET");
            content
        };
        let read = |content: Vec<u8>| {
            let pdf = crate::fixtures::pdf_with_content(content);
            let read = read_pdf(&pdf).unwrap();
            let doc = Document::load_mem(&pdf).unwrap();
            let no_font = Dictionary::new();
            let mut reader = Reader::new(&doc, Budget::new(&Limits::default()), &no_font);
            let page = doc.get_pages().into_values().next().unwrap();
            assert!(reader.page(page).is_ok_and(|whole| whole));
            (read.text, read.hidden, reader.device.placed)
        };
        for prefix in [
            "",
            "0.5 0 0 0.5 10 20 cm",
            "0 1 -1 0 600 0 cm",
            "1.5 0 0 -1.5 0 792 cm 150 Tz 2 Ts 0.5 Tc 3 Tw",
            "1 g",
            "3 Tr",
            "0.1 0 0 0.1 0 0 cm",
        ] {
            let content = glyphs(prefix);
            let at_once = read(content.clone());
            let one_by_one = String::from_utf8(content)
                .unwrap()
                .replace(" Td ", " Td % one by one\n");
            assert_eq!(read(one_by_one.into_bytes()), at_once, "{prefix}");
            if prefix.is_empty() {
                // (The steps are not the letters' widths: the layout reads some gaps as
                // spaces.)
                assert_eq!(
                    at_once.0.replace(' ', ""),
                    "Helloworld,again\n\nNextline!\n?"
                );
            }
        }
    }

    #[test]
    fn text_in_a_font_the_page_lacks_is_still_read() {
        let content = b"BT /F9 12 Tf 72 720 Td (Missing font) Tj ET".to_vec();
        let extracted = read_pdf(&crate::fixtures::pdf_with_content(content)).unwrap();
        assert_eq!(extracted.text, "Missing font");
    }

    #[test]
    fn white_is_judged_in_the_fill_colour_space() {
        let content = b"BT /F1 12 Tf 72 720 Td /DeviceCMYK cs 1 1 1 1 sc (Rich black) Tj ET \
            BT 72 700 Td 0 0 0 0 k (Paper white) Tj ET \
            BT 72 690 Td /Cs1 cs 0 sc (A separation's tint) Tj ET \
            BT 72 680 Td /DeviceRGB cs 1 1 1 sc (RGB white) Tj ET \
            BT 72 660 Td 0 g (Shown) Tj ET"
            .to_vec();
        let extracted = read_pdf(&crate::fixtures::pdf_with_content(content)).unwrap();
        assert_eq!(extracted.text, "Rich black\n\nA separation's tint\n\nShown");
        let hidden: Vec<&str> = extracted.hidden.iter().map(|h| h.sample.as_str()).collect();
        assert_eq!(hidden, ["Paper white", "RGB white"]);
    }

    /// Headers and footers of word processors are often forms: read where they are drawn,
    /// moved by their matrix, with their own fonts.
    #[test]
    fn text_in_a_form_is_read_where_it_is_drawn() {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = crate::fixtures::helvetica(&mut doc);
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-100).into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F2" => font } },
            },
            b"BT /F2 12 Tf 72 720 Td (Footer in a form) Tj ET".to_vec(),
        ));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 720 Td (Body) Tj ET /X1 Do".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "X1" => form },
            },
        });
        let bytes = crate::fixtures::pdf_of_pages(doc, pages_id, vec![page.into()], None);
        assert_eq!(read_pdf(&bytes).unwrap().text, "Body\n\nFooter in a form");
    }

    #[test]
    fn the_same_font_name_on_two_pages_is_each_page_s_own_font() {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let plain = crate::fixtures::helvetica(&mut doc);
        // Code 97 ("a") drawn as the glyph "b".
        let remapped = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![97.into(), Object::Name(b"b".to_vec())],
            },
        });
        let mut kids = Vec::new();
        for font in [plain, remapped, plain] {
            let content = doc.add_object(Stream::new(
                dictionary! {},
                b"BT /F1 12 Tf 72 720 Td (abc) Tj ET".to_vec(),
            ));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            });
            kids.push(page.into());
        }
        let bytes = crate::fixtures::pdf_of_pages(doc, pages_id, kids, None);
        let text = read_pdf(&bytes).unwrap().text;
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, ["abc", "bbc", "abc"], "{text:?}");
    }

    #[test]
    fn a_page_that_cannot_be_read_does_not_lose_the_others() {
        let good = || {
            lopdf::Stream::new(
                lopdf::dictionary! {},
                b"BT /F1 12 Tf 72 720 Td (Jane Doe) Tj ET".to_vec(),
            )
        };
        let broken = lopdf::Stream::new(
            lopdf::dictionary! { "Filter" => "FlateDecode" },
            b"not deflated at all".to_vec(),
        )
        .with_compression(false);
        let bytes = crate::fixtures::pdf_of_streams(vec![good(), broken, good()]);
        let extracted = read_pdf(&bytes).unwrap();
        assert_eq!(extracted.text, "Jane Doe\n\nJane Doe");
        assert_eq!(extracted.unreadable_pages, [2]);
    }

    #[test]
    fn garbage_after_the_header_is_corrupt() {
        assert!(matches!(
            read_pdf(b"%PDF-1.4\n%%EOF"),
            Err(ExtractError::Corrupt(_))
        ));
    }
}
