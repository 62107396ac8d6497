#![cfg(feature = "sql")]

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use common::{posts, run};
use dialoog_model::PostKind;
use dialoog_store::{Store, StoreError, format_csv, format_table, sql};
use std::collections::BTreeMap;

fn store_with(n: u64, segment_rows: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(segment_rows);
    for post in posts(0, n) {
        writer.add(post).unwrap();
    }
    writer.commit(run("a")).unwrap();
    (dir, store)
}

#[test]
fn counts_by_kind_match_the_posts() {
    let (_dir, store) = store_with(230, 100);
    assert_eq!(store.manifest().segments.len(), 3);
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for post in posts(0, 230) {
        *expected.entry(post.kind.as_str().to_owned()).or_default() += 1;
    }
    assert_eq!(expected.len(), PostKind::ALL.len());
    let batches = sql(
        &store,
        "SELECT kind, count(*) AS n FROM posts GROUP BY kind ORDER BY kind",
    )
    .unwrap();
    let mut got = BTreeMap::new();
    for batch in &batches {
        let kinds = arrow_cast::cast(batch.column(0), &arrow_schema::DataType::Utf8).unwrap();
        let kinds = kinds.as_string::<i32>();
        let counts = batch.column(1).as_primitive::<Int64Type>();
        for row in 0..batch.num_rows() {
            got.insert(kinds.value(row).to_owned(), counts.value(row));
        }
    }
    assert_eq!(got, expected);

    let table = format_table(&batches).unwrap();
    assert!(table.contains("| kind"), "{table}");
    assert!(table.contains("| reply"), "{table}");
    let csv = format_csv(&batches).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "kind,n");
    assert_eq!(lines.len(), 1 + expected.len());
    assert_eq!(lines[1], format!("comment,{}", expected["comment"]));
}

#[test]
fn timestamps_lists_and_nulls_are_queryable() {
    let (_dir, store) = store_with(20, 1000);
    let batches = sql(
        &store,
        "SELECT id, created_at, hashtags, views, text FROM posts WHERE id IN ('0', '1') ORDER BY id",
    )
    .unwrap();
    let csv = format_csv(&batches).unwrap();
    assert_eq!(
        csv,
        "id,created_at,hashtags,views,text\n\
         0,2023-11-14T22:13:20Z,[tag0],0,post 0: bel ons op 14 020\n\
         1,2023-11-14T22:13:21Z,[tag1],,post 1: bel ons op 14 020\n"
    );
}

#[test]
fn an_empty_store_is_an_empty_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let batches = sql(&store, "SELECT count(*) AS n FROM posts").unwrap();
    assert_eq!(format_csv(&batches).unwrap(), "n\n0\n");
}

#[test]
fn only_live_segments_are_queried() {
    let (dir, mut store) = store_with(10, 1000);
    // An update rewrites the segment; a stray file beside it must not count.
    let mut newer = posts(3, 1).remove(0);
    newer.likes = Some(999);
    let mut writer = store.writer().unwrap();
    writer.add(newer).unwrap();
    writer.commit(run("b")).unwrap();
    std::fs::copy(
        &store.segment_files()[0],
        dir.path().join("segments").join("stray.parquet"),
    )
    .unwrap();
    let csv = format_csv(&sql(&store, "SELECT count(*) AS n, max(likes) AS m FROM posts").unwrap())
        .unwrap();
    assert_eq!(csv, "n,m\n10,999\n");
}

#[test]
fn a_bad_query_is_an_error_naming_the_store() {
    let (dir, store) = store_with(3, 1000);
    let err = sql(&store, "SELECT nope FROM posts").unwrap_err();
    assert!(matches!(err, StoreError::Sql { .. }));
    assert!(
        err.to_string().contains(&dir.path().display().to_string()),
        "{err}"
    );
}

#[test]
fn no_rows_still_show_the_columns() {
    let (_dir, store) = store_with(3, 1000);
    let batches = sql(&store, "SELECT id, likes FROM posts WHERE id = 'none'").unwrap();
    assert_eq!(format_csv(&batches).unwrap(), "id,likes\n");
    let table = format_table(&batches).unwrap();
    assert!(table.contains("| id | likes |"), "{table}");
}

#[test]
fn original_records_join_their_posts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    for post in posts(0, 5) {
        writer
            .raw(&dialoog_model::RawRecord {
                file: post.source_file.clone(),
                record: post.source_record,
                format: "test".into(),
                bytes: format!("{{\"id\": \"{}\"}}", post.id).into_bytes(),
            })
            .unwrap();
        writer.add(post).unwrap();
    }
    writer.commit(run("a")).unwrap();
    let batches = sql(
        &store,
        "SELECT p.id, CAST(r.raw AS VARCHAR) AS raw FROM posts p \
         JOIN records r ON p.source_file = r.file AND p.source_record = r.record \
         WHERE p.id IN ('1', '3') ORDER BY p.id",
    )
    .unwrap();
    assert_eq!(
        format_csv(&batches).unwrap(),
        "id,raw\n1,\"{\"\"id\"\": \"\"1\"\"}\"\n3,\"{\"\"id\"\": \"\"3\"\"}\"\n"
    );
    // A store without records still has the (empty) table.
    let (_dir, store) = store_with(3, 1000);
    let batches = sql(&store, "SELECT count(*) AS n FROM records").unwrap();
    assert_eq!(format_csv(&batches).unwrap(), "n\n0\n");
}

#[test]
fn records_of_both_file_layouts_are_one_table_read_as_far_as_needed() {
    // The fixture's records file is Parquet (the layout before); a new ingest adds a .zst one.
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/old-layout-store");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture, dir.path());
    let mut store = Store::open_existing(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    // Several record batches (8192 rows each), so a LIMIT stops the reading early.
    for record in 1..=20_000u64 {
        writer
            .raw(&dialoog_model::RawRecord {
                file: "later.jsonl".into(),
                record,
                format: "test".into(),
                bytes: format!("{{\"n\": {record}}}").into_bytes(),
            })
            .unwrap();
    }
    writer.add(posts(300, 1).remove(0)).unwrap();
    writer.commit(run("later.jsonl")).unwrap();
    let batches = sql(
        &store,
        "SELECT file, count(*) AS n, max(record) AS last FROM records GROUP BY file ORDER BY file",
    )
    .unwrap();
    assert_eq!(
        format_csv(&batches).unwrap(),
        "file,n,last\nexport.jsonl,300,300\nlater.jsonl,20000,20000\n"
    );
    let batches = sql(
        &store,
        "SELECT CAST(raw AS VARCHAR) AS raw FROM records WHERE file = 'later.jsonl' LIMIT 1",
    )
    .unwrap();
    assert_eq!(format_csv(&batches).unwrap(), "raw\n\"{\"\"n\"\": 1}\"\n");
}
