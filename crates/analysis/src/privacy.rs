//! Section 8, privacy: personal data in the posts ([`dialoog_text::pii`]: BSN, IBAN, phone,
//! e-mail, postcode + house number, licence plate, date of birth), counted over all posts, the
//! focus accounts' posts and by role, with the focus accounts' offending posts listed.
//! Organisational contact data (service numbers, role mailboxes) is counted apart, not as
//! personal data.

use crate::factsheet::{
    ExamplePost, PersonalData, PersonalDataCount, PersonalDataExample, PersonalDataPattern, Privacy,
};
use crate::{Prepared, PrivacyOptions};
use dialoog_text::pii::{self, Finding};
use std::collections::BTreeMap;

/// Focus posts with personal data listed at most.
pub const FOCUS_EXAMPLES: usize = 20;

/// The findings of post `i` in a list of (post index, [`pii::find`] on it), in index order.
pub(crate) fn found_in(findings: &[(usize, Vec<Finding>)], i: usize) -> &[Finding] {
    findings
        .binary_search_by_key(&i, |&(at, _)| at)
        .map_or(&[][..], |at| &findings[at].1)
}

/// `findings` are [`pii::find`] on the posts of `prepared` before redaction, by post index in
/// index order; posts with none are left out.
pub(crate) fn compute(
    prepared: &Prepared,
    findings: &[(usize, Vec<Finding>)],
    options: PrivacyOptions,
) -> Privacy {
    let mut privacy = Privacy {
        redacted: options.redact,
        pseudonymised: options.pseudonymised,
        all: empty_count(),
        focus: empty_count(),
        patterns: pii::PATTERNS
            .iter()
            .map(|p| PersonalDataPattern {
                kind: p.kind,
                label: p.kind.label().to_owned(),
                pattern: p.pattern.to_owned(),
                check: p.check.to_owned(),
            })
            .collect(),
        ..Privacy::default()
    };
    let mut examples: Vec<(i64, usize, Vec<PersonalData>)> = Vec::new();
    for (i, post) in prepared.posts.iter().enumerate() {
        let found = found_in(findings, i);
        privacy.organisational_contacts += found.iter().filter(|f| f.organisational).count() as u64;
        let personal: Vec<PersonalData> = found
            .iter()
            .filter(|f| !f.organisational)
            .map(|f| f.kind)
            .collect();
        let role = prepared
            .roles
            .get(i)
            .copied()
            .unwrap_or(dialoog_model::Role::Citizen);
        let focus = prepared.focus.get(i).copied().unwrap_or(false);
        add(&mut privacy.all, &personal);
        add(
            privacy.by_role.entry(role).or_insert_with(empty_count),
            &personal,
        );
        if focus {
            add(&mut privacy.focus, &personal);
            if !personal.is_empty() {
                let mut types = personal;
                types.sort_unstable();
                types.dedup();
                examples.push((post.created_at().timestamp_millis(), i, types));
            }
        }
    }
    examples.sort_by_key(|&(at, i, _)| (at, i));
    privacy.focus_examples = examples
        .into_iter()
        .take(FOCUS_EXAMPLES)
        .map(|(_, i, types)| PersonalDataExample {
            types,
            post: ExamplePost::of(prepared.posts[i]),
        })
        .collect();
    privacy
}

fn empty_count() -> PersonalDataCount {
    PersonalDataCount {
        found: PersonalData::ALL.iter().map(|&k| (k, 0)).collect(),
        ..PersonalDataCount::default()
    }
}

fn add(count: &mut PersonalDataCount, personal: &[PersonalData]) {
    count.posts += 1;
    count.posts_with_personal_data += u64::from(!personal.is_empty());
    for kind in personal {
        *count.found.entry(*kind).or_default() += 1;
    }
}

/// The definitions section 8 applies, for the method section.
pub fn definitions() -> BTreeMap<String, String> {
    [
        ("personal_data", "Pieces of personal data in post texts, by pattern (privacy.patterns): a BSN (9 digits passing the 11-check), an IBAN (the country's length and mod-97), a Dutch phone number (10 digits in national form in a range of the Dutch numbering plan: mobile, landline), an e-mail address, a postcode with a house number or a street with a number, a Dutch licence plate in one of the 14 sidecodes, a date after a birth cue (\"geboren\", \"geb.\", \"born\", \"DOB\"). Counted per post over all posts, the focus accounts' posts and by the author's role; the focus accounts' posts with any are listed (at most 20, earliest first). Pattern matching, not understanding: a 9-digit number that passes the 11-check counts as a BSN even when it is an order number."),
        ("organisational_contacts", "Service numbers (0800, 0900, 0906, 0909 and 088 company numbers) and role mailboxes (info@, contact@, klantenservice@, webcare@, …): an organisation's own contact data is not personal data, so it is neither counted as such nor redacted, in anyone's post; a referral to it stays readable. Every other phone number or e-mail address counts, also in a government post, since a pattern cannot tell a switchboard from a person's direct line."),
        ("redaction", "By default every output derived from post texts — example posts, burst terms, community words, the network files and exports — shows personal data as [BSN], [IBAN], [PHONE], [EMAIL], [ADDRESS], [PLATE], [DOB]; --no-redact turns it off. Participation modes, referrals and the personal-data count run on the original texts, so redaction changes none of the numbers."),
        ("pseudonymisation", "With --pseudonymise KEYFILE every author that is not a focus account is replaced by anon_ + the first 16 hex digits of HMAC-SHA256(key, platform and lower-cased handle, or the id when no handle is known) — as author, in reply targets, in mentions and @handles inside texts, and in the network files; display names become the same pseudonym and permalinks of pseudonymised posts are dropped. The same key gives the same pseudonyms in every run. Focus accounts (registered government accounts speaking in public office) stay named."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}
