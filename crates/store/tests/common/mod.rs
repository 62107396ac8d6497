//! Shared helpers for the store tests.
#![allow(dead_code)]

use chrono::DateTime;
use dialoog_model::{FileStats, IngestRun, Platform, Post, PostKind, Quarantined};

/// `n` distinct posts, ids starting at `first`, with every kind of field filled in some rows.
pub fn posts(first: u64, n: u64) -> Vec<Post> {
    (first..first + n)
        .map(|i| {
            let created =
                DateTime::from_timestamp_millis(1_700_000_000_000 + i as i64 * 1000).unwrap();
            let mut post = Post::new(
                if i % 3 == 0 {
                    Platform::Mastodon
                } else {
                    Platform::Twitter
                },
                i.to_string(),
                created,
                format!("a{}", i % 7),
                format!("user{}", i % 7),
            );
            post.kind = PostKind::ALL[(i % PostKind::ALL.len() as u64) as usize];
            post.text = format!("post {i}: bel ons op 14 020");
            post.author_name = format!("User {}", i % 7);
            post.lang = (i % 2 == 0).then(|| "nl".to_owned());
            post.in_reply_to_id = (i > 0 && i % 5 == 0).then(|| (i - 1).to_string());
            post.hashtags = vec![format!("tag{}", i % 4)];
            post.mentions = if i % 2 == 0 {
                vec!["gemeente".into()]
            } else {
                Vec::new()
            };
            post.likes = Some(i % 10);
            post.views = (i % 4 == 0).then_some(i * 10);
            post.author_followers = Some(100 + i % 7);
            post.source_file = "export.jsonl".into();
            post.source_record = i + 1;
            post
        })
        .collect()
}

pub fn run(path: &str) -> IngestRun {
    IngestRun {
        started_at: None,
        finished_at: None,
        dialoog_version: "test".into(),
        files: vec![FileStats {
            path: path.into(),
            format: "test".into(),
            ..FileStats::default()
        }],
        skipped: Vec::new(),
    }
}

pub fn bad_record(record: u64) -> Quarantined {
    Quarantined {
        file: "export.jsonl".into(),
        record,
        field: Some("id".into()),
        reason: "missing id".into(),
        excerpt: "{\"text\":\"x\"}".into(),
    }
}

/// Names of the files in a folder, sorted.
pub fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Copies a folder tree (the fixtures stay untouched: opening a store takes its lock).
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every original record in the store, in the order read back.
pub fn raw_records(store: &dialoog_store::Store) -> Vec<dialoog_model::RawRecord> {
    let mut records = Vec::new();
    store
        .for_each_raw_record(&mut |record| {
            records.push(record);
            Ok(())
        })
        .unwrap();
    records
}

/// The live segments' file names, sorted.
pub fn live_segments(store: &dialoog_store::Store) -> Vec<String> {
    let mut live: Vec<String> = store
        .manifest()
        .segments
        .iter()
        .map(|s| s.file.clone())
        .collect();
    live.sort();
    live
}
