//! Crash safety with a real process killed in the middle of an ingest: the test re-runs its own
//! binary as the child (`DIALOOG_STORE_CRASH_CHILD=<store>`), which writes temp segments and a
//! quarantine file, says so, and waits to be killed before it commits.

mod common;

use common::{bad_record, live_segments, names, posts, run};
use dialoog_store::{Added, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "DIALOOG_STORE_CRASH_CHILD";

/// The child's part: does nothing in a normal test run.
#[test]
fn crash_child() {
    let Some(store) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = PathBuf::from(store);
    let mut store = Store::open(&store).unwrap();
    let path = store.path().to_path_buf();
    let mut writer = store.writer().unwrap();
    writer.set_segment_rows(500);
    // Overlaps the committed posts (ids 0..100) and updates one of them.
    for post in posts(50, 3000) {
        writer.add(post).unwrap();
    }
    let mut newer = posts(0, 1).remove(0);
    newer.likes = Some(123_456);
    assert_eq!(writer.add(newer).unwrap(), Added::Updated);
    writer.quarantine(&bad_record(1)).unwrap();
    std::fs::write(path.join("child-ready"), b"").unwrap();
    std::thread::sleep(Duration::from_secs(600));
    writer.commit(run("never")).unwrap();
}

fn wait_for(file: &Path, child: &mut std::process::Child) {
    wait_until(|| file.exists(), child);
}

/// Polls `ready` until it holds, failing if the child ends first or takes minutes.
fn wait_until(mut ready: impl FnMut() -> bool, child: &mut std::process::Child) {
    let start = Instant::now();
    while !ready() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the child ended early: {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the child never got ready"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_killed_ingest_leaves_the_earlier_state_and_no_stuck_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.store");
    let committed = posts(0, 100);
    {
        let mut store = Store::open(&path).unwrap();
        let mut writer = store.writer().unwrap();
        for post in &committed {
            writer.add(post.clone()).unwrap();
        }
        writer.commit(run("first")).unwrap();
    }
    let manifest = std::fs::read(path.join("manifest.json")).unwrap();

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&path.join("child-ready"), &mut child);
    // The child holds the lock and has written segment temp files (its background writer
    // may still be at the last of its six).
    let temp_segments = || {
        names(&path.join("segments"))
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .count()
    };
    wait_until(|| temp_segments() >= 5, &mut child);
    assert_eq!(names(&path.join("quarantine")).len(), 1);
    let mut busy = Store::open(&path).unwrap();
    let err = busy.writer().err().unwrap().to_string();
    assert!(err.contains(&child.id().to_string()), "{err}");
    assert_eq!(busy.read_posts().unwrap(), committed);

    child.kill().unwrap();
    child.wait().unwrap();

    // Exactly the earlier state, and the killed ingest's files are cleaned up.
    assert_eq!(std::fs::read(path.join("manifest.json")).unwrap(), manifest);
    let mut store = Store::open_existing(&path).unwrap();
    assert_eq!(store.post_count(), 100);
    assert_eq!(store.read_posts().unwrap(), committed);
    assert_eq!(names(&path.join("segments")).len(), 1);
    assert!(names(&path.join("quarantine")).is_empty());
    assert!(store.quarantine_files().is_empty());

    // The lock went with the process: the next ingest runs and commits.
    let mut writer = store.writer().unwrap();
    let added: Vec<Added> = posts(90, 20)
        .into_iter()
        .map(|p| writer.add(p).unwrap())
        .collect();
    assert_eq!(added.iter().filter(|a| **a == Added::New).count(), 10);
    writer.commit(run("second")).unwrap();
    assert_eq!(store.post_count(), 110);
    assert_eq!(
        Store::open_existing(&path)
            .unwrap()
            .read_posts()
            .unwrap()
            .len(),
        110
    );
}

const LOOP_ENV: &str = "DIALOOG_STORE_LOOP_CHILD";

/// The child's part of the repeated-kill test: commits ingests back to back until killed, each
/// adding the next 300 ids and updating the likes of a few stored posts (copy-on-write).
#[test]
fn loop_child() {
    let Some(store) = std::env::var_os(LOOP_ENV) else {
        return;
    };
    let mut store = Store::open(&PathBuf::from(store)).unwrap();
    for round in 1_u64.. {
        // This child is the only writer, so its handle's manifest is the latest.
        let have = store.post_count();
        let mut writer = store.writer().unwrap();
        writer.set_segment_rows(128);
        for post in posts(have, 300) {
            writer.add(post).unwrap();
        }
        for id in [0, have / 2, have.saturating_sub(1)] {
            let mut newer = posts(id, 1).remove(0);
            newer.likes = Some(1_000_000 + round);
            writer.add(newer).unwrap();
        }
        writer.commit(run("loop")).unwrap();
    }
}

#[test]
fn repeated_kills_at_any_moment_leave_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.store");
    Store::open(&path).unwrap();
    let mut last = 0;
    for delay in [150, 330, 520, 710, 900, 1100] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "loop_child", "--nocapture", "--test-threads=1"])
            .env(LOOP_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();

        let store = Store::open_existing(&path).unwrap();
        let read = store.read_posts().unwrap();
        assert_eq!(read.len() as u64, store.post_count());
        assert_eq!(read.len() % 300, 0, "a partial ingest is visible");
        assert!(read.len() >= last, "committed posts were lost");
        last = read.len();
        // Exactly ids 0..n, each once, in commit order; only counts differ from the originals.
        let expected = posts(0, read.len() as u64);
        for (got, want) in read.iter().zip(&expected) {
            assert_eq!(got.id, want.id);
            assert_eq!(
                dialoog_model::Post {
                    likes: want.likes,
                    ..got.clone()
                },
                *want
            );
        }
        assert_eq!(
            names(&path.join("segments")),
            live_segments(&store),
            "garbage left after open"
        );
    }
    assert!(last > 0, "no ingest committed in the test time");
    eprintln!("{} posts committed across the killed children", last);
    // And the store still takes an ingest.
    let mut store = Store::open_existing(&path).unwrap();
    let mut writer = store.writer().unwrap();
    assert_eq!(
        writer.add(posts(last as u64, 1).remove(0)).unwrap(),
        Added::New
    );
    writer.commit(run("after")).unwrap();
}
