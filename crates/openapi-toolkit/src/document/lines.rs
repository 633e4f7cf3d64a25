//! Where each JSON pointer of a YAML or JSON document is written, so that findings about the parsed document can
//! name a line, and the text of numbers that a JSON value cannot hold exactly.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::escape as escape_pointer_token;

/// Maps the JSON pointer of every node to its line and column (1-based): the key's position for a
/// mapping entry, the item's own position for a sequence item.
#[derive(Debug, Default)]
pub struct Lines {
    positions: HashMap<String, (usize, usize)>,
    duplicates: Vec<Duplicate>,
    /// The text of each number that a float cannot hold exactly (an integer beyond 64 bits, more than 17
    /// significant digits), by pointer, so that the published form writes it as the author did.
    numbers: HashMap<String, String>,
}

/// A key written a second time in one mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The pointer both entries have.
    pub pointer: String,
    pub key: String,
    /// Line and column of the first entry, and of this one.
    pub first: (usize, usize),
    pub position: (usize, usize),
}

impl Lines {
    /// Indexes `text`; a document that does not parse gives an empty index (the parse error is
    /// reported elsewhere, with its own position).
    pub fn new(text: &str) -> Self {
        let mut indexer = Indexer::default();
        if Parser::new_from_str(text).load(&mut indexer, false).is_err() {
            return Self::default();
        }
        Self {
            positions: indexer.positions,
            duplicates: indexer.duplicates,
            numbers: indexer.numbers,
        }
    }

    /// Indexes a JSON text. YAML's parser cannot stand in: a JSON string may hold an escaped surrogate pair
    /// (`"\ud83d\udc4d"`), which a YAML double-quoted scalar refuses, and then every line would be lost.
    pub fn new_json(text: &str) -> Self {
        let mut scanner = JsonScanner {
            text,
            at: 0,
            line: 1,
            column: 1,
            indexer: Indexer::default(),
        };
        if scanner.value(String::new(), 0).is_none() {
            return Self::default();
        }
        Self {
            positions: scanner.indexer.positions,
            duplicates: scanner.indexer.duplicates,
            numbers: scanner.indexer.numbers,
        }
    }

    /// The text of the number at `pointer`, where a float would not hold it exactly.
    pub fn number_text(&self, pointer: &str) -> Option<&str> {
        self.numbers.get(pointer).map(String::as_str)
    }

    /// Every key that its mapping already had, in the order of the text.
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// The position of exactly `pointer`, if the file writes it.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        self.positions.get(pointer).copied()
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut pointer = pointer;
        loop {
            if let Some(position) = self.positions.get(pointer) {
                return Some(*position);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

enum Frame {
    Mapping {
        pointer: String,
        key: Option<String>,
        /// Each key seen so far, with its position.
        seen: HashMap<String, (usize, usize)>,
    },
    Sequence {
        pointer: String,
        index: usize,
    },
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
    duplicates: Vec<Duplicate>,
    numbers: HashMap<String, String>,
}

/// Whether a number's text says more than a float holds: an integer beyond 64 bits, or more than 17 significant
/// digits (the most an `f64` needs to be written back exactly).
fn inexact(text: &str) -> bool {
    let is_integer = !text.contains(['.', 'e', 'E']);
    if is_integer {
        return text.parse::<i64>().is_err() && text.parse::<u64>().is_err();
    }
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let digits = mantissa.trim_start_matches(['-', '+']).replace('.', "");
    digits.trim_start_matches('0').trim_end_matches('0').len() > 17
}

/// A number as YAML's core schema writes one (a plain scalar): `-12`, `3.5`, `1e400`.
fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    body.starts_with(|c: char| c.is_ascii_digit()) && text.parse::<f64>().is_ok()
}

/// A small JSON reader that only records where things are; the document's value comes from serde_json, which
/// has already accepted the text.
struct JsonScanner<'t> {
    text: &'t str,
    /// Byte offset.
    at: usize,
    line: usize,
    column: usize,
    indexer: Indexer,
}

impl JsonScanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.text[self.at..].chars().next()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn record(&mut self, pointer: &str) {
        let position = (self.line, self.column);
        self.indexer.positions.entry(pointer.to_string()).or_insert(position);
    }

    /// A string's decoded text; the scanner stands after its closing quote.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.bump();
        loop {
            match self.bump()? {
                '\\' => {
                    self.bump()?;
                }
                '"' => break,
                _ => {}
            }
        }
        serde_json::from_str(&self.text[start..self.at]).ok()
    }

    /// One value at `pointer`; `None` when the text is not JSON (serde_json reports that, with its place).
    fn value(&mut self, pointer: String, depth: usize) -> Option<()> {
        if depth > 512 {
            return None;
        }
        self.skip_space();
        self.record(&pointer);
        match self.peek()? {
            b'{' => {
                self.bump();
                let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b'}' => {
                            self.bump();
                            return Some(());
                        }
                        b',' => {
                            self.bump();
                            continue;
                        }
                        b'"' => {}
                        _ => return None,
                    }
                    let position = (self.line, self.column);
                    let key = self.string()?;
                    let entry = format!("{pointer}/{}", escape_pointer_token(&key));
                    match seen.get(&key) {
                        Some(first) => self.indexer.duplicates.push(Duplicate {
                            pointer: entry.clone(),
                            key: key.clone(),
                            first: *first,
                            position,
                        }),
                        None => {
                            seen.insert(key, position);
                        }
                    }
                    self.indexer.positions.entry(entry.clone()).or_insert(position);
                    self.skip_space();
                    if self.bump()? != ':' {
                        return None;
                    }
                    self.value(entry, depth + 1)?;
                }
            }
            b'[' => {
                self.bump();
                let mut index = 0;
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b']' => {
                            self.bump();
                            return Some(());
                        }
                        b',' => {
                            self.bump();
                        }
                        _ => {
                            self.value(format!("{pointer}/{index}"), depth + 1)?;
                            index += 1;
                        }
                    }
                }
            }
            b'"' => self.string().map(drop),
            _ => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.bump();
                }
                let text = &self.text[start..self.at];
                if text.is_empty() {
                    return None;
                }
                if looks_numeric(text) && inexact(text) {
                    self.indexer.numbers.insert(pointer, text.to_string());
                }
                Some(())
            }
        }
    }
}

impl Indexer {
    /// The pointer a value starting now would have, and whether it is a mapping key.
    fn next_pointer(&self) -> (String, bool) {
        match self.stack.last() {
            None => (String::new(), false),
            Some(Frame::Mapping { pointer, key: None, .. }) => (pointer.clone(), true),
            Some(Frame::Mapping {
                pointer,
                key: Some(key),
                ..
            }) => (format!("{pointer}/{}", escape_pointer_token(key)), false),
            Some(Frame::Sequence { pointer, index }) => (format!("{pointer}/{index}"), false),
        }
    }

    /// A value has ended: the mapping waits for its next key, the sequence moves on.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key, .. }) => *key = None,
            Some(Frame::Sequence { index, .. }) => *index += 1,
            None => {}
        }
    }

    /// Keeps the earliest position seen for a pointer: the parser marks a block mapping where its
    /// first `:` is, after the key that really starts it.
    fn record(&mut self, pointer: String, mark: Marker) {
        let position = (mark.line(), mark.col() + 1);
        let entry = self.positions.entry(pointer).or_insert(position);
        *entry = (*entry).min(position);
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, style, ..) => {
                let (pointer, is_key) = self.next_pointer();
                if is_key {
                    let entry = format!("{pointer}/{}", escape_pointer_token(&value));
                    self.record(pointer, mark);
                    self.record(entry.clone(), mark);
                    let position = (mark.line(), mark.col() + 1);
                    if let Some(Frame::Mapping { key, seen, .. }) = self.stack.last_mut() {
                        if let Some(first) = seen.get(&value) {
                            self.duplicates.push(Duplicate {
                                pointer: entry,
                                key: value.clone(),
                                first: *first,
                                position,
                            });
                        } else {
                            seen.insert(value.clone(), position);
                        }
                        *key = Some(value);
                    }
                } else {
                    if matches!(style, TScalarStyle::Plain) && looks_numeric(&value) && inexact(&value) {
                        self.numbers.insert(pointer.clone(), value);
                    }
                    self.record(pointer, mark);
                    self.value_done();
                }
            }
            Event::Alias(_) => {
                let (pointer, _) = self.next_pointer();
                self.record(pointer, mark);
                self.value_done();
            }
            Event::MappingStart(..) => {
                let (pointer, _) = self.next_pointer();
                self.record(pointer.clone(), mark);
                self.stack.push(Frame::Mapping {
                    pointer,
                    key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceStart(..) => {
                let (pointer, _) = self.next_pointer();
                self.record(pointer.clone(), mark);
                self.stack.push(Frame::Sequence { pointer, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON is indexed as JSON: a surrogate pair does not lose the lines, keys are decoded, duplicates found, and
    /// numbers too long for a float keep their text.
    #[test]
    fn json_has_lines_with_escape_pairs_and_long_numbers() {
        let text = "{\n  \"info\": {\"title\": \"Hello! \\ud83d\\udc4d\"},\n  \"a\\/b~\": [1, {\"x\": 18446744073709552000}],\n  \"n\": 3.14159265358979323846264,\n  \"m\": 2.5,\n  \"info\": 1\n}";
        let lines = Lines::new_json(text);
        assert_eq!(lines.locate("/info/title"), Some((2, 12)));
        assert_eq!(lines.locate("/a~1b~0"), Some((3, 3)));
        assert_eq!(lines.locate("/a~1b~0/1/x"), Some((3, 17)));
        assert_eq!(lines.number_text("/a~1b~0/1/x"), Some("18446744073709552000"));
        assert_eq!(lines.number_text("/n"), Some("3.14159265358979323846264"));
        assert_eq!(lines.number_text("/m"), None);
        assert_eq!(lines.duplicates().len(), 1);
        assert_eq!(lines.duplicates()[0].first, (2, 3));
        let yaml = Lines::new("x: 123456789012345678901234567890\ny: '123456789012345678901234567890'\n");
        assert_eq!(yaml.number_text("/x"), Some("123456789012345678901234567890"));
        assert_eq!(yaml.number_text("/y"), None);
    }

    #[test]
    fn keys_items_and_escaped_tokens_have_lines() {
        let text = "openapi: 3.0.3\npaths:\n  /chat/Dialog.json:\n    post:\n      tags: [a, b]\n      security:\n        - Token: []\n        - Key: []\n";
        let lines = Lines::new(text);
        assert_eq!(lines.locate("/openapi"), Some((1, 1)));
        assert_eq!(lines.locate("/paths/~1chat~1Dialog.json"), Some((3, 3)));
        assert_eq!(lines.locate("/paths/~1chat~1Dialog.json/post"), Some((4, 5)));
        assert_eq!(lines.locate("/paths/~1chat~1Dialog.json/post/tags/1"), Some((5, 17)));
        assert_eq!(
            lines.locate("/paths/~1chat~1Dialog.json/post/security/1"),
            Some((8, 11))
        );
        assert_eq!(
            lines.locate("/paths/~1chat~1Dialog.json/post/security/1/Key"),
            Some((8, 11))
        );
        // A pointer below what the file says falls back to its nearest ancestor.
        assert_eq!(
            lines.locate("/paths/~1chat~1Dialog.json/post/responses/201"),
            Some((4, 5))
        );
    }
}
