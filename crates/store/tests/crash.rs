//! Crash safety with a real process killed in the middle of an ingest: the test re-runs its own
//! binary as the child (`DIALOOG_STORE_CRASH_CHILD=<store>`), which writes temp segments and a
//! quarantine file, says so, and waits to be killed before it commits.

mod common;

use common::{bad_record, names, posts, run};
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
    let start = Instant::now();
    while !file.exists() {
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
    // The child has written segment temp files and holds the lock.
    let temp: Vec<String> = names(&path.join("segments"))
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(temp.len() >= 5, "{temp:?}");
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
