//! Where each JSON pointer of a YAML document is written, so that findings about the parsed document can name a line.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::escape as escape_pointer_token;

/// Maps the JSON pointer of every node to its line and column (1-based): the key's position for a
/// mapping entry, the item's own position for a sequence item.
#[derive(Default)]
pub struct Lines {
    positions: HashMap<String, (usize, usize)>,
    duplicates: Vec<Duplicate>,
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
        }
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
            Event::Scalar(value, ..) => {
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
