//! The rendered factsheet: escaping, self-containment, the stable numbers, the empty case, files.

use dialoog_analysis::{Example, ExamplePost, Factsheet};
use dialoog_model::Mode;
use dialoog_report::{render_html, render_json, render_markdown, sample, write_all};

const SCRIPT: &str = "<script>alert(1)</script>";
const ATTR: &str = "\"><img src=x onerror=alert(1)>";

fn hostile() -> Factsheet {
    let mut f = sample::webcare();
    f.title = format!("Case {SCRIPT}");
    f.description = ATTR.into();
    f.focus_label = format!("gov {SCRIPT}");
    f.summary.headlines.push(SCRIPT.into());
    f.activity.events[0].label = ATTR.into();
    f.voice.examples.push(Example {
        mode: Mode::Consult,
        rule: ATTR.into(),
        post: ExamplePost {
            platform: "twitter".into(),
            id: "1".into(),
            url: Some("javascript:alert(1)\"><a href=\"http://evil.example/x.png\">".into()),
            author_handle: ATTR.into(),
            created_at: f.generated_at,
            text: format!("{SCRIPT} and {ATTR} and http://example.org/link"),
            row: None,
        },
    });
    f.dialogue.by_account[0].handle = SCRIPT.into();
    f.voice.by_account[0].handle = ATTR.into();
    f.method.inputs[0].path = ATTR.into();
    f.network.top_accounts[0].handle = SCRIPT.into();
    f.network.top_accounts[1].handle = ATTR.into();
    f.network.communities[0].top_accounts[0] = SCRIPT.into();
    f.co_engagement.top_accounts[0].handle = SCRIPT.into();
    f.activity.bursts[0].terms[0].term = SCRIPT.into();
    f.method.definitions.insert(SCRIPT.into(), ATTR.into());
    f.reaction.top_terms[0].term = SCRIPT.into();
    f.reaction.top_hashtags[0].term = ATTR.into();
    f.reaction.by_target[0].handle = SCRIPT.into();
    f.reaction.resources[0].name = ATTR.into();
    f.top_posts.overall[1].post.text = format!("{SCRIPT} {ATTR}");
    f.top_posts.overall[0].reply_terms[0].term = SCRIPT.into();
    f.topics.keyword_sets[0].description = SCRIPT.into();
    f.topics.topics[0].terms[0].term = ATTR.into();
    f.topics.co_occurrence[0].a = SCRIPT.into();
    f.headline[0].handle = SCRIPT.into();
    f.spread.top[0].post.text = SCRIPT.into();
    f.spread.top[1].post.author_handle = ATTR.into();
    f.spread.domains_focus[0].domain = ATTR.into();
    f.spread.by_account[0].handle = SCRIPT.into();
    f.breakdown.by_role[0].label = SCRIPT.into();
    f
}

#[test]
fn user_text_is_escaped() {
    let html = render_html(&hostile()).unwrap();
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a script tag got through"
    );
    assert!(!html.contains("<img"), "an img tag got through");
    assert!(!html.contains("onerror=alert(1)>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<a "), "data URLs must stay text");
}

fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn self_contained() {
    for f in [sample::webcare(), hostile(), sample::empty()] {
        let html = render_html(&f).unwrap();
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"));
        assert!(!lower.contains("<link"));
        assert!(!lower.contains("@import"));
        assert!(!lower.contains("url("), "no CSS url() loads");
        assert!(
            !lower.contains("<iframe") && !lower.contains("<object") && !lower.contains("<embed")
        );
        assert!(!lower.contains("<img"));
        for attr in ["src", "href", "xlink:href", "srcset", "action", "xmlns"] {
            for value in attributes(&lower, attr) {
                assert!(!value.contains("http"), "{attr}=\"{value}\"");
            }
        }
        assert!(attributes(&lower, "href").is_empty());
        assert!(attributes(&lower, "src").is_empty());
        assert!(html.contains("@page"));
        assert!(html.contains("size: A4"));
    }
}

/// The numbers of the JSON's stable keys, found in the HTML.
#[test]
fn stable_numbers_are_in_the_html() {
    let f = sample::webcare();
    let html = render_html(&f).unwrap();
    let json: serde_json::Value = serde_json::from_str(&render_json(&f).unwrap()).unwrap();
    let get = |path: &str| path.split('.').fold(&json, |v, k| &v[k]).clone();
    for key in [
        "summary.posts",
        "summary.authors",
        "dialogue.addressed",
        "dialogue.answered",
        "dialogue.reply_rate",
        "dialogue.response_time_seconds.median",
        "dialogue.response_time_seconds.p90",
        "voice.referral_share",
    ] {
        let value = get(key);
        assert!(!value.is_null(), "{key} is null in the sample");
        let attr = format!("data-key=\"{key}\" data-value=\"{value}\"");
        assert!(html.contains(&attr), "{attr} missing");
    }
    for (mode, n) in json["voice"]["modes"].as_object().unwrap() {
        let attr = format!("data-key=\"voice.modes.{mode}\" data-value=\"{n}\"");
        assert!(html.contains(&attr), "{attr} missing");
    }
    // Plain integers too, with and without separators.
    for key in [
        "summary.posts",
        "summary.authors",
        "dialogue.addressed",
        "dialogue.answered",
    ] {
        let n = get(key).as_u64().unwrap();
        assert!(html.contains(&format!("\"{n}\"")), "{key} raw");
        assert!(
            html.contains(&dialoog_report::format::int(n)),
            "{key} formatted"
        );
    }
    assert!(
        html.contains("13 min"),
        "median response time human-readable"
    );
    assert!(html.contains("76.2%"), "reply rate with one decimal");
    // The focus label is used.
    assert!(html.contains("support accounts"));
}

#[test]
fn json_round_trips_and_holds_the_stable_keys() {
    let f = sample::webcare();
    let text = render_json(&f).unwrap();
    assert!(text.ends_with('\n'));
    let back: Factsheet = serde_json::from_str(&text).unwrap();
    assert_eq!(back.summary, f.summary);
    assert_eq!(back.dialogue.addressed, f.dialogue.addressed);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["summary"]["posts"], f.summary.posts);
    assert!(json["voice"]["modes"]["co_decide"].is_u64());
}

#[test]
fn empty_factsheet_says_no_data() {
    let f = sample::empty();
    let html = render_html(&f).unwrap();
    assert!(html.contains("No data"));
    assert!(html.contains("data-key=\"dialogue.reply_rate\" data-value=\"null\""));
    assert!(html.contains("data-key=\"summary.posts\" data-value=\"0\""));
    assert!(!html.contains("NaN"));
    let md = render_markdown(&f).unwrap();
    assert!(md.contains("No data"));
    let json: serde_json::Value = serde_json::from_str(&render_json(&f).unwrap()).unwrap();
    assert!(json["dialogue"]["reply_rate"].is_null());

    // Stranger shapes: an empty focus label, series with no counts, hour profile of one hour.
    let mut odd = sample::empty();
    odd.focus_label = String::new();
    odd.activity.series = vec![dialoog_analysis::Bucket {
        start: "not a time".into(),
        ..Default::default()
    }];
    odd.activity.hour_of_day = vec![Default::default()];
    odd.activity.events = vec![dialoog_analysis::Event {
        at: odd.generated_at,
        label: "e".into(),
    }];
    let html = render_html(&odd).unwrap();
    assert!(html.contains("government"));
    render_markdown(&odd).unwrap();
}

#[test]
fn markdown_has_the_sections_and_escapes_table_cells() {
    let md = render_markdown(&sample::webcare()).unwrap();
    for heading in [
        "## 1. The case in numbers",
        "## 2. Activity over time",
        "## 3. The voice of the support accounts",
        "## 4. Dialogue",
        "## 5. Citizens' reaction",
        "## 6. Actors and network",
        "## Method and provenance",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("| Posts | 5,666 |") || md.contains("5,666"));
    assert!(!md.contains("<svg"));
    let md = render_markdown(&hostile()).unwrap();
    assert!(!md.contains("<script"));
    assert!(!md.contains("<img"));
    for line in md.lines().filter(|l| l.starts_with('|')) {
        // Every table row has as many unescaped pipes as its header.
        assert!(line.ends_with('|'), "{line}");
    }
}

#[test]
fn writes_five_files_atomically() {
    let dir = std::env::temp_dir().join(format!("dialoog-report-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("nested/out");
    let written = write_all(&sample::webcare(), &out).unwrap();
    assert_eq!(written.html, out.join("factsheet.html"));
    assert_eq!(written.json, out.join("factsheet.json"));
    assert_eq!(written.markdown, out.join("factsheet.md"));
    assert_eq!(written.gexf, out.join("network.gexf"));
    for p in [
        &written.html,
        &written.json,
        &written.markdown,
        &written.gexf,
    ] {
        assert!(std::fs::metadata(p).unwrap().len() > 100);
    }
    // Again, over the existing files; no temporary files left behind.
    write_all(&sample::webcare(), &out).unwrap();
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");

    // An output path under a file: the error names the path.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = write_all(&sample::empty(), &file.join("out")).unwrap_err();
    assert!(err.to_string().contains("a-file"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn long_account_lists_are_cut_with_a_note() {
    let f = sample::webcare();
    let html = render_html(&f).unwrap();
    let more = f.dialogue.by_account.len() - 15;
    assert!(
        html.contains(&format!("{more} more in factsheet.json")),
        "{more}"
    );
    // The top account (most addressed) is shown, the least addressed is not.
    assert!(html.contains("@AmazonHelp"));
    assert!(!html.contains("@silent_account"));
    let md = render_markdown(&f).unwrap();
    assert!(md.contains(&format!("{more} more accounts in factsheet.json")));
}

#[test]
fn the_headline_box_names_each_rows_platform_when_the_case_has_several() {
    let mut f = sample::webcare();
    let shown = |html: &str, platform: &str| html.matches(&format!(" · {platform}</span>")).count();
    let one = render_html(&f).unwrap();
    assert_eq!(shown(&one, "Twitter"), 0, "one platform: no need to say");
    f.summary.platforms.insert("instagram".into(), 3);
    f.headline[1].platform = "instagram".into();
    let html = render_html(&f).unwrap();
    assert_eq!((shown(&html, "Twitter"), shown(&html, "Instagram")), (1, 1));
    let md = render_markdown(&f).unwrap();
    assert!(md.contains("(Instagram)"), "{md}");
}

#[test]
fn headline_uses_the_focus_label_and_human_numbers() {
    let mut f = sample::webcare();
    f.focus_label = "ministries".into();
    f.summary.posts = 1_234_567;
    let html = render_html(&f).unwrap();
    assert!(html.contains("The voice of the ministries"));
    assert!(html.contains("posts addressed to ministries"));
    assert!(html.contains("1,234,567"));
    assert!(html.contains("data-key=\"summary.posts\" data-value=\"1234567\""));
    assert!(html.contains("4 h 9 min"), "p90 as a duration");
}

#[test]
fn the_reaction_section_shows_its_json_numbers() {
    let f = sample::webcare();
    let html = render_html(&f).unwrap();
    let json: serde_json::Value = serde_json::from_str(&render_json(&f).unwrap()).unwrap();
    let get = |path: &str| path.split('.').fold(&json, |v, k| &v[k]).clone();
    for key in [
        "reaction.posts",
        "reaction.sentiment.negative",
        "reaction.sentiment.neutral",
        "reaction.sentiment.positive",
        "reaction.sentiment.mean_score",
        "reaction.questions",
        "reaction.question_share",
        "reaction.negative_below",
        "reaction.positive_above",
    ] {
        let value = get(key);
        assert!(!value.is_null(), "{key} is null in the sample");
        let attr = format!("data-key=\"{key}\" data-value=\"{value}\"");
        assert!(html.contains(&attr), "{attr} missing");
    }
    for topic in json["topics"]["topics"].as_array().unwrap() {
        let id = topic["id"].as_str().unwrap();
        for side in ["focus_posts", "citizen_posts"] {
            let attr = format!(
                "data-key=\"topics.{id}.{side}\" data-value=\"{}\"",
                topic[side]
            );
            assert!(html.contains(&attr), "{attr} missing");
        }
    }
    assert!(html.contains("Citizens' reaction") || html.contains("Citizens&#x27; reaction"));
    // The sentiment chart, the terms, the top posts and the resources with their licences.
    assert!(html.contains("Posts by the public per day by sentiment"));
    assert!(html.contains(">help<") && html.contains("#ios11"));
    assert!(html.contains("We&#x27;re here to help") || html.contains("We're here to help"));
    assert!(html.contains("PDDL") && html.contains("MIT"));
    assert!(html.contains("dienstverlening"));
    let md = render_markdown(&f).unwrap();
    assert!(md.contains("help + order (64)"));
    assert!(md.contains("Service (dienstverlening)"));
}
