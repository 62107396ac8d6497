//! End to end through the real `dialoog` binary: the demo on the shipped sample, whose numbers are
//! checked against an independent computation (scripts/reference_webcare.py), hostile text in the
//! factsheet, re-ingest, quarantine and refusal of unknown formats.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn dialoog(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .args(args)
        .output()
        .expect("the dialoog binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "dialoog failed:\nstdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("factsheet.json is written");
    serde_json::from_str(&text).expect("factsheet.json is JSON")
}

fn key<'v>(json: &'v Value, dotted: &str) -> &'v Value {
    dotted.split('.').fold(json, |value, part| &value[part])
}

/// An integer as the HTML may show it: plain or with thousands separators.
fn shown(html: &str, number: u64) -> bool {
    let plain = number.to_string();
    let mut grouped = String::new();
    for (i, digit) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    html.contains(&plain) || html.contains(&grouped)
}

#[test]
fn demo_matches_the_independent_reference_and_the_html_shows_the_json() {
    let out = tempfile::tempdir().expect("tempdir");
    let out_arg = out.path().to_str().expect("utf-8 temp path");
    let run = dialoog(&["demo", "--out", out_arg]);
    assert_success(&run);
    assert!(stdout(&run).contains("factsheet.html"), "{}", stdout(&run));

    let json = read_json(&out.path().join("factsheet.json"));
    // From scripts/reference_webcare.py, which reads the CSV with Python's csv module and applies
    // DESIGN.md's definitions without any Dialoog code.
    assert_eq!(key(&json, "summary.posts"), 4987);
    assert_eq!(key(&json, "summary.authors"), 1516);
    assert_eq!(key(&json, "dialogue.addressed"), 2172);
    assert_eq!(key(&json, "dialogue.answered"), 1791);
    let rate = key(&json, "dialogue.reply_rate")
        .as_f64()
        .expect("reply rate is a number");
    assert!((rate - 1791.0 / 2172.0).abs() < 1e-12, "{rate}");
    assert_eq!(key(&json, "dialogue.response_time_seconds.median"), 774.0);
    assert_eq!(key(&json, "dialogue.response_time_seconds.p90"), 31686.0);
    let share = key(&json, "voice.referral_share")
        .as_f64()
        .expect("referral share is a number on the webcare sample");
    assert!((0.0..=1.0).contains(&share));
    let modes = key(&json, "voice.modes").as_object().expect("modes object");
    for mode in [
        "inform",
        "advise",
        "consult",
        "co_decide",
        "co_produce",
        "internal",
        "referral",
        "other",
    ] {
        assert!(modes.contains_key(mode), "voice.modes lacks {mode}");
    }
    let mode_total: u64 = modes.values().filter_map(Value::as_u64).sum();
    assert_eq!(
        Some(mode_total),
        key(&json, "voice.government_posts").as_u64()
    );

    let html = std::fs::read_to_string(out.path().join("factsheet.html")).expect("html");
    for dotted in [
        "summary.posts",
        "summary.authors",
        "dialogue.addressed",
        "dialogue.answered",
        "voice.government_posts",
        "voice.government_replies",
        "voice.referrals",
    ] {
        let number = key(&json, dotted).as_u64().expect("integer");
        assert!(shown(&html, number), "the HTML lacks {dotted} = {number}");
    }
    // Section 5: each number shown carries its JSON key and exact value.
    for dotted in [
        "reaction.posts",
        "reaction.sentiment.negative",
        "reaction.sentiment.neutral",
        "reaction.sentiment.positive",
        "reaction.sentiment.mean_score",
        "reaction.questions",
        "reaction.question_share",
        "topics.service.focus_posts",
        "topics.service.citizen_posts",
    ] {
        let value = match dotted.strip_prefix("topics.") {
            Some(rest) => {
                let (id, side) = rest.split_once('.').expect("topic.side");
                key(&json, "topics.topics")
                    .as_array()
                    .and_then(|topics| topics.iter().find(|t| t["id"] == id))
                    .map(|t| t[side].clone())
                    .expect("the topic is in the JSON")
            }
            None => key(&json, dotted).clone(),
        };
        assert!(!value.is_null(), "{dotted} is null on the demo");
        let prefix = format!("data-key=\"{dotted}\" data-value=\"");
        let at = html
            .find(&prefix)
            .unwrap_or_else(|| panic!("the HTML lacks {dotted}"));
        let rest = &html[at + prefix.len()..];
        let raw = &rest[..rest.find('"').expect("a closing quote")];
        // serde_json parses floats to the nearest value, not always the bit-exact one.
        let (shown_value, json_value) = (
            raw.parse::<f64>().expect("a number"),
            value.as_f64().expect("a number"),
        );
        assert!(
            (shown_value - json_value).abs() <= 1e-12 * json_value.abs().max(1.0),
            "{dotted}: HTML {raw}, JSON {value}"
        );
    }
    let public = key(&json, "reaction.posts").as_u64().expect("integer");
    let mix: u64 = ["negative", "neutral", "positive"]
        .iter()
        .filter_map(|p| key(&json, &format!("reaction.sentiment.{p}")).as_u64())
        .sum();
    assert_eq!(mix, public);
    let top = key(&json, "top_posts.overall")
        .as_array()
        .expect("top posts");
    assert!(!top.is_empty());
    for post in top.iter().take(5) {
        let reactions = post["reactions"].as_u64().expect("reactions");
        assert!(shown(&html, reactions));
    }
    assert!(
        !html.contains("<script"),
        "the factsheet must carry no script"
    );
    assert!(
        html.contains("Webcare on Twitter"),
        "the title says what the data is"
    );
    assert!(out.path().join("factsheet.md").exists());

    // The same export again: the store does not change.
    let again = dialoog(&["demo", "--out", out_arg]);
    assert_success(&again);
    assert!(
        stdout(&again).contains("0 stored, 5000 duplicate, 0 quarantined"),
        "{}",
        stdout(&again)
    );
    let json_again = read_json(&out.path().join("factsheet.json"));
    assert_eq!(key(&json_again, "summary.posts"), 4987);
}

const MAPPING: &str = r#"
platform = "twitter"
time_format = "rfc3339"
id = "id"
created_at = "time"
author_id = "user"
author_handle = "user"
text = "text"
in_reply_to_id = "parent"
"#;

#[test]
fn text_from_the_data_is_escaped_in_the_factsheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("hostile.csv");
    std::fs::write(
        &csv,
        "id,time,user,text,parent\n\
         1,2024-03-01T10:00:00Z,burger1,\"@gemeente <script>alert(1)</script> waarom?\",\n\
         2,2024-03-01T10:05:00Z,gemeente,\"@burger1 \"\"><img src=x onerror=alert(2)> bel 14 020\",1\n",
    )
    .expect("write csv");
    std::fs::write(dir.path().join("hostile.mapping.toml"), MAPPING).expect("write mapping");
    let registry = dir.path().join("accounts.csv");
    std::fs::write(
        &registry,
        "platform,handle,id,role,organisation,level\ntwitter,gemeente,,government,Gemeente,municipality\n",
    )
    .expect("write registry");
    let store = dir.path().join("store");
    let out = dir.path().join("out");
    let path = |p: &Path| p.to_str().expect("utf-8").to_owned();

    assert_success(&dialoog(&["ingest", &path(&csv), "--store", &path(&store)]));
    assert_success(&dialoog(&[
        "factsheet",
        "--store",
        &path(&store),
        "--registry",
        &path(&registry),
        "--out",
        &path(&out),
    ]));
    let html = std::fs::read_to_string(out.join("factsheet.html")).expect("html");
    assert!(!html.contains("<script"), "unescaped script from data");
    assert!(!html.contains("<img"), "unescaped element from data");
    let json = read_json(&out.join("factsheet.json"));
    assert_eq!(key(&json, "dialogue.addressed"), 1);
    assert_eq!(key(&json, "dialogue.answered"), 1);
    assert_eq!(key(&json, "dialogue.response_time_seconds.median"), 300.0);
    assert_eq!(key(&json, "voice.referrals"), 1);
}

#[test]
fn bad_records_are_quarantined_and_unknown_formats_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let store_arg = store.to_str().expect("utf-8");

    let lines = dir.path().join("tweets.jsonl");
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/twarc2/flat.jsonl"),
    )
    .expect("twarc2 sample in testdata/");
    let first = good.lines().next().expect("a first line");
    std::fs::write(
        &lines,
        format!(
            "{first}\n{{\"id\": \"7\", \"text\": \n{}",
            &first[..first.len() / 2]
        ),
    )
    .expect("write");
    let run = dialoog(&[
        "ingest",
        lines.to_str().expect("utf-8"),
        "--store",
        store_arg,
    ]);
    assert_success(&run);
    assert!(stdout(&run).contains("2 quarantined"), "{}", stdout(&run));
    let quarantine: String = std::fs::read_dir(store.join("quarantine"))
        .expect("quarantine folder")
        .filter_map(Result::ok)
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap_or_default())
        .collect();
    assert!(quarantine.contains("tweets.jsonl"), "{quarantine}");
    assert!(quarantine.contains("\"record\":2"), "{quarantine}");
    assert!(quarantine.contains("\"record\":3"), "{quarantine}");

    let unknown = dir.path().join("notes.txt");
    std::fs::write(&unknown, "just some notes that are not an export\n").expect("write");
    let refused = dialoog(&[
        "ingest",
        unknown.to_str().expect("utf-8"),
        "--store",
        store_arg,
    ]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(message.contains("notes.txt"), "{message}");
    for format in ["twarc2", "twitter-v1", "mastodon-outbox", "csv"] {
        assert!(message.contains(format), "{message}");
    }

    let broken = dir.path().join("broken.jsonl");
    std::fs::write(&broken, "{\"data\": [\n").expect("write");
    let nothing = dialoog(&[
        "ingest",
        broken.to_str().expect("utf-8"),
        "--store",
        store_arg,
    ]);
    assert!(
        !nothing.status.success(),
        "nothing usable read must fail: {}",
        stdout(&nothing)
    );
}

#[test]
fn every_command_explains_its_flags() {
    for command in ["ingest", "factsheet", "demo", "sql", "formats", "export"] {
        let help = dialoog(&[command, "--help"]);
        assert_success(&help);
        assert!(stdout(&help).contains("Usage: dialoog"), "{command}");
    }
    let formats = dialoog(&["formats"]);
    assert_success(&formats);
    for format in dialoog_ingest::formats() {
        assert!(stdout(&formats).contains(format.name()), "{format}");
        assert!(stdout(&formats).contains(format.example()), "{format}");
    }
}

/// `export --to gexf` takes the factsheet's case overrides, so both write the same networks.
#[test]
fn export_and_factsheet_share_the_case_overrides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    assert_success(&dialoog(&["demo", "--out", demo.to_str().expect("utf-8")]));
    let store = demo.join("store");
    let case = demo.join("input/case.toml");
    let overrides = ["--tz", "UTC", "--co-engagement-min-weight", "1"];
    let co_engagement = |command: &str, out: &Path, extra: &[&str]| {
        let mut args = vec![
            command,
            "--store",
            store.to_str().expect("utf-8"),
            "--case",
            case.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ];
        if command == "export" {
            args.extend(["--to", "gexf"]);
        }
        args.extend(extra);
        assert_success(&dialoog(&args));
        std::fs::read_to_string(out.join("co-engagement.gexf")).expect("co-engagement.gexf")
    };
    let factsheet = co_engagement("factsheet", &dir.path().join("factsheet"), &overrides);
    let exported = co_engagement("export", &dir.path().join("export"), &overrides);
    let by_default = co_engagement("export", &dir.path().join("default"), &[]);
    assert_eq!(exported, factsheet);
    assert!(
        exported.matches("<edge ").count() > by_default.matches("<edge ").count(),
        "a minimum weight of 1 keeps more links than the default 5"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `dialoog formats | head -1`: the pipe is closed before dialoog writes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .arg("formats")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the dialoog binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("dialoog ends");
    assert_success(&output);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[cfg(feature = "sql")]
#[test]
fn sql_runs_over_the_demo_store() {
    let out = tempfile::tempdir().expect("tempdir");
    let out_arg = out.path().to_str().expect("utf-8");
    assert_success(&dialoog(&["demo", "--out", out_arg]));
    let store = out.path().join("store");
    let query = dialoog(&[
        "sql",
        "--store",
        store.to_str().expect("utf-8"),
        "--csv",
        "SELECT kind, count(*) AS n FROM posts GROUP BY kind ORDER BY kind",
    ]);
    assert_success(&query);
    let text = stdout(&query);
    let total: u64 = text
        .lines()
        .skip(1)
        .filter_map(|line| line.rsplit(',').next()?.trim().parse::<u64>().ok())
        .sum();
    assert_eq!(total, 5000, "{text}");
}

/// A folder holding an export beside a licence, a README and a registry CSV: the export is read,
/// the others are named with their reason in the output and in the store's manifest.
#[test]
fn files_of_unknown_format_in_a_folder_are_skipped_and_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("export");
    std::fs::create_dir(&input).expect("mkdir");
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    std::fs::copy(
        testdata.join("twarc2/two_tweets.jsonl"),
        input.join("tweets.jsonl"),
    )
    .expect("twarc2 sample in testdata/");
    std::fs::copy(testdata.join("twarc2/LICENSE"), input.join("LICENSE")).expect("licence");
    std::fs::write(input.join("README.md"), "# Collected with twarc2\n").expect("write");
    std::fs::write(
        input.join("accounts.csv"),
        "handle,role\ngemeente,government\n",
    )
    .expect("write");
    let store = dir.path().join("store");
    let run = dialoog(&[
        "ingest",
        input.to_str().expect("utf-8"),
        "--store",
        store.to_str().expect("utf-8"),
    ]);
    assert_success(&run);
    let out = stdout(&run);
    assert!(
        out.contains("tweets.jsonl (twarc2): 2 read, 2 stored"),
        "{out}"
    );
    assert!(
        out.contains("LICENSE: skipped: unknown format: the content matches none"),
        "{out}"
    );
    assert!(out.contains("README.md: skipped: unknown format"), "{out}");
    assert!(
        out.contains("accounts.csv: skipped: a CSV file in none of the known column layouts needs a column mapping"),
        "{out}"
    );
    assert!(out.contains("3 files skipped (not read)"), "{out}");
    let manifest = read_json(&store.join("manifest.json"));
    let skipped = manifest["runs"][0]["skipped"]
        .as_array()
        .expect("skipped files in the manifest");
    assert_eq!(skipped.len(), 3, "{manifest}");
    assert!(
        skipped[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("LICENSE"))
    );

    // The factsheet's method section names them too.
    let out = dir.path().join("factsheet");
    let factsheet = dialoog(&[
        "factsheet",
        "--store",
        store.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_success(&factsheet);
    let json = read_json(&out.join("factsheet.json"));
    assert_eq!(json["method"]["skipped"], manifest["runs"][0]["skipped"]);
    let html = std::fs::read_to_string(out.join("factsheet.html")).expect("factsheet.html");
    assert!(
        html.contains("README.md</code></td><td>unknown format"),
        "{html}"
    );
    let markdown = std::fs::read_to_string(out.join("factsheet.md")).expect("factsheet.md");
    assert!(markdown.contains("Files in the given folders that were not read"));

    // Only files of unknown format: nothing to read is an error that says so.
    std::fs::remove_file(input.join("tweets.jsonl")).expect("rm");
    let nothing = dialoog(&[
        "ingest",
        input.to_str().expect("utf-8"),
        "--store",
        store.to_str().expect("utf-8"),
    ]);
    assert!(!nothing.status.success());
    assert!(
        stderr(&nothing).contains("nothing to read: 3 files in the given folders"),
        "{}",
        stderr(&nothing)
    );
}
