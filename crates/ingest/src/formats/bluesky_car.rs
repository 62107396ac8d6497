//! Bluesky repository exports (`com.atproto.sync.getRepo`, "Export my data"): a CARv1 file whose
//! blocks are DAG-CBOR — the signed commit (with the account's DID), the nodes of the Merkle
//! search tree (MST), and the records. A record's key (`app.bsky.feed.post/<rkey>`) is only in the
//! MST node that points at the record's CID, so the file is read twice, streaming: first the
//! commit and the MST nodes (keeping only CID → key), then the post and repost records, each
//! mapped as a Jetstream event of the same record would be. Likes, follows, profiles and the
//! other collections are not posts and are skipped. The record number is the block's 1-based
//! position in the CAR.

use super::bluesky::{POST, REPOST, event_to_post};
use crate::context::{Ctx, Reject};
use crate::{IngestError, InputFile};
use ipld_core::cid::Cid;
use ipld_core::ipld::Ipld;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::{self, Read};

/// The DAG-CBOR codec in a CID; other blocks (raw, blobs) hold no records.
const DAG_CBOR: u64 = 0x71;
/// Deepest DAG-CBOR value turned into JSON (records are a few levels deep).
const MAX_DEPTH: usize = 64;
/// Largest CAR header accepted.
const MAX_HEADER: u64 = 64 * 1024;

/// Whether bytes start like a CARv1 file: a varint length, then a DAG-CBOR map with
/// `version: 1` and `roots`.
pub(crate) fn is_car(head: &[u8]) -> bool {
    let mut reader = head;
    let Ok(Some(length)) = varint(&mut reader) else {
        return false;
    };
    let Some(header) = usize::try_from(length)
        .ok()
        .filter(|l| *l as u64 <= MAX_HEADER)
        .and_then(|l| reader.get(..l))
    else {
        return false;
    };
    match serde_ipld_dagcbor::from_slice::<Ipld>(header) {
        Ok(Ipld::Map(map)) => {
            matches!(map.get("version"), Some(Ipld::Integer(1)))
                && matches!(map.get("roots"), Some(Ipld::List(_)))
        }
        _ => false,
    }
}

/// An unsigned LEB128 varint; `None` at a clean end of input.
fn varint(reader: &mut impl Read) -> io::Result<Option<u64>> {
    let mut value = 0u64;
    for i in 0..10 {
        let mut byte = [0u8];
        if reader.read(&mut byte)? == 0 {
            return if i == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        value |= u64::from(byte[0] & 0x7f) << (7 * i);
        if byte[0] & 0x80 == 0 {
            return Ok(Some(value));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "a varint longer than 10 bytes",
    ))
}

/// One block of the CAR, or why the file cannot be read on.
enum Next {
    Block {
        cid: Cid,
        data: Vec<u8>,
    },
    /// A block longer than the record limit, skipped without being held.
    TooLong(u64),
    /// A block whose CID does not parse.
    BadCid(String),
    End,
}

struct Blocks<R> {
    reader: R,
    max_block: u64,
    /// 1-based number of the last block read.
    number: u64,
}

impl<R: Read> Blocks<R> {
    /// Opens a CAR: reads past its header.
    fn new(mut reader: R, max_block: u64) -> io::Result<Blocks<R>> {
        let length = varint(&mut reader)?.unwrap_or_default();
        if length > MAX_HEADER {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a CAR header of {length} bytes"),
            ));
        }
        io::copy(&mut (&mut reader).take(length), &mut io::sink())?;
        Ok(Blocks {
            reader,
            max_block,
            number: 0,
        })
    }

    fn next(&mut self) -> io::Result<Next> {
        let Some(length) = varint(&mut self.reader)? else {
            return Ok(Next::End);
        };
        self.number += 1;
        if length > self.max_block {
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())?;
            if skipped < length {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            return Ok(Next::TooLong(length));
        }
        let mut block = Vec::new();
        (&mut self.reader).take(length).read_to_end(&mut block)?;
        if (block.len() as u64) < length {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let mut cursor = io::Cursor::new(&block[..]);
        let cid = match Cid::read_bytes(&mut cursor) {
            Ok(cid) => cid,
            Err(e) => return Ok(Next::BadCid(e.to_string())),
        };
        let start = usize::try_from(cursor.position()).unwrap_or(block.len());
        let data = block.get(start..).unwrap_or_default().to_vec();
        Ok(Next::Block { cid, data })
    }
}

/// What the first pass learns: the repository's DID and the key of every record's CID.
#[derive(Default)]
struct Tree {
    did: Option<String>,
    keys: HashMap<Cid, String>,
}

impl Tree {
    /// Notes a commit's DID, or an MST node's keys.
    fn learn(&mut self, block: &Ipld) {
        let Ipld::Map(map) = block else {
            return;
        };
        if let (Some(Ipld::String(did)), Some(Ipld::Link(_))) = (map.get("did"), map.get("data")) {
            self.did.get_or_insert_with(|| did.clone());
        }
        if let (Some(Ipld::List(entries)), Some(_)) = (map.get("e"), map.get("l")) {
            // Each key shares its first `p` bytes with the previous key of the same node.
            let mut key: Vec<u8> = Vec::new();
            for entry in entries {
                let Ipld::Map(entry) = entry else { continue };
                let (Some(Ipld::Integer(shared)), Some(Ipld::Bytes(rest)), Some(Ipld::Link(value))) =
                    (entry.get("p"), entry.get("k"), entry.get("v"))
                else {
                    continue;
                };
                key.truncate(usize::try_from(*shared).unwrap_or(usize::MAX));
                key.extend_from_slice(rest);
                self.keys
                    .insert(*value, String::from_utf8_lossy(&key).into_owned());
            }
        }
    }
}

pub(crate) fn read(file: &InputFile, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let max_block = ctx.limits.max_record_bytes;
    // First pass: the commit and the tree. A damaged file is reported by the second pass.
    let mut tree = Tree::default();
    if let Ok(mut blocks) = Blocks::new(ctx.open(&file.path)?, max_block) {
        loop {
            match blocks.next() {
                Ok(Next::Block { cid, data }) if cid.codec() == DAG_CBOR => {
                    if let Ok(block) = serde_ipld_dagcbor::from_slice::<Ipld>(&data) {
                        tree.learn(&block);
                    }
                }
                Ok(Next::Block { .. } | Next::TooLong(_) | Next::BadCid(_)) => {}
                Ok(Next::End) | Err(_) => break,
            }
        }
    }
    // Second pass: the records, through the same mapping as Jetstream events.
    let mut blocks = match Blocks::new(ctx.open(&file.path)?, max_block) {
        Ok(blocks) => blocks,
        Err(e) => return ctx.unreadable(1, &e),
    };
    let Some(did) = tree.did.clone() else {
        return ctx.quarantine(
            1,
            Reject::new("a CAR file without a repository commit (no block with 'did' and 'data'): not a Bluesky repository export"),
            b"",
        );
    };
    loop {
        let next = match blocks.next() {
            Ok(next) => next,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                let reason = format!(
                    "truncated CAR: block {} ends early; the rest of the file cannot be read",
                    blocks.number
                );
                return ctx.quarantine(blocks.number, Reject::new(reason), b"");
            }
            Err(e) => return ctx.unreadable(blocks.number + 1, &e),
        };
        let (cid, data) = match next {
            Next::End => return Ok(()),
            Next::Block { cid, data } => (cid, data),
            Next::TooLong(length) => {
                let reason = format!(
                    "a block of {length} bytes is longer than the limit (Limits::max_record_bytes); skipped"
                );
                ctx.quarantine(blocks.number, Reject::new(reason), b"")?;
                continue;
            }
            Next::BadCid(e) => {
                let reason = format!("a block without a readable CID ({e}); skipped");
                ctx.quarantine(blocks.number, Reject::new(reason), b"")?;
                continue;
            }
        };
        let Some((collection, rkey)) = tree.keys.get(&cid).and_then(|k| k.split_once('/')) else {
            continue;
        };
        if collection != POST && collection != REPOST {
            continue;
        }
        let record = match serde_ipld_dagcbor::from_slice::<Ipld>(&data) {
            Ok(record) => to_json(&record, 0),
            Err(e) => {
                let reject = Reject::new(format!(
                    "invalid DAG-CBOR in record {collection}/{rkey}: {e}"
                ));
                ctx.quarantine(blocks.number, reject, &data)?;
                continue;
            }
        };
        // Shaped as the Jetstream event of the record: the raw record reads back as one.
        let event = serde_json::json!({
            "did": did,
            "kind": "commit",
            "commit": {
                "operation": "create",
                "collection": collection,
                "rkey": rkey,
                "record": record,
            },
        });
        ctx.raw(blocks.number, &super::excerpt_of(&event));
        ctx.emit(
            event_to_post(&event, &event["commit"], collection),
            blocks.number,
            &|| super::excerpt_of(&event),
        )?;
    }
}

/// A DAG-CBOR value as atproto writes it in JSON: links as `{"$link": cid}`, bytes as
/// `{"$bytes": base64}` (here: their length, which is all a record mapping could use).
fn to_json(value: &Ipld, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match value {
        Ipld::Null => Value::Null,
        Ipld::Bool(b) => Value::Bool(*b),
        Ipld::Integer(i) => i64::try_from(*i)
            .map(Value::from)
            .or_else(|_| u64::try_from(*i).map(Value::from))
            .unwrap_or(Value::Null),
        Ipld::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Ipld::String(s) => Value::String(s.clone()),
        Ipld::Bytes(b) => serde_json::json!({ "$bytes_length": b.len() }),
        Ipld::List(items) => Value::Array(items.iter().map(|i| to_json(i, depth + 1)).collect()),
        Ipld::Map(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_json(v, depth + 1)))
                .collect::<Map<String, Value>>(),
        ),
        Ipld::Link(cid) => serde_json::json!({ "$link": cid.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_car_headers() {
        assert_eq!(varint(&mut &[0x96, 0x01][..]).unwrap(), Some(150));
        assert_eq!(varint(&mut &[][..]).unwrap(), None);
        assert!(varint(&mut &[0x80][..]).is_err());
        assert!(varint(&mut &[0xff; 11][..]).is_err());
        assert!(!is_car(b"{\"roots\": []}"));
        assert!(!is_car(&[0x05, 0xa2]));
    }

    #[test]
    fn deeply_nested_dag_cbor_is_an_error_not_a_stack_overflow() {
        let mut nested = vec![0x81u8; 200_000];
        nested.push(0x00);
        assert!(serde_ipld_dagcbor::from_slice::<Ipld>(&nested).is_err());
    }

    #[test]
    fn mst_keys_share_prefixes_within_a_node() {
        let cid = |n: u8| {
            let hash = ipld_core::cid::multihash::Multihash::<64>::wrap(0x12, &[n; 32]).unwrap();
            Cid::new_v1(DAG_CBOR, hash)
        };
        let entry = |p: i128, k: &str, v: Cid| {
            Ipld::Map(
                [
                    ("p".to_owned(), Ipld::Integer(p)),
                    ("k".to_owned(), Ipld::Bytes(k.as_bytes().to_vec())),
                    ("v".to_owned(), Ipld::Link(v)),
                    ("t".to_owned(), Ipld::Null),
                ]
                .into(),
            )
        };
        let node = Ipld::Map(
            [
                ("l".to_owned(), Ipld::Null),
                (
                    "e".to_owned(),
                    Ipld::List(vec![
                        entry(0, "app.bsky.feed.post/3k1", cid(1)),
                        entry(21, "2", cid(2)),
                        entry(14, "repost/3k3", cid(3)),
                    ]),
                ),
            ]
            .into(),
        );
        let mut tree = Tree::default();
        tree.learn(&node);
        assert_eq!(tree.keys[&cid(1)], "app.bsky.feed.post/3k1");
        assert_eq!(tree.keys[&cid(2)], "app.bsky.feed.post/3k2");
        assert_eq!(tree.keys[&cid(3)], "app.bsky.feed.repost/3k3");
    }
}
