//! Writes a small store with every field filled in somewhere, to check that other tools read its
//! segments: `cargo run -p dialoog-store --example sample_store -- /tmp/sample.store`, then e.g.
//! `duckdb -c "SELECT kind, count(*) FROM '/tmp/sample.store/segments/*.parquet' GROUP BY kind"`.

use chrono::DateTime;
use dialoog_model::{IngestRun, Platform, Post, PostKind};
use dialoog_store::Store;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: sample_store STORE")?;
    let mut store = Store::open(&path)?;
    let mut writer = store.writer()?;
    for i in 0..1000_u64 {
        let created =
            DateTime::from_timestamp(1_700_000_000 + i as i64 * 60, 0).unwrap_or_default();
        let mut post = Post::new(
            Platform::ALL[(i % 3) as usize],
            format!("{i}"),
            created,
            format!("a{}", i % 10),
            format!("account{}", i % 10),
        );
        post.kind = PostKind::ALL[(i % 5) as usize];
        post.text = format!("Bericht {i}: bel ons op 14 020, \"quotes\" en émoji 🙂");
        post.url = Some(format!("https://example.org/{i}"));
        post.lang = (i % 2 == 0).then(|| "nl".to_owned());
        post.in_reply_to_id = (i % 5 == 1).then(|| format!("{}", i - 1));
        post.mentions = vec![format!("account{}", (i + 1) % 10)];
        post.hashtags = if i % 3 == 0 {
            vec!["afval".into(), "gft".into()]
        } else {
            Vec::new()
        };
        post.likes = Some(i % 17);
        post.views = (i % 4 == 0).then_some(i * 3);
        post.author_followers = Some(1000 + i % 10);
        post.source_file = "sample.jsonl".into();
        post.source_record = i + 1;
        writer.add(post)?;
    }
    writer.commit(IngestRun {
        dialoog_version: env!("CARGO_PKG_VERSION").into(),
        ..IngestRun::default()
    })?;
    println!("{}: {} posts", path.display(), store.post_count());
    Ok(())
}
