//! JSON helpers: parsing one JSON line into a value or a quarantine reason, and streaming the
//! items of a big JSON array (top-level, or under one key of a top-level object) one at a time,
//! so that a file of any size is never held in memory whole.

use crate::context::Reject;
use crate::lines::Line;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// Parses one JSON line; a line that is not UTF-8, not JSON or cut off gives the reason.
pub(crate) fn parse_line(line: &Line) -> Result<Value, Reject> {
    if let Err(e) = std::str::from_utf8(&line.bytes) {
        return Err(Reject::new(format!(
            "invalid UTF-8 at byte {} of the line",
            e.valid_up_to()
        )));
    }
    serde_json::from_slice(&line.bytes).map_err(|e| json_reject(&e, line.terminated))
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

/// Calls `each(index, item)` (index 1-based) for every element of the top-level array, or, when
/// `key` is given and the top level is an object, of the array under that key (other keys are
/// skipped without being kept). A top-level object without the key gives `Done(0)`.
pub fn for_each_item<R, E>(
    reader: R,
    key: Option<&str>,
    each: &mut dyn FnMut(u64, Value) -> Result<(), E>,
) -> Streamed<E>
where
    R: Read,
{
    let mut state = State {
        key,
        each,
        count: 0,
        failed: None,
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
    each: &'f mut dyn FnMut(u64, Value) -> Result<(), E>,
    count: u64,
    failed: Option<E>,
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
    while let Some(item) = seq.next_element::<Value>()? {
        state.count += 1;
        if let Err(e) = (state.each)(state.count, item) {
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
    fn a_broken_array_keeps_the_items_before_the_break() {
        let (items, ok) = collect("[1, 2, {\"a\": ", None);
        assert!(!ok);
        assert_eq!(items.len(), 2);
    }
}
