//! Section 8, privacy: the view the HTML template `privacy.html` shows and the Markdown block.

use crate::format::{self, int, pct_of};
use crate::html::{clip, role_name};
use crate::markdown::{md, table};
use dialoog_analysis::{Factsheet, PersonalData, PersonalDataCount};
use dialoog_model::Role;
use serde_json::{Value as Json, json};
use std::fmt::Write as _;

/// Characters of an offending post shown.
const EXAMPLE_CHARS: usize = 280;

/// One table row: a group of posts and its counts by type.
fn row(label: String, key: &str, count: &PersonalDataCount, first: bool) -> Json {
    let found: Vec<Json> = PersonalData::ALL
        .iter()
        .map(|kind| {
            let n = count.found.get(kind).copied().unwrap_or(0);
            json!({"key": format!("{key}.found.{kind}"), "raw": n.to_string(), "shown": int(n)})
        })
        .collect();
    json!({
        "label": label,
        "focus": first,
        "posts": int(count.posts),
        "with": {
            "key": format!("{key}.posts_with_personal_data"),
            "raw": count.posts_with_personal_data.to_string(),
            "shown": int(count.posts_with_personal_data),
        },
        "share": pct_of(count.posts_with_personal_data, count.posts),
        "found": found,
    })
}

/// The rows of the table: the focus accounts first, then each role, then all posts.
fn rows(f: &Factsheet, focus: &str) -> Vec<Json> {
    let p = &f.privacy;
    let mut rows = vec![row(
        format::capitalise(focus),
        "privacy.focus",
        &p.focus,
        true,
    )];
    rows.extend(Role::ALL.iter().filter_map(|role| {
        p.by_role.get(role).map(|count| {
            row(
                role_name(*role),
                &format!("privacy.by_role.{}", role.as_str()),
                count,
                false,
            )
        })
    }));
    rows.push(row("All posts".into(), "privacy.all", &p.all, false));
    rows
}

/// The `privacy` object of the HTML template's view.
pub(crate) fn view(f: &Factsheet, focus: &str) -> Json {
    let p = &f.privacy;
    json!({
        "redacted": p.redacted,
        "pseudonymised": p.pseudonymised,
        "focus_with": {
            "key": "privacy.focus.posts_with_personal_data",
            "raw": p.focus.posts_with_personal_data.to_string(),
            "shown": int(p.focus.posts_with_personal_data),
        },
        "focus_posts": int(p.focus.posts),
        "all_with": int(p.all.posts_with_personal_data),
        "organisational": int(p.organisational_contacts),
        "types": PersonalData::ALL.iter().map(|k| json!({"name": format::capitalise(k.name()), "label": k.label()})).collect::<Vec<_>>(),
        "rows": rows(f, focus),
        "examples": p.focus_examples.iter().map(|e| json!({
            "text": clip(&e.post.text, EXAMPLE_CHARS),
            "handle": e.post.author_handle,
            "platform": format::capitalise(&e.post.platform),
            "date": format::date_time(&e.post.created_at),
            "types": e.types.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
        })).collect::<Vec<_>>(),
        "examples_more": p.focus.posts_with_personal_data.saturating_sub(p.focus_examples.len() as u64),
    })
}

/// Section 8 as Markdown.
pub(crate) fn markdown(f: &Factsheet, focus: &str, o: &mut String) {
    let p = &f.privacy;
    o.push_str("## 8. Privacy: personal data\n\n");
    let _ = writeln!(
        o,
        "Posts of the {focus} with personal data: **{}** of {}. All posts: {} of {}. Organisational contact data (service numbers, role mailboxes), not counted: {}.\n",
        int(p.focus.posts_with_personal_data),
        int(p.focus.posts),
        int(p.all.posts_with_personal_data),
        int(p.all.posts),
        int(p.organisational_contacts),
    );
    let mut head = vec!["Posts by", "Posts", "With personal data"];
    head.extend(PersonalData::ALL.iter().map(|k| k.label()));
    let mut right = vec![false];
    right.extend(std::iter::repeat_n(true, head.len() - 1));
    let rows: Vec<Vec<String>> = rows(f, focus)
        .iter()
        .map(|r| {
            let mut cells = vec![
                r["label"].as_str().unwrap_or_default().to_owned(),
                r["posts"].as_str().unwrap_or_default().to_owned(),
                r["with"]["shown"].as_str().unwrap_or_default().to_owned(),
            ];
            if let Some(found) = r["found"].as_array() {
                cells.extend(
                    found
                        .iter()
                        .map(|n| n["shown"].as_str().unwrap_or_default().to_owned()),
                );
            }
            cells
        })
        .collect();
    table(o, &head, &right, &rows);
    if !p.focus_examples.is_empty() {
        let _ = writeln!(o, "### Posts of the {focus} with personal data\n");
        for e in &p.focus_examples {
            let types: Vec<&str> = e.types.iter().map(|k| k.name()).collect();
            let _ = writeln!(
                o,
                "- @{} ({}, {}): {} — {}",
                md(&e.post.author_handle),
                md(&e.post.platform),
                format::date_time(&e.post.created_at),
                md(&clip(&e.post.text, EXAMPLE_CHARS)),
                types.join(", "),
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "{} {}\n",
        if p.redacted {
            "Personal data is redacted in every output ([BSN], [IBAN], [PHONE], [EMAIL], [ADDRESS], [PLATE], [DOB]); the counts use the original texts."
        } else {
            "Redaction is off (--no-redact): this file shows personal data as posted."
        },
        if p.pseudonymised {
            "Authors other than the focus accounts are pseudonymised (keyed hash)."
        } else {
            "Authors are named as in the data."
        },
    );
}
