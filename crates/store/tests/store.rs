mod common;

use common::{bad_record, copy_tree, live_segments, names, posts, raw_records, run};
use dialoog_model::{Platform, Post};
use dialoog_store::{Added, Store, StoreError};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn ingest(store: &mut Store, posts: &[Post]) -> Vec<Added> {
    let mut writer = store.writer().unwrap();
    let added = posts
        .iter()
        .map(|p| writer.add(p.clone()).unwrap())
        .collect();
    writer.commit(run("export.jsonl")).unwrap();
    added
}

/// Commits `posts` as the ingest of `file`, in segments of `rows` posts.
fn ingest_in_segments(store: &mut Store, posts: &[Post], rows: usize, file: &str) {
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(rows);
    for post in posts {
        writer.add(post.clone()).unwrap();
    }
    writer.commit(run(file)).unwrap();
}

#[test]
fn open_makes_an_empty_store_and_open_existing_needs_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.store");
    let err = Store::open_existing(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }));
    assert!(err.to_string().contains("case.store"), "{err}");

    let store = Store::open(&path).unwrap();
    assert_eq!(store.post_count(), 0);
    assert!(store.read_posts().unwrap().is_empty());
    assert!(path.join("manifest.json").is_file());
    assert!(path.join("segments").is_dir());
    assert!(path.join("quarantine").is_dir());
    let again = Store::open_existing(&path).unwrap();
    assert_eq!(again.manifest(), store.manifest());
    assert_eq!(again.path(), path);
}

#[test]
fn a_projected_read_leaves_the_other_fields_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 30);
    // Two runs, three segments of 10 rows (the first run's last refilled by the second):
    // reads keep segment order.
    ingest_in_segments(&mut store, &all[..12], 10, "a.jsonl");
    ingest_in_segments(&mut store, &all[12..], 10, "b.jsonl");
    let only = [
        "platform",
        "id",
        "created_at",
        "author_id",
        "author_handle",
        "kind",
        "text",
    ];
    let batches = store.read_batches_only(&only).unwrap();
    assert!(batches.iter().all(|b| b.num_columns() == only.len()));
    let by_segment: Vec<Vec<_>> = store
        .map_segments_only(&only, Ok::<_, dialoog_store::StoreError>)
        .unwrap();
    assert!(by_segment.len() > 1, "the test spans several segments");
    assert_eq!(by_segment.concat(), batches);
    let read = dialoog_model::PostTable::new(&batches).unwrap().to_posts();
    let expected: Vec<Post> = all
        .iter()
        .map(|p| {
            let mut lean = Post::new(
                p.platform,
                p.id.clone(),
                p.created_at,
                p.author_id.clone(),
                p.author_handle.clone(),
            );
            lean.kind = p.kind;
            lean.text = p.text.clone();
            lean
        })
        .collect();
    assert_eq!(read, expected);
    assert!(
        all.iter()
            .any(|p| p.views.is_some() && !p.mentions.is_empty())
    );
    let err = store
        .read_batches_only(&["id", "no_such_column"])
        .unwrap_err();
    assert!(err.to_string().contains("no_such_column"), "{err}");
}

#[test]
fn posts_round_trip_in_stable_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = posts(0, 250);
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(100);
    for post in &first {
        assert_eq!(writer.add(post.clone()).unwrap(), Added::New);
    }
    writer.commit(run("a")).unwrap();
    assert_eq!(store.post_count(), 250);
    assert_eq!(store.manifest().segments.len(), 3);
    assert_eq!(store.read_posts().unwrap(), first);
    let rows: usize = store
        .read_batches()
        .unwrap()
        .iter()
        .map(|b| b.num_rows())
        .sum();
    assert_eq!(rows, 250);

    let second = posts(250, 10);
    ingest(&mut store, &second);
    let reopened = Store::open_existing(dir.path()).unwrap();
    let all: Vec<Post> = first.into_iter().chain(second).collect();
    assert_eq!(reopened.read_posts().unwrap(), all);
    assert_eq!(reopened.manifest().runs.len(), 2);
    let segment = &reopened.manifest().segments[0];
    assert_eq!(segment.rows, 100);
    assert_eq!(segment.min_created_at, Some(all[0].created_at));
    assert_eq!(segment.max_created_at, Some(all[99].created_at));
}

#[test]
fn re_ingest_is_idempotent_and_later_counts_update() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = posts(0, 120);
    assert!(ingest(&mut store, &first).iter().all(|a| *a == Added::New));
    let segments = store.manifest().segments.clone();

    // The same export again: nothing new, no new segment.
    let again = ingest(&mut store, &first);
    assert!(again.iter().all(|a| *a == Added::Duplicate), "{again:?}");
    assert_eq!(store.post_count(), 120);
    assert_eq!(store.manifest().segments, segments);
    assert_eq!(store.manifest().runs.len(), 2);

    // A later copy with more likes updates; unknown counts do not erase known ones.
    let mut newer = first[7].clone();
    newer.likes = Some(1000);
    newer.author_followers = None;
    let mut unchanged = first[8].clone();
    unchanged.likes = None;
    let added = ingest(&mut store, &[newer.clone(), unchanged]);
    assert_eq!(added, vec![Added::Updated, Added::Duplicate]);
    assert_eq!(store.post_count(), 120);
    assert_eq!(store.manifest().segments.len(), 1);
    assert_ne!(store.manifest().segments[0].file, segments[0].file);
    let stored = store.read_posts().unwrap();
    assert_eq!(stored.len(), 120);
    assert_eq!(stored[7].likes, Some(1000));
    assert_eq!(stored[7].author_followers, first[7].author_followers);
    assert_eq!(stored[8], first[8]);
    let mut keys: Vec<(Platform, &str)> =
        stored.iter().map(|p| (p.platform, p.id.as_str())).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 120);
    // The replaced segment file is gone; only live files remain.
    let live: Vec<String> = store
        .manifest()
        .segments
        .iter()
        .map(|s| s.file.clone())
        .collect();
    assert_eq!(names(&dir.path().join("segments")), live);

    // Reopened from disk, the update is still there.
    let reopened = Store::open_existing(dir.path()).unwrap();
    assert_eq!(reopened.read_posts().unwrap()[7].likes, Some(1000));
}

#[test]
fn duplicates_within_one_ingest_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let base = posts(0, 30);
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(10);
    for post in &base {
        writer.add(post.clone()).unwrap();
    }
    // Post 3 is in a flushed temp segment, post 25 still in the buffer... after 30 rows all are
    // flushed, so add 5 more to keep some buffered.
    for post in posts(30, 5) {
        writer.add(post).unwrap();
    }
    let mut flushed = base[3].clone();
    flushed.reshares = Some(77);
    let mut buffered = posts(31, 1).remove(0);
    buffered.replies = Some(5);
    assert_eq!(writer.add(flushed).unwrap(), Added::Updated);
    assert_eq!(writer.add(buffered).unwrap(), Added::Updated);
    assert_eq!(writer.add(base[4].clone()).unwrap(), Added::Duplicate);
    writer.commit(run("a")).unwrap();
    let stored = store.read_posts().unwrap();
    assert_eq!(stored.len(), 35);
    assert_eq!(stored[3].reshares, Some(77));
    assert_eq!(stored[31].replies, Some(5));
    assert_eq!(store.manifest().segments.len(), 4);
    assert_eq!(names(&dir.path().join("segments")).len(), 4);
}

/// Later copies that meet their posts in every place the dedupe index sends them (a committed
/// segment, a temp segment of this ingest, the one the worker may still be writing, the buffer),
/// in a scattered order, more than once, against a plain map of what each post's counts must be.
#[test]
fn updates_and_partial_copies_reach_posts_wherever_they_are() {
    use std::collections::HashMap;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest_in_segments(&mut store, &posts(0, 70), 10, "first");
    let mut expected: HashMap<String, Post> = posts(0, 95)
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();

    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(10);
    // 20 flushed (two segments, the second maybe still being written) and 5 buffered.
    for post in posts(70, 25) {
        assert_eq!(writer.add(post).unwrap(), Added::New);
    }
    // Posts of nine segments and the buffer, in a scattered order, three rounds.
    let order: Vec<u64> = (0..95).map(|i| (i * 37) % 95).collect();
    for round in 0..3_u64 {
        for &i in &order {
            let current = expected[&i.to_string()].clone();
            let mut copy = current.clone();
            let outcome = match (i + round) % 4 {
                // Same counts: a duplicate.
                0 => Added::Duplicate,
                // Fewer known counts, the rest the same: a duplicate, nothing erased.
                1 => {
                    copy.likes = None;
                    copy.views = None;
                    Added::Duplicate
                }
                // New likes, followers unknown: an update that keeps the known followers.
                2 => {
                    copy.likes = Some(1_000 * (round + 1) + i);
                    copy.author_followers = None;
                    let mut merged = current.clone();
                    merged.likes = copy.likes;
                    expected.insert(i.to_string(), merged);
                    Added::Updated
                }
                // New views and quotes.
                _ => {
                    copy.views = Some(7 + round);
                    copy.quotes = Some(i);
                    let mut merged = current.clone();
                    merged.views = copy.views;
                    merged.quotes = copy.quotes;
                    if merged == current {
                        Added::Duplicate
                    } else {
                        expected.insert(i.to_string(), merged);
                        Added::Updated
                    }
                }
            };
            assert_eq!(
                writer.add(copy).unwrap(),
                outcome,
                "post {i}, round {round}"
            );
        }
    }
    writer.commit(run("later copies")).unwrap();
    let read = store.read_posts().unwrap();
    assert_eq!(read.len(), 95);
    for post in &read {
        let want = &expected[&post.id];
        assert_eq!(
            segment_counts(post),
            segment_counts(want),
            "post {}",
            post.id
        );
    }
    // The same posts once more: all duplicates, by fingerprint or read back.
    let mut writer = store.writer().unwrap();
    for post in &read {
        assert_eq!(writer.add(post.clone()).unwrap(), Added::Duplicate);
    }
}

fn segment_counts(post: &Post) -> [Option<u64>; 6] {
    [
        post.likes,
        post.reshares,
        post.replies,
        post.quotes,
        post.views,
        post.author_followers,
    ]
}

#[test]
fn same_id_on_two_platforms_is_two_posts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = posts(1, 1).remove(0);
    let mut b = a.clone();
    b.platform = Platform::Bluesky;
    assert_eq!(ingest(&mut store, &[a, b]), vec![Added::New, Added::New]);
    assert_eq!(store.post_count(), 2);
}

#[test]
fn an_uncommitted_writer_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest(&mut store, &posts(0, 10));
    let before = store.manifest().clone();
    {
        let mut writer = store.writer().unwrap();
        writer.set_segment_rows(3);
        for post in posts(10, 10) {
            writer.add(post).unwrap();
        }
        writer.quarantine(&bad_record(1)).unwrap();
        writer.raw(&raw_record(1, b"{}")).unwrap();
    }
    assert_eq!(store.manifest(), &before);
    let reopened = Store::open_existing(dir.path()).unwrap();
    assert_eq!(reopened.manifest(), &before);
    assert_eq!(reopened.post_count(), 10);
    assert_eq!(names(&dir.path().join("segments")).len(), 1);
    assert!(names(&dir.path().join("quarantine")).is_empty());
    assert!(names(&dir.path().join("records")).is_empty());
}

fn raw_record(record: u64, bytes: &[u8]) -> dialoog_model::RawRecord {
    dialoog_model::RawRecord {
        file: "export.jsonl".into(),
        record,
        format: "twarc2".into(),
        bytes: bytes.to_vec(),
    }
}

#[test]
fn original_records_are_kept_per_run_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    // Several chunks for the compressing worker (4 MiB each): 20,000 records of 1 KiB.
    let body = "{\"text\": \"a fairly ordinary record, repeated\"} ".repeat(24);
    let mut expected = Vec::new();
    for record in 1..=20_000u64 {
        let raw = raw_record(record, format!("{record} {body}").as_bytes());
        writer.raw(&raw).unwrap();
        expected.push(raw);
    }
    writer.add(posts(0, 1).remove(0)).unwrap();
    let run_id = writer.run_id().to_owned();
    writer.commit(run("export.jsonl")).unwrap();
    let files = store.record_files();
    assert_eq!(
        files,
        [dir.path().join("records").join(format!("{run_id}.zst"))]
    );
    let got = raw_records(&store);
    assert_eq!(got, expected);
    // Similar records compress well together.
    let size = std::fs::metadata(&files[0]).unwrap().len();
    let raw_size: usize = expected.iter().map(|r| r.bytes.len()).sum();
    assert!(size * 20 < raw_size as u64, "{size} of {raw_size}");
    // A run without records adds no file; the files survive reopening.
    ingest(&mut store, &posts(1, 1));
    assert_eq!(
        Store::open_existing(dir.path()).unwrap().record_files(),
        files
    );
    // Unlisted records files are garbage, in either layout.
    std::fs::write(dir.path().join("records/x.parquet"), b"unlisted").unwrap();
    std::fs::write(dir.path().join("records/y.zst"), b"unlisted").unwrap();
    let store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(names(&dir.path().join("records")).len(), 1);
    assert_eq!(store.record_files(), files);
}

#[test]
fn quarantine_files_hold_one_json_line_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    writer.add(posts(0, 1).remove(0)).unwrap();
    writer.quarantine(&bad_record(3)).unwrap();
    writer.quarantine(&bad_record(9)).unwrap();
    let run_id = writer.run_id().to_owned();
    writer.commit(run("a")).unwrap();
    let files = store.quarantine_files();
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0],
        dir.path()
            .join("quarantine")
            .join(format!("{run_id}.jsonl"))
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let records: Vec<dialoog_model::Quarantined> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records, vec![bad_record(3), bad_record(9)]);
    // A run without bad records adds no file.
    ingest(&mut store, &posts(1, 1));
    assert_eq!(
        Store::open_existing(dir.path()).unwrap().quarantine_files(),
        files
    );
}

#[test]
fn a_second_writer_is_refused_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Store::open(dir.path()).unwrap();
    let mut second = Store::open(dir.path()).unwrap();
    let writer = first.writer().unwrap();
    let err = second.writer().err().unwrap();
    assert!(
        matches!(err, StoreError::Locked { pid: Some(_), .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("LOCK"), "{message}");
    assert!(
        message.contains(&std::process::id().to_string()),
        "{message}"
    );
    // Readers are not blocked.
    assert_eq!(Store::open_existing(dir.path()).unwrap().post_count(), 0);
    drop(writer);
    second.writer().unwrap();
}

#[test]
fn a_writer_builds_on_commits_made_through_another_handle() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = Store::open(dir.path()).unwrap();
    let mut other = Store::open(dir.path()).unwrap();
    ingest(&mut other, &posts(0, 5));
    // `old` still has the empty manifest in memory, but the writer reloads it.
    let added = ingest(&mut old, &posts(0, 6));
    assert_eq!(added.iter().filter(|a| **a == Added::New).count(), 1);
    assert_eq!(old.post_count(), 6);
    assert_eq!(old.manifest().runs.len(), 2);
}

#[test]
fn segments_are_plain_parquet_in_the_model_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest(&mut store, &posts(0, 40));
    let files = store.segment_files();
    assert_eq!(files.len(), 1);
    let file = std::fs::File::open(&files[0]).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    assert_eq!(builder.schema().fields(), dialoog_model::schema().fields());
    let column = builder.metadata().row_group(0).column(0);
    assert!(matches!(
        column.compression(),
        parquet::basic::Compression::ZSTD(_)
    ));
    // Standard Parquet logical types, which pandas, DuckDB and polars map without the Arrow
    // schema: UTC millisecond timestamps, UTF-8 strings, 3-level lists, unsigned 64-bit counts.
    let fields = builder.parquet_schema().root_schema().get_fields().to_vec();
    let logical = |name: &str| {
        let field = fields.iter().find(|f| f.name() == name).unwrap();
        format!("{:?}", field.get_basic_info().logical_type_ref())
    };
    let created = logical("created_at");
    assert!(created.contains("Timestamp"), "{created}");
    assert!(created.contains("is_adjusted_to_u_t_c: true"), "{created}");
    assert!(created.contains("MILLIS"), "{created}");
    assert_eq!(logical("text"), "Some(String)");
    assert_eq!(logical("hashtags"), "Some(List)");
    assert!(
        logical("likes").contains("bit_width: 64, is_signed: false"),
        "{}",
        logical("likes")
    );
    let batches: Vec<_> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    assert_eq!(batches[0].schema(), dialoog_model::schema());
    let read: Vec<Post> = batches
        .iter()
        .flat_map(|b| dialoog_model::batch_to_posts(b).unwrap())
        .collect();
    assert_eq!(read, posts(0, 40));
}

#[test]
fn a_corrupt_manifest_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap();
    let manifest = dir.path().join("manifest.json");
    for bad in [
        "{not json",
        r#"{"schema_version": 999, "segments": [], "runs": []}"#,
        r#"{"schema_version": 1, "segments": [{"file": "../../etc/passwd", "run": "x", "rows": 1, "min_created_at": null, "max_created_at": null}], "runs": []}"#,
        r#"{"schema_version": 1, "segments": [{"file": "a.parquet", "run": "x", "rows": 1, "min_created_at": null, "max_created_at": null}, {"file": "a.parquet", "run": "x", "rows": 1, "min_created_at": null, "max_created_at": null}], "runs": []}"#,
        r#"{"schema_version": 1, "segments": [], "runs": [], "quarantine": ["x.parquet"]}"#,
        "[]",
        "",
    ] {
        std::fs::write(&manifest, bad).unwrap();
        let err = Store::open_existing(dir.path()).unwrap_err();
        assert!(err.to_string().contains("manifest.json"), "{bad}: {err}");
        let err = Store::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("manifest.json"), "{bad}: {err}");
    }
}

#[test]
fn a_damaged_segment_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest(&mut store, &posts(0, 20));
    let file = store.segment_files().remove(0);
    std::fs::write(&file, b"PAR1 not really").unwrap();
    let err = store.read_posts().unwrap_err();
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
    let err = store.writer().err().unwrap();
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();
    let err = store.read_batches().unwrap_err();
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
}

#[test]
fn garbage_from_killed_ingests_is_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest(&mut store, &posts(0, 5));
    let segments = dir.path().join("segments");
    std::fs::write(segments.join("x-1.parquet.tmp"), b"half").unwrap();
    std::fs::write(segments.join("x-2.parquet"), b"unlisted").unwrap();
    std::fs::write(segments.join("notes.txt"), b"not ours").unwrap();
    std::fs::write(dir.path().join("quarantine/x.jsonl"), b"{}").unwrap();
    std::fs::write(dir.path().join("manifest.json.tmp"), b"{").unwrap();
    let store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(store.post_count(), 5);
    assert_eq!(names(&segments).len(), 2);
    assert!(segments.join("notes.txt").exists());
    assert!(names(&dir.path().join("quarantine")).is_empty());
    assert!(!dir.path().join("manifest.json.tmp").exists());
}

#[test]
fn a_reader_survives_a_commit_that_replaced_its_segments() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer_store = Store::open(dir.path()).unwrap();
    ingest(&mut writer_store, &posts(0, 10));
    let reader = Store::open_existing(dir.path()).unwrap();
    let mut newer = posts(2, 1).remove(0);
    newer.likes = Some(4242);
    ingest(&mut writer_store, &[newer]);
    // The reader's manifest names a segment that the update replaced and removed.
    let read = reader.read_posts().unwrap();
    assert_eq!(read.len(), 10);
    assert_eq!(read[2].likes, Some(4242));
    assert_eq!(reader.read_batches().unwrap()[0].num_rows(), 10);
    let likes = reader
        .map_segments_only(&["platform", "kind", "likes"], |batches| {
            let table = dialoog_model::PostTable::new(&batches)?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(
                table.rows().map(|row| row.likes()).collect::<Vec<_>>(),
            )
        })
        .unwrap()
        .concat();
    assert_eq!(likes.len(), 10);
    assert_eq!(likes[2], Some(4242));
}

#[test]
fn rows_are_read_by_their_place_among_all_posts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 250);
    ingest_in_segments(&mut store, &all, 100, "a");
    assert_eq!(store.manifest().segments.len(), 3);
    let ids_texts = |rows: &[u64]| {
        let batches = store
            .read_rows_only(&["platform", "kind", "id", "text"], rows)
            .unwrap();
        let table = dialoog_model::PostTable::new(&batches).unwrap();
        table
            .rows()
            .map(|row| (row.id().to_owned(), row.text().to_owned()))
            .collect::<Vec<_>>()
    };
    let expected = |rows: &[usize]| {
        rows.iter()
            .map(|&i| (all[i].id.clone(), all[i].text.clone()))
            .collect::<Vec<_>>()
    };
    // Unordered and repeated, across segment ends, the first and the last row, and one past
    // every post (left out).
    let read = ids_texts(&[249, 0, 100, 99, 0, 150, 101, 250, 10_000]);
    assert_eq!(read, expected(&[0, 99, 100, 101, 150, 249]));
    // Only the middle segment.
    assert_eq!(ids_texts(&[120, 110]), expected(&[110, 120]));
    assert!(ids_texts(&[]).is_empty());
}

#[test]
fn errors_can_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<StoreError>();
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        Box::new(Store::open_existing(std::path::Path::new("/nonexistent/store")).unwrap_err());
    assert!(boxed.to_string().contains("/nonexistent/store"));
}

/// Enough posts to flush several segments (small segments so it stays quick): dedupe and updates
/// work across segment boundaries.
#[test]
fn ingest_over_several_segments_flushes_and_dedupes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let n = 2_500;
    ingest_in_segments(&mut store, &posts(0, n), 1_000, "big");
    assert_eq!(store.manifest().segments.len(), 3);
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(1_000);
    for post in posts(0, n) {
        assert_eq!(writer.add(post).unwrap(), Added::Duplicate);
    }
    let mut newer = posts(1_500, 1).remove(0);
    newer.likes = Some(1);
    newer.views = Some(123_456_789);
    assert_eq!(writer.add(newer).unwrap(), Added::Updated);
    writer.commit(run("again")).unwrap();
    assert_eq!(store.post_count(), n);
    let read = store.read_posts().unwrap();
    assert_eq!(read.len() as u64, n);
    let updated: Vec<_> = read
        .iter()
        .filter(|p| p.views == Some(123_456_789))
        .collect();
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].id, posts(1_500, 1)[0].id);
}

#[test]
fn manifest_row_counts_that_lie_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    ingest(&mut store, &posts(0, 4));
    let manifest_path = dir.path().join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    let file = &store.manifest().segments[0].file;
    let copy = format!("{file}-copy.parquet");
    std::fs::copy(
        dir.path().join("segments").join(file),
        dir.path().join("segments").join(&copy),
    )
    .unwrap();
    let mut manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut second = manifest["segments"][0].clone();
    second["file"] = copy.into();
    second["rows"] = u64::MAX.into();
    manifest["segments"][0]["rows"] = (u64::MAX - 1).into();
    manifest["segments"].as_array_mut().unwrap().push(second);
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let mut store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(store.post_count(), u64::MAX);
    let err = store.read_posts().unwrap_err().to_string();
    assert!(
        err.contains(file.as_str()) && err.contains("manifest says"),
        "{err}"
    );
    let err = store.writer().err().unwrap().to_string();
    assert!(err.contains(file.as_str()), "{err}");
}

/// The encodings of the first column chunk named `column` in a Parquet file.
fn encodings(file: &std::path::Path, column: &str) -> Vec<parquet::basic::Encoding> {
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap()).unwrap();
    let row_group = builder.metadata().row_group(0);
    let chunk = row_group
        .columns()
        .iter()
        .find(|c| c.column_path().string() == column)
        .unwrap();
    chunk.encodings().collect()
}

#[test]
fn a_store_written_with_the_first_file_layout_is_read_and_grows() {
    // Written by dialoog-store as of commit d8e4d5b (Parquet's default encodings: dictionaries,
    // 1 MB pages) from posts(0, 300) and one raw record per post; see tests/fixtures/README.md.
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/old-layout-store");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture, dir.path());
    let raw = |i: u64| dialoog_model::RawRecord {
        file: "export.jsonl".into(),
        record: i + 1,
        format: "test".into(),
        bytes: format!("{{\"id\":\"{i}\",\"text\":\"post {i}: bel ons op 14 020\"}}").into_bytes(),
    };
    let mut store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(store.read_posts().unwrap(), posts(0, 300));
    let records = raw_records(&store);
    assert_eq!(records, (0..300).map(raw).collect::<Vec<_>>());

    // A new ingest dedupes against the old segments and writes the new layout beside them; the
    // old store's last segment (100 rows) is refilled, so it is written in the new layout too.
    let mut writer = store.writer().unwrap();
    for (i, post) in posts(250, 100).into_iter().enumerate() {
        writer.raw(&raw(250 + i as u64)).unwrap();
        writer.add(post).unwrap();
    }
    writer.commit(run("export.jsonl")).unwrap();
    let store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(store.read_posts().unwrap(), posts(0, 350));
    let files = store.segment_files();
    assert_eq!(files.len(), 2);
    let delta = parquet::basic::Encoding::DELTA_BINARY_PACKED;
    assert!(!encodings(&files[0], "created_at").contains(&delta));
    assert!(encodings(&files[1], "created_at").contains(&delta));
    let records = raw_records(&store);
    let expected: Vec<_> = (0..300).chain(250..350).map(raw).collect();
    assert_eq!(records, expected);
    let record_files = store.record_files();
    assert!(record_files[0].to_string_lossy().ends_with(".parquet"));
    assert!(record_files[1].to_string_lossy().ends_with(".zst"));
}

#[test]
fn an_ingests_last_segment_is_written_in_two_row_groups_and_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s")).unwrap();
    // Two full segments of 25k, then the last of 20k: only the last is written by `commit`.
    let all = posts(0, 70_000);
    ingest_in_segments(&mut store, &all, 25_000, "export.jsonl");
    let row_groups: Vec<Vec<i64>> = store
        .segment_files()
        .iter()
        .map(|file| {
            let file = std::fs::File::open(file).unwrap();
            let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
            let groups = builder.metadata().row_groups();
            groups.iter().map(|group| group.num_rows()).collect()
        })
        .collect();
    assert_eq!(
        row_groups,
        [vec![25_000], vec![25_000], vec![10_000, 10_000]]
    );
    assert_eq!(store.read_posts().unwrap(), all);
    // Read by row group, in parallel: the same posts in the same order.
    let columns = [
        "platform",
        "kind",
        "id",
        "created_at",
        "author_id",
        "text",
        "likes",
    ];
    let by_group: Vec<Vec<Post>> = store
        .map_segments_only(&columns, |batches| {
            let table = dialoog_model::PostTable::new(&batches)?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(table.to_posts())
        })
        .unwrap();
    let rows: Vec<usize> = by_group.iter().map(Vec::len).collect();
    assert_eq!(rows, [25_000, 25_000, 10_000, 10_000]);
    let whole = store.read_batches_only(&columns).unwrap();
    let whole = dialoog_model::PostTable::new(&whole).unwrap().to_posts();
    assert!(by_group.concat() == whole);
}

/// The rows of each live segment.
fn segment_rows(store: &Store) -> Vec<u64> {
    store.manifest().segments.iter().map(|s| s.rows).collect()
}

/// A post's original record, as an ingest would keep it.
fn raw_of(post: &Post) -> dialoog_model::RawRecord {
    dialoog_model::RawRecord {
        file: post.source_file.clone(),
        record: post.source_record,
        format: "test".into(),
        bytes: format!("{{\"id\":\"{}\"}}", post.id).into_bytes(),
    }
}

/// Ingests `posts` with their records in segments of `rows`; committed as `file` if `commit`,
/// else dropped.
fn ingest_with_records(store: &mut Store, posts: &[Post], rows: usize, commit: Option<&str>) {
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(rows);
    for post in posts {
        writer.raw(&raw_of(post)).unwrap();
        writer.add(post.clone()).unwrap();
    }
    if let Some(file) = commit {
        writer.commit(run(file)).unwrap();
    }
}

#[test]
fn small_ingests_fill_the_last_segment_instead_of_adding_one_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 230);
    for (day, chunk) in all.chunks(23).enumerate() {
        ingest_with_records(&mut store, chunk, 100, Some(&format!("day{day}.jsonl")));
    }
    assert_eq!(segment_rows(&store), vec![100, 100, 30]);
    // The records likewise: a file is refilled while it holds under 100 (23, 46, 69, 92, 115).
    assert_eq!(store.manifest().records.len(), 2);
    assert_eq!(
        raw_records(&store),
        all.iter().map(raw_of).collect::<Vec<_>>()
    );
    let mut listed = store.manifest().records.clone();
    listed.sort();
    assert_eq!(names(&dir.path().join("records")), listed);
    assert_eq!(store.read_posts().unwrap(), all);
    assert_eq!(store.manifest().runs.len(), 10);
    // Only the live segments are left on disk.
    assert_eq!(names(&dir.path().join("segments")), live_segments(&store));
    // Every post is still known: a second copy of each is a duplicate.
    let again = ingest(&mut store, &all);
    assert!(again.iter().all(|a| *a == Added::Duplicate));
    assert_eq!(store.read_posts().unwrap(), all);
}

#[test]
fn a_full_last_segment_is_not_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 30);
    ingest_in_segments(&mut store, &all[..20], 10, "a.jsonl");
    let before = live_segments(&store);
    ingest_in_segments(&mut store, &all[20..], 10, "b.jsonl");
    // The first run's two files, named before the second's, are still live.
    assert_eq!(live_segments(&store)[..2], before[..]);
    assert_eq!(segment_rows(&store), vec![10, 10, 10]);
    assert_eq!(store.read_posts().unwrap(), all);
}

#[test]
fn counts_updated_before_the_last_segment_is_refilled_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 15);
    ingest_in_segments(&mut store, &all[..12], 10, "a.jsonl");
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(10);
    // A later copy of a post in the small last segment, before any new post: its count is
    // held as an update of that segment, which the first new post then refills.
    let mut later = all[11].clone();
    later.likes = Some(500);
    assert_eq!(writer.add(later.clone()).unwrap(), Added::Updated);
    for post in &all[12..] {
        assert_eq!(writer.add(post.clone()).unwrap(), Added::New);
    }
    // And one after the refill, of a post now in the buffer.
    let mut latest = all[10].clone();
    latest.likes = Some(700);
    assert_eq!(writer.add(latest.clone()).unwrap(), Added::Updated);
    writer.commit(run("b.jsonl")).unwrap();
    let mut expected = all.clone();
    expected[11] = later;
    expected[10] = latest;
    assert_eq!(store.read_posts().unwrap(), expected);
    assert_eq!(segment_rows(&store), vec![10, 5]);
}

#[test]
fn an_ingest_dropped_after_refilling_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let all = posts(0, 20);
    ingest_with_records(&mut store, &all[..5], 10, Some("a.jsonl"));
    let manifest = store.manifest().clone();
    let files = ["segments", "records"].map(|d| names(&dir.path().join(d)));
    ingest_with_records(&mut store, &all[5..], 10, None);
    let store = Store::open_existing(dir.path()).unwrap();
    assert_eq!(store.manifest(), &manifest);
    assert_eq!(
        ["segments", "records"].map(|d| names(&dir.path().join(d))),
        files
    );
    assert_eq!(store.read_posts().unwrap(), all[..5].to_vec());
    assert_eq!(
        raw_records(&store),
        all[..5].iter().map(raw_of).collect::<Vec<_>>()
    );
}
