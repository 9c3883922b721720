"""Writes crates/pursuit-files/src/pdf/tables.rs, the PDF reader's tables: PostScript glyph
names of the Latin letters with diacritics (U+00C0-U+017F), formed by the naming rule (base
letter + accent word), plus named symbols and punctuation written out below; and the
WinAnsi (Windows-1252), Mac Roman and Standard encodings as code -> character.
Run: python3 scripts/gen-glyph-names.py > crates/pursuit-files/src/pdf/tables.rs"""
import unicodedata

ACCENTS = {
    "ACUTE": ["acute"], "GRAVE": ["grave"], "CIRCUMFLEX": ["circumflex"], "TILDE": ["tilde"],
    "DIAERESIS": ["dieresis"], "RING ABOVE": ["ring"], "CEDILLA": ["cedilla", "commaaccent"],
    "CARON": ["caron"], "MACRON": ["macron"], "BREVE": ["breve"], "OGONEK": ["ogonek"],
    "DOT ABOVE": ["dotaccent"], "DOUBLE ACUTE": ["hungarumlaut"], "MIDDLE DOT": ["dot"],
}
STROKE = {"D": "croat", "H": "bar", "T": "bar", "L": "slash", "O": "slash"}
SPECIAL = {
    "AE": "\u00c6", "ae": "\u00e6", "OE": "\u0152", "oe": "\u0153", "Eth": "\u00d0",
    "eth": "\u00f0", "Thorn": "\u00de", "thorn": "\u00fe", "germandbls": "\u00df",
    "dotlessi": "\u0131", "IJ": "\u0132", "ij": "\u0133", "kgreenlandic": "\u0138",
    "napostrophe": "\u0149", "Eng": "\u014a", "eng": "\u014b", "longs": "\u017f",
    "Idotaccent": "\u0130",
}
SYMBOLS = {
    "space": " ", "exclam": "!", "quotedbl": '"', "numbersign": "#", "dollar": "$",
    "percent": "%", "ampersand": "&", "quotesingle": "'", "parenleft": "(",
    "parenright": ")", "asterisk": "*", "plus": "+", "comma": ",", "hyphen": "-",
    "period": ".", "slash": "/", "zero": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "colon": ":", "semicolon": ";", "less": "<", "equal": "=", "greater": ">",
    "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\",
    "bracketright": "]", "asciicircum": "^", "underscore": "_", "grave": "`",
    "braceleft": "{", "bar": "|", "braceright": "}", "asciitilde": "~",
    "exclamdown": "\u00a1", "cent": "\u00a2", "sterling": "\u00a3", "currency": "\u00a4",
    "yen": "\u00a5", "brokenbar": "\u00a6", "section": "\u00a7", "dieresis": "\u00a8",
    "copyright": "\u00a9", "ordfeminine": "\u00aa", "guillemotleft": "\u00ab",
    "guillemetleft": "\u00ab", "logicalnot": "\u00ac", "sfthyphen": "\u00ad",
    "registered": "\u00ae", "macron": "\u00af", "degree": "\u00b0", "plusminus": "\u00b1",
    "twosuperior": "\u00b2", "threesuperior": "\u00b3", "acute": "\u00b4", "mu": "\u00b5",
    "paragraph": "\u00b6", "periodcentered": "\u00b7", "cedilla": "\u00b8",
    "onesuperior": "\u00b9", "ordmasculine": "\u00ba", "guillemotright": "\u00bb",
    "guillemetright": "\u00bb", "onequarter": "\u00bc", "onehalf": "\u00bd",
    "threequarters": "\u00be", "questiondown": "\u00bf", "multiply": "\u00d7",
    "divide": "\u00f7", "nbspace": "\u00a0", "nonbreakingspace": "\u00a0",
    "Euro": "\u20ac", "euro": "\u20ac", "quotesinglbase": "\u201a", "florin": "\u0192",
    "quotedblbase": "\u201e", "ellipsis": "\u2026", "dagger": "\u2020",
    "daggerdbl": "\u2021", "circumflex": "\u02c6", "perthousand": "\u2030",
    "guilsinglleft": "\u2039", "guilsinglright": "\u203a", "quoteleft": "\u2018",
    "quoteright": "\u2019", "quotedblleft": "\u201c", "quotedblright": "\u201d",
    "bullet": "\u2022", "endash": "\u2013", "emdash": "\u2014", "tilde": "\u02dc",
    "trademark": "\u2122", "fi": "fi", "fl": "fl", "ff": "ff", "ffi": "ffi", "ffl": "ffl",
    "fraction": "\u2044", "ring": "\u02da", "breve": "\u02d8", "dotaccent": "\u02d9",
    "hungarumlaut": "\u02dd", "ogonek": "\u02db", "caron": "\u02c7", "minus": "\u2212",
    "periodcentered.loclCAT": "\u00b7", "figuredash": "\u2012", "horizontalbar": "\u2015",
    "quotereversed": "\u201b", "minute": "\u2032", "second": "\u2033",
    "arrowright": "\u2192", "arrowleft": "\u2190", "arrowup": "\u2191", "arrowdown": "\u2193",
    "arrowboth": "\u2194", "lozenge": "\u25ca", "blackcircle": "\u25cf", "circle": "\u25cb",
    "filledbox": "\u25a0", "H22073": "\u25a1", "H18543": "\u25aa", "H18551": "\u25ab",
    "H18533": "\u25cf", "triagrt": "\u25ba", "openbullet": "\u25e6", "check": "\u2713",
    "checkmark": "\u2713", "star": "\u2605", "approxequal": "\u2248", "notequal": "\u2260",
    "lessequal": "\u2264", "greaterequal": "\u2265", "infinity": "\u221e",
    "numero": "\u2116", "estimated": "\u212e", "dotmath": "\u22c5",
    "uni00A0": "\u00a0", "twodotenleader": "\u2025", "onedotenleader": "\u2024",
    "zerowidthspace": "\u200b", "hyphentwo": "\u2010", "nbhyphen": "\u2011",
    # TeX's math fonts.
    "diamondmath": "\u22c4", "circlecopyrt": "\u20dd", "asteriskmath": "\u2217",
    "similar": "\u223c", "element": "\u2208", "bardbl": "\u2016",
    "angbracketleft": "\u27e8", "angbracketright": "\u27e9", "bulletmath": "\u2219",
}

names = {}
for cp in range(0xC0, 0x180):
    c = chr(cp)
    try:
        uname = unicodedata.name(c)
    except ValueError:
        continue
    if not uname.startswith("LATIN ") or " LETTER " not in uname or " WITH " not in uname:
        continue
    head, accent = uname.split(" WITH ", 1)
    letter = head.split(" LETTER ")[1]
    if len(letter) != 1:
        continue
    base = letter if "CAPITAL" in head else letter.lower()
    if accent == "STROKE":
        words = [STROKE.get(letter, "slash")]
    else:
        words = ACCENTS.get(accent)
    if not words:
        continue
    for w in words:
        names.setdefault(base + w, c)
names.update(SPECIAL)
names.update(SYMBOLS)
print("// @generated by scripts/gen-glyph-names.py: glyph names (sorted for a binary search) and")
print("// the simple encodings of the PDF reader. Edit the script, not this file.")
print()
print("pub(super) const GLYPH_NAMES: &[(&str, &str)] = &[")
for n in sorted(names):
    v = names[n]
    esc = "".join(ch if 0x20 <= ord(ch) < 0x7f and ch not in '"\\' else "\\u{%x}" % ord(ch) for ch in v)
    print(f'    ("{n}", "{esc}"),')
print("];")

def table(name, decode):
    print()
    print(f"pub(super) const {name}: [char; 256] = [")
    row = []
    for b in range(256):
        c = decode(b)
        row.append("'\\0'" if c is None else ("'\\u{%x}'" % ord(c)))
    for i in range(0, 256, 8):
        print("    " + ", ".join(row[i:i + 8]) + ",")
    print("];")

def codec(name):
    def decode(b):
        if b < 0x20:
            return None
        try:
            c = bytes([b]).decode(name)
        except UnicodeDecodeError:
            return None
        return None if unicodedata.category(c) == "Cc" else c
    return decode

STANDARD_HIGH = {
    0xA1: "\u00a1", 0xA2: "\u00a2", 0xA3: "\u00a3", 0xA4: "\u2044", 0xA5: "\u00a5",
    0xA6: "\u0192", 0xA7: "\u00a7", 0xA8: "\u00a4", 0xA9: "'", 0xAA: "\u201c",
    0xAB: "\u00ab", 0xAC: "\u2039", 0xAD: "\u203a", 0xAE: "\ufb01", 0xAF: "\ufb02",
    0xB1: "\u2013", 0xB2: "\u2020", 0xB3: "\u2021", 0xB4: "\u00b7", 0xB6: "\u00b6",
    0xB7: "\u2022", 0xB8: "\u201a", 0xB9: "\u201e", 0xBA: "\u201d", 0xBB: "\u00bb",
    0xBC: "\u2026", 0xBD: "\u2030", 0xBF: "\u00bf", 0xC1: "`", 0xC2: "\u00b4",
    0xC3: "\u02c6", 0xC4: "\u02dc", 0xC5: "\u00af", 0xC6: "\u02d8", 0xC7: "\u02d9",
    0xC8: "\u00a8", 0xCA: "\u02da", 0xCB: "\u00b8", 0xCD: "\u02dd", 0xCE: "\u02db",
    0xCF: "\u02c7", 0xD0: "\u2014", 0xE1: "\u00c6", 0xE3: "\u00aa", 0xE8: "\u0141",
    0xE9: "\u00d8", 0xEA: "\u0152", 0xEB: "\u00ba", 0xF1: "\u00e6", 0xF5: "\u0131",
    0xF8: "\u0142", 0xF9: "\u00f8", 0xFA: "\u0153", 0xFB: "\u00df",
}

def standard(b):
    if b == 0x27:
        return "\u2019"
    if b == 0x60:
        return "\u2018"
    if 0x20 <= b < 0x7F:
        return chr(b)
    return STANDARD_HIGH.get(b)

table("WIN_ANSI", codec("cp1252"))
table("MAC_ROMAN", codec("mac_roman"))
table("STANDARD", standard)
