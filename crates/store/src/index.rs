//! The dedupe index: every post of the store and of the running ingest, by a 128-bit hash of
//! (platform, id), at about 30 bytes a post whatever the ids' length.
//!
//! Keys are xxh3-128 hashes: with n posts the chance that two distinct posts share one is about
//! n²/2¹²⁹ (1e-25 at 10 million, 1e-21 at a billion), where a 64-bit hash would make it n²/2⁶⁵
//! (3e-6 at 10 million, growing with every run added to a store). The index lives only for one
//! ingest (it is rebuilt from the segments), so the hash need not be stable across versions.
//!
//! The slots sit unordered in buckets chosen by the key's top bits, each bucket a vector grown
//! by an eighth at a time: a hash map's empty buckets and doubling would cost 1.5 to 3 times the
//! memory (with a transient of both tables while it grows), and the index holds every post.

use dialoog_model::Platform;
use twox_hash::{XxHash3_64, XxHash3_128};

/// A post's key: xxh3-128 of its platform's number (one byte) followed by its id. Not the
/// platform as the seed: for short inputs xxh3 mixes the seed in linearly, so that ("20003",
/// seed 0) and ("10000", seed 3) hash the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key([u32; 4]);

/// Ids up to this long are hashed from a copy on the stack, longer ones streamed.
const SHORT_ID: usize = 127;

impl Key {
    pub(crate) fn of(platform: Platform, id: &str) -> Key {
        let id = id.as_bytes();
        let mut short = [0_u8; SHORT_ID + 1];
        let hash = match short.get_mut(1..=id.len()) {
            Some(rest) => {
                rest.copy_from_slice(id);
                short[0] = platform as u8;
                XxHash3_128::oneshot(short.get(..=id.len()).unwrap_or(&short))
            }
            None => {
                let mut hasher = XxHash3_128::new();
                hasher.write(&[platform as u8]);
                hasher.write(id);
                hasher.finish_128()
            }
        };
        // Four u32s rather than a u128: alignment 4 keeps a slot at 28 bytes, not 32.
        Key([
            (hash >> 96) as u32,
            (hash >> 64) as u32,
            (hash >> 32) as u32,
            hash as u32,
        ])
    }

    fn bucket(self, bits: u32) -> usize {
        (self.0[0] >> (u32::BITS - bits)) as usize
    }
}

/// A 64-bit hash of a post's updatable counts: a later copy whose counts hash the same is a
/// duplicate without reading the stored counts back (two different counts hash the same with
/// a chance of 2⁻⁶⁴).
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    XxHash3_64::oneshot(bytes)
}

/// One post in the index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    key: Key,
    /// The post's row in the store's order: segments, then rows, then this ingest's buffer.
    pub ordinal: u32,
    /// [`fingerprint`] of its current counts, in two halves to keep the slot's alignment at 4.
    counts: [u32; 2],
}

impl Slot {
    pub(crate) fn fingerprint(&self) -> u64 {
        (u64::from(self.counts[0]) << 32) | u64::from(self.counts[1])
    }

    pub(crate) fn set_fingerprint(&mut self, fingerprint: u64) {
        self.counts = [(fingerprint >> 32) as u32, fingerprint as u32];
    }
}

/// Bucket bits of a new index: 1024 buckets.
const INITIAL_BITS: u32 = 10;
/// Mean slots per bucket above which the buckets double: a look-up scans one bucket (8 to 16
/// slots of 28 bytes, in one piece of memory), and a bucket's header adds 1.5 to 3 bytes a post.
/// With 32, the scan was 3 % of an ingest's CPU samples at 1M, on the thread that feeds the
/// store.
const MEAN_BUCKET_LEN: usize = 16;

pub(crate) struct Index {
    buckets: Vec<Vec<Slot>>,
    /// log2 of the number of buckets.
    bits: u32,
    len: usize,
}

impl Index {
    /// An index sized for `expected` posts (up to 16 million: the number may come from a
    /// damaged manifest), so that adding them does not regrow it.
    pub(crate) fn with_expected(expected: usize) -> Index {
        let expected = expected.min(1 << 24);
        let mut bits = INITIAL_BITS;
        while expected > MEAN_BUCKET_LEN << bits && bits < u32::BITS {
            bits += 1;
        }
        Index {
            buckets: (0..1_usize << bits).map(|_| Vec::new()).collect(),
            bits,
            len: 0,
        }
    }

    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut Slot> {
        self.buckets
            .get_mut(key.bucket(self.bits))?
            .iter_mut()
            .find(|slot| slot.key == key)
    }

    /// Adds a key the index does not hold yet (look it up first).
    pub(crate) fn insert(&mut self, key: Key, ordinal: u32, fingerprint: u64) {
        if self.len >= MEAN_BUCKET_LEN << self.bits && self.bits < u32::BITS {
            self.split();
        }
        let mut slot = Slot {
            key,
            ordinal,
            counts: [0; 2],
        };
        slot.set_fingerprint(fingerprint);
        if let Some(bucket) = self.buckets.get_mut(key.bucket(self.bits)) {
            if bucket.len() == bucket.capacity() {
                bucket.reserve_exact((bucket.len() / 8).max(2));
            }
            bucket.push(slot);
            self.len += 1;
        }
    }

    /// Doubles the buckets, one old bucket at a time: the slots are never held twice.
    fn split(&mut self) {
        let bits = self.bits + 1;
        let old = std::mem::take(&mut self.buckets);
        let mut buckets = Vec::with_capacity(old.len() * 2);
        for bucket in old {
            let is_high = |slot: &&Slot| slot.key.bucket(bits) % 2 == 1;
            let high_len = bucket.iter().filter(is_high).count();
            // Exact capacities: the split halves are as long as they will stay for a while.
            let mut low = Vec::with_capacity(bucket.len() - high_len);
            let mut high = Vec::with_capacity(high_len);
            for slot in &bucket {
                if is_high(&slot) {
                    high.push(*slot);
                } else {
                    low.push(*slot);
                }
            }
            buckets.push(low);
            buckets.push(high);
        }
        self.buckets = buckets;
        self.bits = bits;
    }
}

#[cfg(test)]
mod tests {
    use super::{Index, Key, fingerprint};
    use dialoog_model::Platform;

    #[test]
    fn finds_every_key_across_splits_and_tells_platforms_apart() {
        let mut index = Index::with_expected(0);
        let posts = 100_000_u32;
        for ordinal in 0..posts {
            let key = Key::of(Platform::Twitter, &ordinal.to_string());
            assert!(index.get_mut(key).is_none());
            index.insert(key, ordinal, u64::from(ordinal) << 20);
        }
        assert_eq!(index.len, posts as usize);
        assert!(index.bits > super::INITIAL_BITS, "the buckets were split");
        for ordinal in 0..posts {
            let slot = index
                .get_mut(Key::of(Platform::Twitter, &ordinal.to_string()))
                .unwrap();
            assert_eq!(slot.ordinal, ordinal);
            assert_eq!(slot.fingerprint(), u64::from(ordinal) << 20);
            assert!(
                index
                    .get_mut(Key::of(Platform::Mastodon, &ordinal.to_string()))
                    .is_none()
            );
        }
        assert_eq!(std::mem::size_of::<super::Slot>(), 28);
    }

    #[test]
    fn long_ids_hash_as_one_byte_sequence_with_the_platform() {
        let long = "x".repeat(super::SHORT_ID + 1);
        let short = "x".repeat(super::SHORT_ID);
        assert_ne!(
            Key::of(Platform::Web, &long),
            Key::of(Platform::Web, &short)
        );
        assert_ne!(
            Key::of(Platform::Web, &long),
            Key::of(Platform::Other, &long)
        );
        let mut hasher = twox_hash::XxHash3_128::new();
        hasher.write(&[Platform::Web as u8]);
        hasher.write(short.as_bytes());
        let streamed = hasher.finish_128();
        let key = Key::of(Platform::Web, &short).0;
        assert_eq!((streamed >> 96) as u32, key[0]);
        assert_eq!(streamed as u32, key[3]);
    }

    #[test]
    fn a_slot_keeps_a_whole_fingerprint() {
        let mut index = Index::with_expected(10);
        let key = Key::of(Platform::Bluesky, "at://did:plc:x/app.bsky.feed.post/1");
        index.insert(key, 7, u64::MAX);
        let slot = index.get_mut(key).unwrap();
        assert_eq!(slot.fingerprint(), u64::MAX);
        let changed = fingerprint(b"other counts");
        slot.set_fingerprint(changed);
        assert_eq!(index.get_mut(key).unwrap().fingerprint(), changed);
    }
}
