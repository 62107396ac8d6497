//! What the JSON formats' mappings read of a value, for serde_json's [`Value`] and for [`Node`]:
//! a lighter value borrowed from the line, holding only the members a format reads, which the
//! hot JSON-lines formats parse instead (no map or string allocation for what the mapping never
//! looks at). A mapping written against [`Json`] gives the same posts from either.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// The reading side of a JSON value.
pub(crate) trait Json: Sized {
    /// The member `key` of an object (the last one, when the key is given twice).
    fn get(&self, key: &str) -> Option<&Self>;
    fn as_str(&self) -> Option<&str>;
    fn as_array(&self) -> Option<&[Self]>;
    fn as_number(&self) -> Option<&Number>;
    fn as_bool(&self) -> Option<bool>;
    fn is_object(&self) -> bool;
    fn is_null(&self) -> bool;
    /// The value as JSON text, for a quarantine excerpt.
    fn excerpt(&self) -> Vec<u8>;
}

impl Json for Value {
    fn get(&self, key: &str) -> Option<&Value> {
        Value::get(self, key)
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }

    fn as_array(&self) -> Option<&[Value]> {
        Value::as_array(self).map(Vec::as_slice)
    }

    fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn excerpt(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A JSON value whose strings borrow from the parsed text where they have no escapes, and whose
/// objects keep only the members named in a [`KeySet`], in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Json for Node<'_> {
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Node::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Self]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&Number> {
        match self {
            Node::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    fn excerpt(&self) -> Vec<u8> {
        serde_json::to_vec(&Value::from(self)).unwrap_or_default()
    }
}

impl From<&Node<'_>> for Value {
    fn from(node: &Node<'_>) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            Node::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

/// Object keys to keep, by length and first eight bytes: most keys are told apart from those of
/// their length by comparing one number, without a call to compare bytes (which took ~5 % of
/// the parse's instructions, callgrind at 100k).
pub(crate) struct KeySet<'k> {
    by_length: Vec<Vec<(u64, &'k str)>>,
}

/// The first eight bytes of a key (zeros after a shorter key) as one number.
fn prefix(key: &str) -> u64 {
    let mut bytes = [0_u8; 8];
    let n = key.len().min(bytes.len());
    if let (Some(to), Some(from)) = (bytes.get_mut(..n), key.as_bytes().get(..n)) {
        to.copy_from_slice(from);
    }
    u64::from_le_bytes(bytes)
}

impl<'k> KeySet<'k> {
    pub(crate) fn new(keys: &[&'k str]) -> KeySet<'k> {
        let longest = keys.iter().map(|k| k.len()).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for key in keys {
            if let Some(same_length) = by_length.get_mut(key.len()) {
                same_length.push((prefix(key), *key));
            }
        }
        KeySet { by_length }
    }

    fn contains(&self, key: &str) -> bool {
        let Some(same_length) = self.by_length.get(key.len()).filter(|s| !s.is_empty()) else {
            return false;
        };
        let start = prefix(key);
        same_length
            .iter()
            .any(|(p, k)| *p == start && k.as_bytes().get(8..) == key.as_bytes().get(8..))
    }
}

/// Members an object's node has room for from the start.
const OBJECT_MEMBERS: usize = 16;

/// Parses JSON text into a [`Node`] keeping the members in `keys`, at any depth; the others are
/// read through the same parser paths as building them would take (the same errors and nesting
/// limit as parsing a whole [`Value`]). `None` where parsing a [`Value`] fails.
pub(crate) fn parse_keeping<'a>(text: &'a str, keys: &KeySet<'_>) -> Option<Node<'a>> {
    let mut parser = serde_json::Deserializer::from_str(text);
    let node = Keeping(keys).deserialize(&mut parser).ok()?;
    parser.end().ok()?;
    Some(node)
}

/// Builds a [`Node`] through the visitor calls serde_json's own `Value` takes.
#[derive(Clone, Copy)]
struct Keeping<'s, 'k>(&'s KeySet<'k>);

impl<'de> DeserializeSeed<'de> for Keeping<'_, '_> {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Keeping<'_, '_> {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node<'de>, E> {
        Ok(Number::from_f64(value).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value)))
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        // Room for the members a mapping reads of a tweet or status: growing from 4 by doubling
        // was ~10 % of the parse's instructions (callgrind at 100k); the node lives for one line.
        let mut members = Vec::with_capacity(OBJECT_MEMBERS);
        while let Some(key) = map.next_key_seed(Key)? {
            if self.0.contains(&key) {
                members.push((key, map.next_value_seed(self)?));
            } else {
                map.next_value_seed(Skip)?;
            }
        }
        Ok(Node::Object(members))
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// Reads a value without building it, through the same parser paths (and nesting limit) as
/// building it would take: serde's `IgnoredAny` takes serde_json's faster skip, which has no
/// nesting limit and so could accept what parsing a whole [`Value`] refuses.
#[derive(Clone, Copy)]
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_parsing_a_whole_value_refuses() {
        let mut deep = "[".repeat(200);
        deep.push_str(&"]".repeat(200));
        let deep = format!(r#"{{"dropped": {deep}, "id": "1"}}"#);
        let keys = KeySet::new(&["id"]);
        for bad in [
            "{\"id\": 1,}",
            "{\"dropped\": [1, }",
            "{\"dropped\": \"\u{1}\"}",
            "{\"dropped\": 1e999}",
            "{\"dropped\": \"\\ud800\"}",
            "{\"id\": 1} x",
            &deep,
        ] {
            assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad}");
            assert!(parse_keeping(bad, &keys).is_none(), "{bad}");
        }
    }

    #[test]
    fn keys_of_one_length_and_one_start_are_told_apart() {
        let keys = KeySet::new(&[
            "followers_count",
            "favourites_count",
            "id",
            "in_reply_to_id",
        ]);
        for kept in [
            "followers_count",
            "favourites_count",
            "id",
            "in_reply_to_id",
        ] {
            assert!(keys.contains(kept), "{kept}");
        }
        for other in [
            "followers_cound",
            "followers_xount",
            "favourites_coun",
            "i",
            "",
            "id\0",
        ] {
            assert!(!keys.contains(other), "{other}");
        }
    }

    #[test]
    fn keeps_the_keys_asked_for_and_the_last_of_a_repeated_key() {
        let text = r#"{"b": {"a": 1, "c": [2]}, "a": {"a": "x\u00e9"}, "a": {"a": -1.5}}"#;
        let node = parse_keeping(text, &KeySet::new(&["a", "b"])).unwrap();
        assert_eq!(
            Value::from(&node),
            serde_json::json!({"b": {"a": 1}, "a": {"a": -1.5}})
        );
        assert_eq!(
            node.get("a")
                .and_then(|a| a.get("a"))
                .and_then(Json::as_number),
            Number::from_f64(-1.5).as_ref()
        );
        let escaped = parse_keeping(r#"{"a": "x\u00e9"}"#, &KeySet::new(&["a"])).unwrap();
        assert_eq!(escaped.get("a").and_then(Json::as_str), Some("xé"));
    }
}
