//! Memory stays bounded on a big input: a generated Reddit comment dump of `DIALOOG_BIG_MB`
//! (default 16) MiB of JSON lines, zstd-compressed on the fly into a temporary file (removed
//! afterwards, also when the test fails), is read through detection and the reader with a sink
//! that keeps nothing; the peak resident memory may grow by at most 64 MiB.
//!
//! The multi-GB run, in release:
//! `DIALOOG_BIG_MB=4096 cargo test -p dialoog-ingest --release --test big_input -- --nocapture`.

use dialoog_ingest::{Format, Options, Post, Quarantined, Sink, SinkError};
use std::io::Write;

struct Count {
    posts: u64,
    quarantined: u64,
}

impl Sink for Count {
    fn post(&mut self, _post: Post) -> Result<(), SinkError> {
        self.posts += 1;
        Ok(())
    }
    fn quarantine(&mut self, _record: Quarantined) -> Result<(), SinkError> {
        self.quarantined += 1;
        Ok(())
    }
}

/// Peak resident set size of this process, in KiB (Linux).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const SENTENCES: &[&str] = &[
    "Because of your post I just sent my girlfriend a cute text.",
    "The council said the bins in our street will be collected on Thursday.",
    "Bedankt voor uw bericht, we kijken ernaar en komen er bij u op terug.",
    "Has anyone else had trouble reaching the municipality by phone today?",
    "De wijkagent is morgen tussen 10 en 12 uur in het buurthuis.",
    "This is the third time this month the road has been closed without notice.",
    "Please send us a direct message with your address so we can help.",
    "Love between you and your wife has actually created more love today.",
    "Waarom duurt het zo lang voordat de melding over de lantaarnpaal wordt opgepakt?",
    "Thanks, the pothole on the corner was fixed within a day.",
    "We hebben uw vraag doorgezet naar de afdeling afval.",
    "I do not think the new parking rules were explained anywhere.",
];

/// Comment bodies of a few sentences from a small set, numbered now and then, from a fixed-seed
/// xorshift: zstd compresses them about 10-20× (real dumps about 10×), under the bomb limit.
fn body(state: &mut u64) -> String {
    let mut sentences = Vec::with_capacity(4);
    for _ in 0..4 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let sentence = SENTENCES[(*state % SENTENCES.len() as u64) as usize];
        sentences.push(format!("{sentence} ({})", *state % 10_000));
    }
    sentences.join(" ")
}

#[test]
fn a_big_reddit_dump_in_bounded_memory() {
    let mib: u64 = std::env::var("DIALOOG_BIG_MB")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("RC_big.zst");
    let mut encoder =
        zstd::stream::write::Encoder::new(std::fs::File::create(&path).unwrap(), 1).unwrap();
    let mut written = 0u64;
    let mut lines = 0u64;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    while written < mib << 20 {
        let line = format!(
            "{{\"id\":\"c{lines:x}\",\"author\":\"user{}\",\"subreddit\":\"self\",\"created_utc\":{},\"link_id\":\"t3_1cebxh\",\"parent_id\":\"t1_c{:x}\",\"score\":{},\"body\":\"{}\"}}\n",
            lines % 9973,
            1_366_059_088 + lines,
            lines / 2,
            lines % 100,
            body(&mut state),
        );
        encoder.write_all(line.as_bytes()).unwrap();
        written += line.len() as u64;
        lines += 1;
    }
    encoder.finish().unwrap();
    let on_disk = std::fs::metadata(&path).unwrap().len();

    let before = peak_kib();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default())
        .unwrap()
        .files;
    assert_eq!(planned[0].format, Format::Reddit);
    let mut sink = Count {
        posts: 0,
        quarantined: 0,
    };
    let stats = dialoog_ingest::read_file(&planned[0], &Options::default(), &mut sink).unwrap();
    let after = peak_kib();
    assert_eq!(sink.posts, lines);
    assert_eq!(sink.quarantined, 0);
    assert_eq!(stats.read, lines);
    eprintln!(
        "{lines} lines, {written} bytes of JSON ({on_disk} bytes zstd on disk); peak RSS {before:?} → {after:?} KiB"
    );
    if let (Some(before), Some(after)) = (before, after) {
        assert!(
            after.saturating_sub(before) < 64 * 1024,
            "peak RSS grew from {before} to {after} KiB"
        );
    }
}
