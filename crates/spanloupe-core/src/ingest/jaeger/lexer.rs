//! A strict JSON reader that walks the text once, for [`super::fast`]:
//! every method either reads what JSON allows there or returns `None`, and
//! the caller then hands the whole input to serde, which says what is
//! wrong. So this never has to explain an error, only to never accept
//! what serde would refuse.

use std::borrow::Cow;

use super::TagValue;

/// How deep lists and objects may nest: under serde's limit (128), so that
/// what serde refuses for its depth is never read here.
const MAX_DEPTH: usize = 100;

pub(super) struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Lists and objects open around `at`.
    depth: usize,
    /// `bytes` as text, when it was checked as UTF-8 whole (else each
    /// string is checked).
    text: Option<&'a str>,
}

impl<'a> Lexer<'a> {
    pub fn new(bytes: &'a [u8], text: Option<&'a str>) -> Self {
        Lexer {
            bytes,
            at: 0,
            depth: 0,
            text,
        }
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_whitespace();
        self.at >= self.bytes.len()
    }

    /// The next byte after whitespace, not taken.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.at).copied()
    }

    /// Takes `byte` when it comes next (after whitespace).
    #[inline]
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Takes `null` when it comes next.
    pub fn null(&mut self) -> bool {
        self.peek() == Some(b'n') && self.word(b"null")
    }

    /// An object: `field` is called with each key, the lexer after its `:`,
    /// and must read the value.
    pub fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.expect(b'{')?;
        self.enter()?;
        if self.eat(b'}') {
            self.depth = self.depth.saturating_sub(1);
            return Some(());
        }
        let key = self.string()?;
        self.expect(b':')?;
        field(self, key)?;
        self.object_rest(field)
    }

    /// The rest of an object after a member: `,` and more members, then `}`.
    pub fn object_rest(
        &mut self,
        mut field: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        loop {
            if !self.eat(b',') {
                self.expect(b'}')?;
                self.depth = self.depth.saturating_sub(1);
                return Some(());
            }
            let key = self.string()?;
            self.expect(b':')?;
            field(self, key)?;
        }
    }

    /// Takes `bytes` when they come next, exactly (no whitespace skipped):
    /// the keys a writer always puts in the same order are matched so.
    #[inline]
    pub fn exact(&mut self, bytes: &[u8]) -> bool {
        let found = self
            .bytes
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(bytes));
        if found {
            self.at += bytes.len();
        }
        found
    }

    /// A list: `item` is called for each element and must read it. Returns
    /// how many there were.
    pub fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<usize> {
        self.expect(b'[')?;
        self.enter()?;
        let mut count = 0;
        if !self.eat(b']') {
            loop {
                item(self)?;
                count += 1;
                if !self.eat(b',') {
                    self.expect(b']')?;
                    break;
                }
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Some(count)
    }

    /// One more list or object open, within [`MAX_DEPTH`]: for an object
    /// whose `{` was taken by [`exact`](Self::exact) before its
    /// [`object_rest`](Self::object_rest), which closes it.
    pub fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A string, borrowed when it has no escapes.
    pub fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let end = start + self.plain_run(start);
        match self.bytes.get(end)? {
            b'"' => {
                self.at = end + 1;
                self.text(start, end).map(Cow::Borrowed)
            }
            b'\\' => {
                let mut owned = self.text(start, end)?.to_owned();
                self.at = end;
                self.escaped(&mut owned)?;
                Some(Cow::Owned(owned))
            }
            // A control character, which JSON strings may not hold.
            _ => None,
        }
    }

    /// A scalar as a tag's value: a string, a number, `true`, `false` or
    /// `null`; a list or an object is skipped and read as `Other`.
    pub fn tag_value(&mut self) -> Option<TagValue<'a>> {
        match self.peek()? {
            b'"' => self.string().map(TagValue::Str),
            b't' => self.word(b"true").then_some(TagValue::Bool(true)),
            b'f' => self.word(b"false").then_some(TagValue::Bool(false)),
            b'n' => self.word(b"null").then_some(TagValue::Null),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => self.skip().map(|()| TagValue::Other),
            _ => None,
        }
    }

    /// Skips any value.
    pub fn skip_value(&mut self) -> Option<()> {
        self.skip()
    }

    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'[' => self.list(Self::skip).map(|_| ()),
            b'{' => self.object(|lexer, _| lexer.skip()),
            _ => self.tag_value().map(|_| ()),
        }
    }

    /// A string that is not needed: checked, not kept.
    fn skip_string(&mut self) -> Option<()> {
        self.string().map(|_| ())
    }

    /// A number as serde_json reads it: an integer when it has neither a
    /// fraction nor an exponent and fits 64 bits, else a float.
    fn number(&mut self) -> Option<TagValue<'a>> {
        let start = self.at;
        self.take(b'-');
        // An integer part of 0, or of digits not starting with 0.
        if !self.take(b'0') {
            if !matches!(self.bytes.get(self.at), Some(b'1'..=b'9')) {
                return None;
            }
            self.digits();
        }
        let mut integer = true;
        if self.take(b'.') {
            integer = false;
            if self.digits() == 0 {
                return None;
            }
        }
        if self.take(b'e') || self.take(b'E') {
            integer = false;
            if !self.take(b'+') {
                self.take(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let digits = self.bytes.get(start..self.at)?;
        if integer && let Some(value) = integer_value(digits) {
            return Some(value);
        }
        // Digits, signs and dots are ASCII.
        let text = std::str::from_utf8(digits).ok()?;
        let float = text.parse::<f64>().ok()?;
        // serde refuses a number too large for a float.
        float.is_finite().then_some(TagValue::Float(float))
    }

    /// An unsigned integer (a time, a duration, flags), or `None` for
    /// anything else.
    pub fn unsigned(&mut self) -> Option<u64> {
        self.skip_whitespace();
        let start = self.at;
        let mut value: u64 = 0;
        while let Some(&byte @ b'0'..=b'9') = self.bytes.get(self.at) {
            value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
            self.at += 1;
        }
        let digits = self.at - start;
        let leading_zero = digits > 1 && self.bytes.get(start) == Some(&b'0');
        let continues = matches!(self.bytes.get(self.at), Some(b'.' | b'e' | b'E'));
        (digits > 0 && !leading_zero && !continues).then_some(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.at - start
    }

    fn take(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, word: &[u8]) -> bool {
        let found = self
            .bytes
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(word));
        if found {
            self.at += word.len();
        }
        found
    }

    /// How many bytes from `start` need no attention in a string: not a
    /// quote, a backslash or a control character. Eight at a time.
    fn plain_run(&self, start: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let mut at = 0;
        while let Some(chunk) = rest.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([b'"'; 8]));
            let quote = word ^ (ONES * u64::from(b'"'));
            let backslash = word ^ (ONES * u64::from(b'\\'));
            // A byte is zero (a match) or under 0x20 when subtracting sets
            // its high bit where the byte's own high bit was clear.
            let special = (quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash)
                | (word.wrapping_sub(ONES * 0x20) & !word);
            if special & HIGHS != 0 {
                break;
            }
            at += 8;
        }
        while let Some(&byte) = rest.get(at) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                break;
            }
            at += 1;
        }
        at
    }

    /// The text of `start..end`, checked as UTF-8 unless the input was.
    fn text(&self, start: usize, end: usize) -> Option<&'a str> {
        match self.text {
            Some(text) => text.get(start..end),
            None => std::str::from_utf8(self.bytes.get(start..end)?).ok(),
        }
    }

    /// The rest of a string from a backslash on, into `out`.
    fn escaped(&mut self, out: &mut String) -> Option<()> {
        loop {
            match self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    let escape = *self.bytes.get(self.at)?;
                    self.at += 1;
                    let unescaped = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(unescaped);
                }
                _ => {
                    let start = self.at;
                    let end = start + self.plain_run(start);
                    if end == start {
                        // A control character.
                        return None;
                    }
                    out.push_str(self.text(start, end)?);
                    self.at = end;
                }
            }
        }
    }

    /// `XXXX` after `\u`, with the low half of a surrogate pair after it.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                if !(self.take(b'\\') && self.take(b'u')) {
                    return None;
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(first),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut value = 0;
        for &digit in digits {
            value = value * 16 + char::from(digit).to_digit(16)?;
        }
        self.at += 4;
        Some(value)
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }
}

/// An integer's value: `Int` when it fits `i64`, `Unsigned` past it, `None`
/// past `u64` (serde then reads a float).
fn integer_value(text: &[u8]) -> Option<TagValue<'static>> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', digits)) => (true, digits),
        _ => (false, text),
    };
    let mut value: u64 = 0;
    for &digit in digits {
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit.wrapping_sub(b'0')))?;
    }
    if negative {
        // -2^63 is the one value whose magnitude `i64` cannot hold.
        let magnitude = i64::try_from(value).ok().map(|n| -n);
        let value = magnitude.or((value == 1 << 63).then_some(i64::MIN))?;
        return Some(TagValue::Int(value));
    }
    Some(i64::try_from(value).map_or(TagValue::Unsigned(value), TagValue::Int))
}
