//! JSON helpers: parsing one JSON line into a value or a quarantine reason, and streaming the
//! items of a big JSON array (top-level, or under one key of a top-level object) one at a time,
//! so that a file of any size is never held in memory whole; one item may not be longer than
//! [`crate::input::Limits::max_record_bytes`].

use crate::context::Reject;
use crate::input::{LimitExceeded, Limits};
use crate::json_value::{KeySet, Node, parse_keeping};
use crate::lines::LineRef;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;

/// Parses one JSON line; a line that is too long, not UTF-8, not JSON or cut off gives the reason.
pub(crate) fn parse_line(line: &LineRef<'_>) -> Result<Value, Reject> {
    if let Some(length) = line.too_long {
        return Err(Reject::new(format!(
            "line of {length} bytes is longer than the limit (Limits::max_record_bytes); skipped"
        )));
    }
    let text = std::str::from_utf8(line.bytes).map_err(|e| {
        Reject::new(format!(
            "invalid UTF-8 at byte {} of the line",
            e.valid_up_to()
        ))
    })?;
    // From the checked text: the parser need not check UTF-8 once more.
    serde_json::from_str(text).map_err(|e| json_reject(&e, line.terminated))
}

/// Parses one JSON line into a [`Node`] keeping only the object members whose key is in `keys`,
/// at any depth. `None` where [`parse_line`] would give a reason instead.
pub(crate) fn parse_line_keeping<'a>(line: &LineRef<'a>, keys: &KeySet<'_>) -> Option<Node<'a>> {
    if line.too_long.is_some() {
        return None;
    }
    parse_keeping(std::str::from_utf8(line.bytes).ok()?, keys)
}

/// A reason for a JSON syntax error; a record that ends early is called truncated.
pub(crate) fn json_reject(e: &serde_json::Error, terminated: bool) -> Reject {
    if e.is_eof() {
        let how = if terminated {
            "truncated record"
        } else {
            "truncated record (last line, no final newline)"
        };
        Reject::new(format!("{how}: JSON ends early ({e})"))
    } else {
        Reject::new(format!("invalid JSON: {e}"))
    }
}

/// How streaming ended.
pub enum Streamed<E> {
    /// Every item was read; the number of items.
    Done(u64),
    /// The JSON broke off after this many items; the rest of the file cannot be read.
    Broken(u64, serde_json::Error),
    /// The callback failed after this many items.
    Failed(u64, E),
}

/// The bytes a [`RecordGuard`] let through since its last reset: the current record.
#[derive(Clone, Default)]
pub(crate) struct Recent(Rc<RefCell<Vec<u8>>>);

impl Recent {
    pub(crate) fn reset(&self) {
        self.0.borrow_mut().clear();
    }

    /// The record's bytes without the separators around it: whitespace and `,` before it, and
    /// after it whitespace, `,` and the one byte the parser peeks at after a number or literal.
    pub(crate) fn record(&self) -> std::cell::Ref<'_, [u8]> {
        std::cell::Ref::map(self.0.borrow(), |bytes| {
            let separator = |b: &u8| b.is_ascii_whitespace() || *b == b',';
            let start = bytes
                .iter()
                .position(|b| !separator(b))
                .unwrap_or(bytes.len());
            let rest = bytes.get(start..).unwrap_or_default();
            let mut end = rest
                .iter()
                .rposition(|b| !separator(b))
                .map_or(0, |e| e + 1);
            let scalar = !matches!(rest.first(), Some(b'[' | b'{' | b'"'));
            if scalar && matches!(rest.get(end.wrapping_sub(1)), Some(b']' | b'}')) {
                end -= 1;
                end = rest
                    .get(..end)
                    .and_then(|r| r.iter().rposition(|b| !separator(b)))
                    .map_or(0, |e| e + 1);
            }
            rest.get(..end).unwrap_or_default()
        })
    }
}

/// A reader that keeps the bytes passing between two resets of its [`Recent`] (the current
/// record, for [`crate::Sink::raw`]) and fails with [`LimitExceeded`] when they pass `max`: no
/// single JSON record can grow past the limit in memory.
pub(crate) struct RecordGuard<R> {
    inner: R,
    recent: Recent,
    max: u64,
}

impl<R> RecordGuard<R> {
    pub(crate) fn new(inner: R, max: u64) -> (RecordGuard<R>, Recent) {
        let recent = Recent::default();
        let guard = RecordGuard {
            inner,
            recent: recent.clone(),
            max,
        };
        (guard, recent)
    }
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut recent = self.recent.0.borrow_mut();
        recent.extend_from_slice(buf.get(..n).unwrap_or_default());
        if recent.len() as u64 > self.max {
            recent.clear();
            return Err(LimitExceeded::io(format!(
                "a record is longer than {} bytes (Limits::max_record_bytes)",
                self.max
            )));
        }
        Ok(n)
    }
}

/// Calls `each(index, item)` (index 1-based) for every element of the top-level array, or, when
/// `key` is given and the top level is an object, of the array under that key (other keys are
/// skipped without being kept). A top-level object without the key gives `Done(0)`. Items may
/// be as long as the default [`Limits::max_record_bytes`].
pub fn for_each_item<R, E>(
    reader: R,
    key: Option<&str>,
    each: &mut dyn FnMut(u64, Value) -> Result<(), E>,
) -> Streamed<E>
where
    R: Read,
{
    for_each_item_limited(reader, key, Limits::default().max_record_bytes, each)
}

/// [`for_each_item`] with items of at most `max_item_bytes`; a longer one breaks the stream
/// with a [`LimitExceeded`] I/O error.
pub fn for_each_item_limited<R, E>(
    reader: R,
    key: Option<&str>,
    max_item_bytes: u64,
    each: &mut dyn FnMut(u64, Value) -> Result<(), E>,
) -> Streamed<E>
where
    R: Read,
{
    for_each_item_raw(reader, key, max_item_bytes, &mut |i, value, _| {
        each(i, value)
    })
}

/// A callback given each item's index, value and own bytes.
pub type EachRaw<'a, E> = dyn FnMut(u64, Value, &[u8]) -> Result<(), E> + 'a;

/// [`for_each_item_limited`] that also hands each item's own bytes to `each`.
pub fn for_each_item_raw<R, E>(
    reader: R,
    key: Option<&str>,
    max_item_bytes: u64,
    each: &mut EachRaw<'_, E>,
) -> Streamed<E>
where
    R: Read,
{
    let (reader, recent) = RecordGuard::new(reader, max_item_bytes);
    let mut state = State {
        key,
        each,
        count: 0,
        failed: None,
        recent,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = (&mut de).deserialize_any(Top { state: &mut state });
    let count = state.count;
    if let Some(e) = state.failed.take() {
        return Streamed::Failed(count, e);
    }
    match result {
        Ok(()) => Streamed::Done(count),
        Err(e) => Streamed::Broken(count, e),
    }
}

struct State<'a, 'f, E> {
    key: Option<&'a str>,
    each: &'f mut EachRaw<'f, E>,
    count: u64,
    failed: Option<E>,
    recent: Recent,
}

struct Top<'s, 'a, 'f, E> {
    state: &'s mut State<'a, 'f, E>,
}

impl<'de, E> Visitor<'de> for Top<'_, '_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array or object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        items(self.state, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            self.state.recent.reset();
            if Some(name.as_str()) == self.state.key {
                map.next_value_seed(Items {
                    state: &mut *self.state,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }
}

impl<'de, E> DeserializeSeed<'de> for Top<'_, '_, '_, E> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

struct Items<'s, 'a, 'f, E> {
    state: &'s mut State<'a, 'f, E>,
}

impl<'de, E> DeserializeSeed<'de> for Items<'_, '_, '_, E> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E> Visitor<'de> for Items<'_, '_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        items(self.state, seq)
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }
}

fn items<'de, A: SeqAccess<'de>, E>(
    state: &mut State<'_, '_, E>,
    mut seq: A,
) -> Result<(), A::Error> {
    state.recent.reset();
    while let Some(item) = seq.next_element::<Value>()? {
        state.count += 1;
        let result = (state.each)(state.count, item, &state.recent.record());
        state.recent.reset();
        if let Err(e) = result {
            state.failed = Some(e);
            return Err(de::Error::custom("stopped: the callback failed"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(json: &str, key: Option<&str>) -> (Vec<(u64, Value)>, bool) {
        let mut got = Vec::new();
        let streamed = for_each_item::<_, ()>(json.as_bytes(), key, &mut |i, v| {
            got.push((i, v));
            Ok(())
        });
        (got, matches!(streamed, Streamed::Done(_)))
    }

    #[test]
    fn streams_a_top_level_array_and_an_array_under_a_key() {
        let (items, ok) = collect("[1, {\"a\": 2}]", None);
        assert!(ok);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].0, 2);
        let (items, ok) = collect(
            "{\"x\": [9, 9], \"orderedItems\": [\"a\", \"b\", \"c\"], \"y\": {}}",
            Some("orderedItems"),
        );
        assert!(ok);
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].1, Value::from("c"));
    }

    #[test]
    fn an_item_over_the_limit_breaks_the_stream_with_a_limit_error() {
        let json = format!("[1, \"{}\", 3]", "x".repeat(5000));
        let mut got = Vec::new();
        let streamed = for_each_item_limited::<_, ()>(json.as_bytes(), None, 1000, &mut |i, _| {
            got.push(i);
            Ok(())
        });
        let Streamed::Broken(1, e) = streamed else {
            panic!("not broken after one item");
        };
        assert!(crate::input::is_limit(&io::Error::from(e)));
        assert_eq!(got, [1]);
        // Many small items add up to more than the limit: no error.
        let json = format!("[{}1]", "12345678, ".repeat(1000));
        let streamed =
            for_each_item_limited::<_, ()>(json.as_bytes(), None, 1000, &mut |_, _| Ok(()));
        assert!(matches!(streamed, Streamed::Done(1001)));
    }

    #[test]
    fn items_come_with_their_own_bytes() {
        let json = "{\"x\": [1], \"orderedItems\": [ {\"a\": [1, 2]} ,\n  \"b\",3, [4] ]}";
        let mut got = Vec::new();
        let streamed = for_each_item_raw::<_, ()>(
            json.as_bytes(),
            Some("orderedItems"),
            1000,
            &mut |_, _, raw| {
                got.push(String::from_utf8(raw.to_vec()).unwrap());
                Ok(())
            },
        );
        assert!(matches!(streamed, Streamed::Done(4)));
        assert_eq!(got, ["{\"a\": [1, 2]}", "\"b\"", "3", "[4]"]);
    }

    #[test]
    fn a_broken_array_keeps_the_items_before_the_break() {
        let (items, ok) = collect("[1, 2, {\"a\": ", None);
        assert!(!ok);
        assert_eq!(items.len(), 2);
    }
}
