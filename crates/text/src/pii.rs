//! Personal data in post texts: detection and redaction.
//!
//! Each type is a documented pattern plus, where the format has one, its check ([`PATTERNS`]):
//!
//! | type | label | what counts |
//! |---|---|---|
//! | BSN | `[BSN]` | 9 digits (also `1234.56.782`, `123 456 782`) passing the 11-check |
//! | IBAN | `[IBAN]` | country code, 2 check digits, account; the country's exact length (every country of the SWIFT IBAN registry) and mod-97 = 1; spaces every 4 allowed |
//! | phone | `[PHONE]` | a Dutch number of 10 digits in a range of the numbering plan: mobile (06), landline (010 … 079 without the unused 012, 014, 019, 021, 027, 028, 037, 039, 042, 044), 084/085/087/091/097; written 0…, +31 …, +31 (0)…, 0031 …, (020) … |
//! | e-mail | `[EMAIL]` | `name@domain.tld` (not a fediverse handle `@name@instance`) |
//! | address | `[ADDRESS]` | a postcode (`1234 AB`, `1234AB`, `1234ab`; not SA/SD/SS) with a house number after it, or a street name with a number before it |
//! | plate | `[PLATE]` | a Dutch licence plate written with dashes in one of the 14 sidecodes (`XX-99-99` … `999-XX-9`), capitals |
//! | date of birth | `[DOB]` | a date (`12-03-1980`, `1980-03-12`, `12 maart 1980`, `March 12, 1980`) after a birth cue within 30 characters: "geboren", "geb.", "geboortedatum", "born", "date of birth", "DOB" |
//!
//! **Organisational contact data is not personal data.** Service numbers (0800, 0900, 0906, 0909,
//! 088) and role e-mail addresses (`info@`, `contact@`, `klantenservice@`, … — [`ROLE_MAILBOXES`])
//! belong to an organisation, not a person: [`find`] reports them with `organisational: true`,
//! they are not counted as personal data and [`redact`] keeps them, in anyone's post. So a
//! government referral ("bel 0800 1234", "mail info@gemeente.nl") stays readable and the referral
//! measure, which runs on the original text, is unaffected. Any other phone number or e-mail
//! address counts, also in a government post: a regex cannot tell a switchboard from a
//! civil servant's or a citizen's direct line, and the study's rule is that government accounts
//! share no personal data at all; a reader can check the listed posts with `--no-redact`.
//!
//! Speed: one byte scan first ([`Shape`], eight bytes at a time where there is no digit, `@` or
//! `-`) tells which patterns could match at all; a text with no ASCII digit and no `@` cannot
//! hold any of these and returns at once. Phone numbers and BSNs need a chain of nine digits with
//! narrow gaps, plates two dashes around a short middle group, addresses a street word before the
//! house number: in social-media text most digits sit in handles and links, where none of these
//! holds.

use dialoog_model::Post;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

/// A type of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    Bsn,
    Iban,
    Phone,
    Email,
    Address,
    Plate,
    Dob,
}

impl PersonalData {
    pub const ALL: [PersonalData; 7] = [
        PersonalData::Bsn,
        PersonalData::Iban,
        PersonalData::Phone,
        PersonalData::Email,
        PersonalData::Address,
        PersonalData::Plate,
        PersonalData::Dob,
    ];

    /// The key in factsheet.json.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonalData::Bsn => "bsn",
            PersonalData::Iban => "iban",
            PersonalData::Phone => "phone",
            PersonalData::Email => "email",
            PersonalData::Address => "address",
            PersonalData::Plate => "plate",
            PersonalData::Dob => "dob",
        }
    }

    /// What replaces it in redacted text.
    pub fn label(self) -> &'static str {
        match self {
            PersonalData::Bsn => "[BSN]",
            PersonalData::Iban => "[IBAN]",
            PersonalData::Phone => "[PHONE]",
            PersonalData::Email => "[EMAIL]",
            PersonalData::Address => "[ADDRESS]",
            PersonalData::Plate => "[PLATE]",
            PersonalData::Dob => "[DOB]",
        }
    }

    /// A name for readers.
    pub fn name(self) -> &'static str {
        match self {
            PersonalData::Bsn => "BSN (citizen service number)",
            PersonalData::Iban => "IBAN (bank account)",
            PersonalData::Phone => "phone number",
            PersonalData::Email => "e-mail address",
            PersonalData::Address => "postcode and house number",
            PersonalData::Plate => "licence plate",
            PersonalData::Dob => "date of birth",
        }
    }
}

impl std::fmt::Display for PersonalData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One pattern of [`PATTERNS`], documented for the factsheet's method section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    pub kind: PersonalData,
    /// The regular expression that finds candidates.
    pub pattern: &'static str,
    /// The check a candidate must pass, in words.
    pub check: &'static str,
}

const BSN: &str = r"\b\d{9}\b|\b\d{4}\.\d{2}\.\d{3}\b|\b\d{3}[ .]\d{3}[ .]\d{3}\b";
const IBAN: &str = r"(?i)\b[a-z]{2}\d{2}";
const PHONE: &str = r"(?:\+31[\s.-]?(?:\(0\)[\s.-]?)?|\b0031[\s.-]?|\b0)[1-9](?:[\s.-]?\d){8}\b|\(0\d{2,3}\)[\s.-]?\d(?:[\s.-]?\d){5,6}\b";
const SERVICE: &str = r"\b0(?:800|90[069])[\s.-]?\d(?:[\s.-]?\d){2}(?:\d|(?:[\s.-]?\d){4})\b";
const EMAIL: &str = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b";
const POSTCODE_FIRST: &str = r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b,?\s+(?:(?:nr|no|huisnummer|huisnr)\.?\s*)?\d{1,5}(?:\s?[a-zA-Z]\b|-\d{1,4}\b|\b)";
const STREET_FIRST: &str = r"\b[A-Z][\p{L}'-]*(?:straat|weg|laan|plein|gracht|kade|singel|dijk|pad|dreef|hof|park|steeg|baan|ring|markt|veld|allee|boulevard|erf|hoek|kwartier|wal|burg|haven)\s+\d{1,5}(?:\s?[a-zA-Z]\b|-\d{1,4}\b|\b)(?:,?\s+[1-9]\d{3}\s?[A-Z]{2}\b)?";
const PLATE: &str = r"\b(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)\b";
const MONTHS: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|august|october|mar|oct";
const DOB_CUE: &str =
    r"\b(?:geboren|geboortedatum|geb\.\s*datum|geb\.|born|date\s+of\s+birth|d\.o\.b\.?|dob)";

static DOB: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?i){DOB_CUE}[^\d.!?\n]{{0,30}}?(?P<date>\b\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}\b|\b(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})\.?\s+(?:19|20)\d{{2}}\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b)"
    )
});

/// The patterns, in the order their matches win when two overlap.
pub static PATTERNS: &[Pattern] = &[
    Pattern {
        kind: PersonalData::Email,
        pattern: EMAIL,
        check: "not directly after '@' (a fediverse handle @name@instance); role mailboxes (info@, contact@, …) are organisational",
    },
    Pattern {
        kind: PersonalData::Iban,
        pattern: IBAN,
        check: "spaces removed, the first N characters for the country's IBAN length N, then mod-97 = 1; not followed directly by a letter or digit",
    },
    Pattern {
        kind: PersonalData::Dob,
        pattern: "(a birth cue — geboren, geboortedatum, geb., born, date of birth, DOB — then within 30 characters a date: d-m-yyyy, d/m/yyyy, d.m.yyyy, yyyy-m-d, 12 maart 1980, March 12, 1980)",
        check: "day 1–31, month 1–12; only the date is redacted",
    },
    Pattern {
        kind: PersonalData::Address,
        pattern: POSTCODE_FIRST,
        check: "postcode letters not SA, SD or SS (never issued), nor a time (1130am)",
    },
    Pattern {
        kind: PersonalData::Address,
        pattern: STREET_FIRST,
        check: "a street name ending in a street word (straat, weg, laan, plein, gracht, …) then a house number",
    },
    Pattern {
        kind: PersonalData::Phone,
        pattern: SERVICE,
        check: "service numbers 0800/0900/0906/0909 + 4 or 7 digits are organisational (not personal data)",
    },
    Pattern {
        kind: PersonalData::Phone,
        pattern: PHONE,
        check: "10 digits after +31/0031 becomes 0, in a range of the Dutch numbering plan (not 012, 014, 019, 021, 027, 028, 037, 039, 042, 044, 080-083, 086, 089, 090, 092-096, 098, 099); 088 (company numbers) is organisational",
    },
    Pattern {
        kind: PersonalData::Bsn,
        pattern: BSN,
        check: "11-check: 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, not all zeros",
    },
    Pattern {
        kind: PersonalData::Plate,
        pattern: PLATE,
        check: "not part of a longer dash-joined code (e.g. AB-12-34-56)",
    },
];

/// Local parts of e-mail addresses that name a role or a desk, not a person.
pub const ROLE_MAILBOXES: &[&str] = &[
    "info",
    "contact",
    "service",
    "klantenservice",
    "klantcontact",
    "webcare",
    "support",
    "help",
    "helpdesk",
    "servicedesk",
    "pers",
    "press",
    "media",
    "communicatie",
    "redactie",
    "noreply",
    "no-reply",
    "secretariaat",
    "post",
    "postbus",
    "loket",
    "receptie",
    "vragen",
    "meldpunt",
    "meldingen",
    "klachten",
    "privacy",
    "security",
    "abuse",
    "hello",
    "sales",
    "office",
    "nieuws",
    "news",
    "feedback",
    "team",
];

/// One match in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: PersonalData,
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Organisational contact data (service number, role mailbox): found, but not personal data.
    pub organisational: bool,
}

struct Compiled {
    email: Regex,
    iban: Regex,
    dob: Regex,
    postcode_first: Regex,
    street_first: Regex,
    service: Regex,
    phone: Regex,
    bsn: Regex,
    plate: Regex,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    // Fixed patterns: a failure is a bug caught by every test. ASCII word boundaries and digits:
    // Unicode ones make the engine leave its fast DFA on any non-ASCII text (see
    // `ascii_boundaries` in lib.rs), and the checks count ASCII digits only.
    let re = |p: &str| {
        let ascii = crate::ascii_boundaries(p).replace(r"\d", "[0-9]");
        Regex::new(&ascii).expect("the built-in personal-data patterns compile")
    };
    Compiled {
        email: re(EMAIL),
        iban: re(IBAN),
        dob: re(&DOB),
        postcode_first: re(POSTCODE_FIRST),
        street_first: re(STREET_FIRST),
        service: re(SERVICE),
        phone: re(PHONE),
        bsn: re(BSN),
        plate: re(PLATE),
    }
});

/// Every personal-data match and organisational contact in a text, in text order, not
/// overlapping (on overlap the earlier pattern of [`PATTERNS`] wins).
pub fn find(text: &str) -> Vec<Finding> {
    let shape = Shape::of(text);
    if shape.digits == 0 && !shape.email() {
        return Vec::new();
    }
    let c = &*COMPILED;
    let bytes = text.as_bytes();
    let mut found = Found::default();
    if shape.email() {
        for m in c.email.find_iter(text) {
            if m.start() > 0 && bytes[m.start() - 1] == b'@' {
                continue;
            }
            let local = m.as_str().split('@').next().unwrap_or_default();
            let mailbox = local.split('+').next().unwrap_or_default().to_lowercase();
            let organisational = ROLE_MAILBOXES.contains(&mailbox.as_str());
            found.add(PersonalData::Email, m.range(), organisational);
        }
    }
    // Every place that starts like an IBAN; its length comes from the country.
    for m in matches_if(shape.iban(), &c.iban, text) {
        if let Some(range) = iban_at(text, m.start()) {
            found.add(PersonalData::Iban, range, false);
        }
    }
    if shape.dob() {
        for caps in c.dob.captures_iter(text) {
            if let Some(date) = caps.name("date")
                && plausible_date(date.as_str())
            {
                found.add(PersonalData::Dob, date.range(), false);
            }
        }
    }
    for m in matches_if(shape.postcode_first(), &c.postcode_first, text) {
        let letters: String = m.as_str()[4..]
            .trim_start()
            .chars()
            .take(2)
            .collect::<String>()
            .to_uppercase();
        let time = matches!(m.as_str().get(4..6), Some("am" | "pm"));
        if !time && !matches!(letters.as_str(), "SA" | "SD" | "SS") {
            found.add(PersonalData::Address, m.range(), false);
        }
    }
    for m in matches_if(shape.street_first(), &c.street_first, text) {
        found.add(PersonalData::Address, m.range(), false);
    }
    for m in matches_if(shape.service(), &c.service, text) {
        found.add(PersonalData::Phone, m.range(), true);
    }
    for m in matches_if(shape.phone(), &c.phone, text) {
        if joined_to_number(bytes, m.start(), m.end()) {
            continue;
        }
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let national = national_number(&digits);
        let organisational = national.starts_with("088");
        if national.len() == 10 && in_dutch_number_plan(&national) {
            found.add(PersonalData::Phone, m.range(), organisational);
        }
    }
    for m in matches_if(shape.bsn(), &c.bsn, text) {
        if joined_to_number(bytes, m.start(), m.end()) {
            continue;
        }
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if eleven_check(&digits) {
            found.add(PersonalData::Bsn, m.range(), false);
        }
    }
    for m in matches_if(shape.plate(), &c.plate, text) {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        if before != Some(b'-') && after != Some(b'-') {
            found.add(PersonalData::Plate, m.range(), false);
        }
    }
    found.taken.into_values().collect()
}

/// The pattern's matches in the text, or none without looking when `possible` is false.
fn matches_if<'t>(
    possible: bool,
    pattern: &Regex,
    text: &'t str,
) -> impl Iterator<Item = regex::Match<'t>> {
    possible
        .then(|| pattern.find_iter(text))
        .into_iter()
        .flatten()
}

/// What one pass over a text's bytes tells about which patterns could match, so a pattern runs
/// only where it can: in social-media text most digits sit in handles (`@jan2880`) and links,
/// where no pattern can start, yet each [`PATTERNS`] regex would scan every text with a digit.
#[derive(Debug, Default)]
struct Shape {
    /// ASCII digits in the text.
    digits: usize,
    /// The longest run of adjacent ASCII digits.
    longest_run: usize,
    /// The longest run of adjacent ASCII digits that starts at an ASCII word boundary.
    boundary_run: usize,
    /// Two digits right after two letters at a word boundary, as an IBAN starts.
    iban_like: bool,
    /// Digits right after white space after one of [`STREET_WORDS`], as the house number after
    /// a street name.
    street_like: bool,
    /// An `@` right after a character an e-mail address's local part may end in (a mention's
    /// `@` follows a space or starts the text).
    email_like: bool,
    /// The most digits in a chain where each next digit comes at most 4 bytes after the one
    /// before: a phone number's separators (`[\s.-]?`, one character of up to 3 bytes, or `)`
    /// and one) and a BSN's (`[ .]`) leave gaps no wider.
    digit_chain: usize,
    /// Two dashes 3 or 4 bytes apart, around the middle group of a licence plate's sidecode (two
    /// or three characters).
    dash_pair: bool,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let bytes = text.as_bytes();
        let mut shape = Shape::default();
        let mut run = 0;
        let mut run_at_boundary = false;
        let mut last_digit = None;
        let mut last_dash = None;
        for (at, chunk) in bytes.chunks(8).enumerate() {
            // Eight bytes without a digit, `@` or `-` only end a run of digits: skipped after one
            // test (most of a post's bytes are letters and spaces).
            if let Ok(eight) = <[u8; 8]>::try_from(chunk)
                && !any_digit_at_or_dash(u64::from_le_bytes(eight))
            {
                run = 0;
                continue;
            }
            for (i, &b) in (at * 8..).zip(chunk) {
                if !b.is_ascii_digit() {
                    run = 0;
                    match b {
                        b'@' => {
                            shape.email_like |= i > 0
                                && (bytes[i - 1].is_ascii_alphanumeric()
                                    || b"._%+-".contains(&bytes[i - 1]))
                        }
                        b'-' => {
                            shape.dash_pair |= last_dash.is_some_and(|d| matches!(i - d, 3 | 4));
                            last_dash = Some(i);
                        }
                        _ => {}
                    }
                    continue;
                }
                shape.digits += 1;
                let chain = match last_digit {
                    Some((previous, chain)) if i - previous <= 5 => chain + 1,
                    _ => 1,
                };
                shape.digit_chain = shape.digit_chain.max(chain);
                last_digit = Some((i, chain));
                if run == 0 {
                    run_at_boundary = i == 0 || !is_word_byte(bytes[i - 1]);
                    shape.street_like |= after_white_space_after_street_word(&bytes[..i]);
                }
                run += 1;
                shape.longest_run = shape.longest_run.max(run);
                if run_at_boundary {
                    shape.boundary_run = shape.boundary_run.max(run);
                }
                if run == 2 {
                    shape.iban_like |= after_country_code(&bytes[..i - 1]);
                }
            }
        }
        shape
    }

    // Whether each pattern could match: what its every alternative needs at least.

    /// Part of an address before the `@`.
    fn email(&self) -> bool {
        self.email_like
    }

    /// A country code and two check digits.
    fn iban(&self) -> bool {
        self.iban_like
    }

    /// A four-digit year after a boundary, `-`, `/`, `.` or white space.
    fn dob(&self) -> bool {
        self.boundary_run >= 4
    }

    /// Four postcode digits after a boundary.
    fn postcode_first(&self) -> bool {
        self.boundary_run >= 4
    }

    /// A house number after white space after the street word.
    fn street_first(&self) -> bool {
        self.street_like
    }

    /// 0800, 0900, 0906 or 0909 after a boundary.
    fn service(&self) -> bool {
        self.boundary_run >= 4
    }

    /// Nine digits after the leading 0 or +31 in every written form, each at most one
    /// separator (or `)` and one) after the one before.
    fn phone(&self) -> bool {
        self.digit_chain >= 9
    }

    /// Nine digits, at most a space or dot between two.
    fn bsn(&self) -> bool {
        self.digit_chain >= 9
    }

    /// Two dashes around the middle group, and two or three adjacent digits in every sidecode.
    fn plate(&self) -> bool {
        self.dash_pair && self.longest_run >= 2
    }
}

/// A byte of an ASCII word (`\b` in the patterns is ASCII: any other byte is a boundary).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether any of eight bytes (a little-endian word) is an ASCII digit, `@` or `-`: each byte
/// compared to the ranges at once (SWAR). The sums stay within each byte (its seven low bits plus
/// at most 0x80, or 0x80 plus a bound minus them), so no byte's test carries into another's.
fn any_digit_at_or_dash(eight: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = eight & !HIGH;
    // The high bit of each byte: set when the byte is within `from..=to` (and ASCII).
    let within = |from: u64, to: u64| {
        let at_least = low + ONES * (0x80 - from);
        let at_most = ONES * (0x80 + to) - low;
        at_least & at_most & !eight & HIGH
    };
    (within(0x30, 0x39) | within(0x40, 0x40) | within(0x2D, 0x2D)) != 0
}

/// Whether `before` ends in two letters at a word boundary (`(?i)\b[a-z]{2}`). Case-insensitive
/// `[a-z]` also matches `ſ` and the Kelvin sign, so any non-ASCII byte counts as a letter there.
fn after_country_code(before: &[u8]) -> bool {
    let letter = |b: u8| b.is_ascii_alphabetic() || !b.is_ascii();
    match *before {
        [.., a, b] if letter(a) && letter(b) => {
            !(a.is_ascii() && b.is_ascii())
                || before.len() < 3
                || !is_word_byte(before[before.len() - 3])
        }
        _ => false,
    }
}

/// The words a street name ends in, as [`STREET_FIRST`] lists them.
const STREET_WORDS: [&str; 25] = [
    "straat",
    "weg",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "pad",
    "dreef",
    "hof",
    "park",
    "steeg",
    "baan",
    "ring",
    "markt",
    "veld",
    "allee",
    "boulevard",
    "erf",
    "hoek",
    "kwartier",
    "wal",
    "burg",
    "haven",
];

/// Whether `before` ends in white space (`\s+`) after one of [`STREET_WORDS`]. Non-ASCII bytes
/// count as white space (U+00A0, U+2003, … are; the street words are ASCII).
fn after_white_space_after_street_word(before: &[u8]) -> bool {
    let space = |b: u8| !b.is_ascii() || b.is_ascii_whitespace() || b == 0x0B;
    match before.iter().rposition(|&b| !space(b)) {
        Some(k) if k + 1 < before.len() => {
            let word = &before[..=k];
            STREET_WORDS.iter().any(|w| word.ends_with(w.as_bytes()))
        }
        _ => false,
    }
}

/// Whether a 10-digit national number starts with a range the Dutch numbering plan uses:
/// geographic area codes (010 … 059 and 07x, without the unused 012, 014, 019, 021, 027, 028,
/// 037, 039, 042, 044), mobile 06, and 084, 085, 087, 088, 091, 097. Keeps look-alike foreign
/// numbers out, such as a Japanese toll-free 0120-999-373.
fn in_dutch_number_plan(national: &str) -> bool {
    let Some(prefix) = national.get(..3) else {
        return false;
    };
    match &prefix[..2] {
        "01" => !matches!(prefix, "012" | "014" | "019"),
        "02" => !matches!(prefix, "021" | "027" | "028"),
        "03" => !matches!(prefix, "037" | "039"),
        "04" => !matches!(prefix, "042" | "044"),
        "05" | "06" | "07" => true,
        _ => matches!(prefix, "084" | "085" | "087" | "088" | "091" | "097"),
    }
}

/// Findings by start, none overlapping another.
#[derive(Default)]
struct Found {
    taken: std::collections::BTreeMap<usize, Finding>,
}

impl Found {
    /// Keeps a finding unless it overlaps one kept before (an earlier pattern wins).
    fn add(&mut self, kind: PersonalData, range: Range<usize>, organisational: bool) {
        let before = self.taken.range(..range.end).next_back();
        if before.is_some_and(|(_, f)| f.range.end > range.start) {
            return;
        }
        self.taken.insert(
            range.start,
            Finding {
                kind,
                range,
                organisational,
            },
        );
    }
}

/// The personal data in a text (organisational contact data left out).
pub fn personal_data(text: &str) -> Vec<Finding> {
    let mut found = find(text);
    found.retain(|f| !f.organisational);
    found
}

/// The text with every piece of personal data replaced by its label (`[BSN]`, `[IBAN]`, …);
/// borrowed unchanged when there is none.
pub fn redact(text: &str) -> Cow<'_, str> {
    redact_found(text, &personal_data(text))
}

/// [`redact`] with the findings already at hand (organisational ones are kept as they are).
pub fn redact_found<'t>(text: &'t str, found: &[Finding]) -> Cow<'t, str> {
    if found.iter().all(|f| f.organisational) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for finding in found.iter().filter(|f| !f.organisational) {
        if finding.range.start < at || text.get(finding.range.clone()).is_none() {
            continue;
        }
        out.push_str(&text[at..finding.range.start]);
        out.push_str(finding.kind.label());
        at = finding.range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// A copy of a post with personal data redacted in its text, author name and links (given the
/// text's findings from [`find`]); `None` when there is nothing to redact. Ids, handles and
/// the permalink are kept: they identify the post, and no pattern applies to them.
pub fn redact_post(post: &Post, text_findings: &[Finding]) -> Option<Post> {
    let urls = post.urls.iter().map(String::as_str);
    let (text, author_name, urls) =
        redact_fields(&post.text, &post.author_name, urls, text_findings)?;
    let mut copy = post.clone();
    copy.text = text;
    copy.author_name = author_name;
    copy.urls = urls;
    Some(copy)
}

/// [`redact_post`] on a post's text, author name and links alone: the three redacted, or `None`
/// when there is nothing to redact.
pub fn redact_fields<'a>(
    text: &str,
    author_name: &str,
    urls: impl Iterator<Item = &'a str> + Clone,
    text_findings: &[Finding],
) -> Option<(String, String, Vec<String>)> {
    let text = redact_found(text, text_findings);
    let name = redact(author_name);
    let urls_change = urls.clone().any(|u| matches!(redact(u), Cow::Owned(_)));
    if matches!(text, Cow::Borrowed(_)) && matches!(name, Cow::Borrowed(_)) && !urls_change {
        return None;
    }
    let urls = urls.map(|u| redact(u).into_owned()).collect();
    Some((text.into_owned(), name.into_owned(), urls))
}

/// A match glued to more digits by a separator ("06-12345678-9", "123.456.782.1") is part of a
/// longer number, not one of ours.
fn joined_to_number(bytes: &[u8], start: usize, end: usize) -> bool {
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let sep = |b: Option<&u8>| matches!(b, Some(b'-' | b'.' | b'/'));
    (start >= 2 && sep(bytes.get(start - 1)) && digit_at(Some(start - 2)))
        || (sep(bytes.get(end)) && digit_at(Some(end + 1)))
}

/// Digits of a Dutch number in national form (leading 0): +31 / 0031 become 0, a "(0)" after
/// the country code is dropped.
fn national_number(digits: &str) -> String {
    if let Some(rest) = digits.strip_prefix("0031") {
        format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
    } else if let Some(rest) = digits.strip_prefix("31") {
        format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
    } else {
        digits.to_owned()
    }
}

/// The BSN 11-check ("elfproef"): 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11), not all zeros.
pub fn eleven_check(digits: &[u32]) -> bool {
    if digits.len() != 9 || digits.iter().all(|&d| d == 0) {
        return false;
    }
    let sum: i64 = digits[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&d, w)| i64::from(d) * w)
        .sum::<i64>()
        - i64::from(digits[8]);
    sum % 11 == 0
}

/// IBAN lengths by country, from the SWIFT IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The byte range of a valid IBAN starting at `start`: the country's length in letters and
/// digits (single spaces between allowed), mod-97 = 1, and not running on into a word.
fn iban_at(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = &text[start..];
    let country = rest.get(..2)?.to_ascii_uppercase();
    let length = IBAN_LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|&(_, n)| n)?;
    let mut compact = String::with_capacity(length);
    let mut end = start;
    let mut previous_space = false;
    for (i, ch) in rest.char_indices() {
        if compact.len() == length {
            break;
        }
        if ch == ' ' && !previous_space && !compact.is_empty() {
            previous_space = true;
            continue;
        }
        if !ch.is_ascii_alphanumeric() {
            return None;
        }
        previous_space = false;
        compact.push(ch.to_ascii_uppercase());
        end = start + i + 1;
    }
    if compact.len() != length || text[end..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    mod97(&compact).then_some(start..end)
}

/// The IBAN check: the first four characters moved to the end, letters as 10–35, mod 97 = 1.
fn mod97(iban: &str) -> bool {
    let (head, tail) = iban.split_at(4);
    let mut remainder: u32 = 0;
    for ch in tail.chars().chain(head.chars()) {
        let Some(value) = ch.to_digit(36) else {
            return false;
        };
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

/// Day 1–31 and month 1–12 in a numeric date (month names are taken as valid).
fn plausible_date(date: &str) -> bool {
    let numbers: Vec<u32> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|part| part.parse().ok())
        .collect();
    match numbers.as_slice() {
        [year, month, day] if *year >= 1900 => (1..=12).contains(month) && (1..=31).contains(day),
        [day, month, _year] if !date.chars().any(char::is_alphabetic) => {
            (1..=12).contains(month) && (1..=31).contains(day)
        }
        [a, _year] => (1..=31).contains(a),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<PersonalData> {
        personal_data(text).into_iter().map(|f| f.kind).collect()
    }

    fn matched(text: &str) -> Vec<&str> {
        personal_data(text)
            .into_iter()
            .map(|f| &text[f.range])
            .collect()
    }

    #[test]
    fn bsn_needs_the_eleven_check() {
        assert_eq!(matched("mijn bsn is 111222333."), vec!["111222333"]);
        assert_eq!(matched("BSN: 1234.56.782"), vec!["1234.56.782"]);
        assert_eq!(matched("bsn 123 456 782 graag"), vec!["123 456 782"]);
        // One digit off fails the check.
        assert!(kinds("mijn bsn is 111222334").is_empty());
        assert!(kinds("bsn 123456789").is_empty());
        assert!(kinds("000000000").is_empty());
        // Part of a longer number or an id.
        assert!(kinds("order 1112223330 or 12345678201").is_empty());
        assert!(kinds("ticket 987-111222333-4").is_empty());
        assert!(kinds("https://x.com/a/status/1234567890123456789").is_empty());
    }

    #[test]
    fn iban_checks_length_and_mod_97_for_every_country() {
        assert_eq!(
            matched("maak over naar NL91ABNA0417164300 aub"),
            vec!["NL91ABNA0417164300"]
        );
        assert_eq!(
            matched("IBAN NL91 ABNA 0417 1643 00, dank"),
            vec!["NL91 ABNA 0417 1643 00"]
        );
        assert_eq!(
            matched("pay GB82 WEST 1234 5698 7654 32 today"),
            vec!["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            matched("de89370400440532013000"),
            vec!["de89370400440532013000"]
        );
        assert_eq!(matched("BE68539007547034"), vec!["BE68539007547034"]);
        // Wrong check digits, wrong length, unknown country, running on into a word.
        assert!(kinds("NL91ABNA0417164301").is_empty());
        assert!(kinds("NL91ABNA04171643001").is_empty());
        assert!(kinds("ZZ91ABNA0417164300").is_empty());
        assert!(kinds("NL91ABNA0417164300X").is_empty());
        for (country, length) in IBAN_LENGTHS {
            assert!((15..=34).contains(length), "{country}");
            assert_eq!(country.len(), 2);
        }
    }

    #[test]
    fn dutch_phone_numbers_in_their_written_forms() {
        for text in [
            "06-12345678",
            "06 12 34 56 78",
            "0612345678",
            "+31 6 12345678",
            "+31612345678",
            "+31 (0)6 1234 5678",
            "0031 6 12345678",
            "020-1234567",
            "020 123 45 67",
            "0591-123456",
            "(020) 123 4567",
            "010.123.45.67",
        ] {
            assert_eq!(matched(&format!("bel me op {text}.")), vec![text], "{text}");
        }
        // Too short, too long, a date, a postcode, an id.
        for text in [
            "06-1234567",
            "06-123456789",
            "12-06-2020",
            "0123",
            "1234567890",
            "status/0612345678901",
            // A Japanese toll-free number and unused Dutch ranges.
            "0120-999-373",
            "019-1234567",
            "0800 is gratis",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn service_numbers_and_role_mailboxes_are_organisational() {
        for text in [
            "bel 0800-1234",
            "bel 0800 123 4567",
            "0900-8844",
            "0900 1234567",
            "088 123 4567",
            "+31 88 123 4567",
            "mail info@gemeente.nl",
            "mail klantenservice@belastingdienst.nl",
        ] {
            let found = find(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(found[0].organisational, "{text}");
            assert!(kinds(text).is_empty(), "{text}");
            assert_eq!(redact(text), text);
        }
        // A municipal 14 0xx number is no phone number of a person either.
        assert!(find("bel 14 020").is_empty());
    }

    #[test]
    fn email_addresses_but_not_fediverse_handles() {
        assert_eq!(
            matched("mail jan.jansen+x@example.com of j@ex.nl"),
            vec!["jan.jansen+x@example.com", "j@ex.nl"]
        );
        assert!(kinds("volg @jan@mastodon.social").is_empty());
        assert!(kinds("@gemeente bedankt").is_empty());
        assert!(kinds("a@b").is_empty());
    }

    #[test]
    fn postcode_with_house_number_and_street_with_number() {
        assert_eq!(matched("ik woon op 1234 AB 12"), vec!["1234 AB 12"]);
        assert_eq!(matched("adres: 1234ab, nr. 5a"), vec!["1234ab, nr. 5a"]);
        assert_eq!(
            matched("Kerkstraat 12, 1234AB Amsterdam"),
            vec!["Kerkstraat 12, 1234AB"]
        );
        assert_eq!(
            matched("Prinsengracht 263-1 brandt"),
            vec!["Prinsengracht 263-1"]
        );
        // A postcode alone, never-issued letters, a year and a word, a number of people.
        for text in [
            "postcode 1234 AB",
            "1234 SS 12",
            "in 2020 at 12",
            "sinds 2019 en 15",
            "de straat 12 keer",
            "approx 1130am 311017",
            "1234 AB 123456",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn licence_plates_in_the_sidecodes() {
        for plate in [
            "AB-12-34", "12-34-AB", "12-AB-34", "AB-12-CD", "AB-CD-12", "12-AB-CD", "12-ABC-3",
            "1-ABC-23", "AB-123-C", "A-123-BC", "ABC-12-D", "A-12-BCD", "1-AB-234", "123-AB-4",
        ] {
            assert_eq!(
                matched(&format!("kenteken {plate} reed")),
                vec![plate],
                "{plate}"
            );
        }
        for text in ["12-34-56", "ab-12-cd", "COVID-19", "AB-12-34-56", "A-1-B"] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn dates_of_birth_need_a_birth_cue() {
        assert_eq!(matched("geboren op 12-03-1980"), vec!["12-03-1980"]);
        assert_eq!(matched("geb. 1-2-1975"), vec!["1-2-1975"]);
        assert_eq!(
            matched("Geboortedatum: 12 maart 1980"),
            vec!["12 maart 1980"]
        );
        assert_eq!(matched("DOB 1980-03-12"), vec!["1980-03-12"]);
        assert_eq!(matched("born on March 12, 1980"), vec!["March 12, 1980"]);
        assert_eq!(matched("geboren in Utrecht op 3/4/1990"), vec!["3/4/1990"]);
        // No cue, an impossible date, a cue too far away.
        for text in [
            "op 12-03-1980 was het koud",
            "geboren 45-13-1980",
            "geboren, en toen heel lang niets meer gebeurd tot 12-03-1980",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn redaction_replaces_each_with_its_label() {
        let text = "BSN 111222333, IBAN NL91ABNA0417164300, bel 06-12345678 of mail jan@x.nl; \
                    1234 AB 12, kenteken 12-ABC-3, geboren 12-03-1980. Of bel 0800-1234.";
        assert_eq!(
            redact(text),
            "BSN [BSN], IBAN [IBAN], bel [PHONE] of mail [EMAIL]; [ADDRESS], kenteken [PLATE], \
             geboren [DOB]. Of bel 0800-1234."
        );
        assert!(matches!(redact("geen gegevens hier"), Cow::Borrowed(_)));
        assert!(matches!(
            redact("12 vragen, 3 antwoorden"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_pattern_is_skipped_only_where_it_cannot_match() {
        let c = &*COMPILED;
        type Possible = fn(&Shape) -> bool;
        let gated: [(&Regex, Possible); 9] = [
            (&c.email, Shape::email),
            (&c.iban, Shape::iban),
            (&c.dob, Shape::dob),
            (&c.postcode_first, Shape::postcode_first),
            (&c.street_first, Shape::street_first),
            (&c.service, Shape::service),
            (&c.phone, Shape::phone),
            (&c.bsn, Shape::bsn),
            (&c.plate, Shape::plate),
        ];
        // The shortest forms each pattern documents, and the real webcare sample.
        let forms = [
            "a@b.nl",
            "x.y+z@gemeente.nl",
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "geboren 1-2-1980",
            "geb. 1980-2-1",
            "born March 1, 1980",
            "dob 1 mei 1980",
            "1234 AB 1",
            "1234ab 12a",
            "Kerkstraat 5",
            "Dorpsweg 1-2, 1234 AB",
            "0800 1234",
            "0900-1234567",
            "06-12345678",
            "+31 (0)6 1234 5678",
            "0031 20 123 4567",
            "(020) 123 4567",
            "111222333",
            "1234.56.782",
            "123 456 782",
            "AB-12-34",
            "1-ABC-23",
            "ABC-12-D",
            "A-12-BCD",
            "12-AB-CD",
            "123-AB-4",
            "Kerkweg\u{a0}12",
            "+31\u{3000}6\u{3000}1\u{3000}2\u{3000}3\u{3000}4\u{3000}5\u{3000}6\u{3000}7\u{3000}8",
            "+31 (0) 6 1 2 3 4 5 6 7 8",
            "(020)\u{3000}123\u{2003}4567",
            "(0201)\u{3000}1\u{3000}2\u{3000}3\u{3000}4\u{3000}5\u{3000}6",
            "1234.56.782 AB-123-C",
            "Dorpsplein\u{2003}3b",
            "xſa12",
            "geboren 1 mei 1980",
            "geb.: 3/4/1980",
        ];
        for form in forms {
            assert!(gated.iter().any(|(p, _)| p.is_match(form)), "{form:?}");
        }
        let sample = include_str!("../data/referral_webcare_200.csv");
        // Each form also right after a letter, a digit, `_`, `@`, `-`, non-ASCII and white space.
        let joined = forms.iter().flat_map(|form| {
            ["x", "7", "_", "@", "-", "é", "\u{a0}", " "].map(|before| format!("{before}{form}"))
        });
        for text in joined
            .chain(forms.map(String::from))
            .chain(sample.lines().map(String::from))
        {
            let text = text.as_str();
            let shape = Shape::of(text);
            for (pattern, possible) in gated {
                if pattern.is_match(text) {
                    assert!(possible(&shape), "{pattern} matches {text:?}");
                }
            }
        }
    }

    #[test]
    fn street_words_are_those_of_the_pattern() {
        let words = STREET_FIRST
            .split_once("]*(?:")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(alternatives, _)| alternatives.split('|').collect::<Vec<_>>());
        assert_eq!(words.as_deref(), Some(&STREET_WORDS[..]));
    }

    #[test]
    fn eight_byte_skip_sees_every_digit_at_and_dash() {
        for byte in 0..=255u8 {
            let wanted = byte.is_ascii_digit() || byte == b'@' || byte == b'-';
            for place in 0..8 {
                // The byte among every other byte value, so neighbours cannot hide or fake it.
                for other in [
                    0u8, b' ', b'a', b'/', b':', b'?', b'A', 0x7F, 0x80, 0xC3, 0xFF,
                ] {
                    let mut eight = [other; 8];
                    eight[place] = byte;
                    let other_counts = other.is_ascii_digit() || other == b'@' || other == b'-';
                    assert_eq!(
                        any_digit_at_or_dash(u64::from_le_bytes(eight)),
                        wanted || other_counts,
                        "{byte:#x} at {place} among {other:#x}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_and_odd_text_does_not_panic() {
        let long = "06 ".repeat(50_000) + "é@€ 1234 ÀB 12 NL91 ";
        let _ = find(&long);
        assert_eq!(kinds("1234\u{2003}AB 12"), vec![PersonalData::Address]);
        for text in ["@", "0", "+31", "NL", "NL9", "1234 AB", "geb.", "€1234ab 1"] {
            let _ = redact(text);
        }
    }
}
