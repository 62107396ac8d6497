//! A first column mapping for a CSV or Excel export of no known layout (`dialoog mapping`): each
//! field of the canonical post is matched to the column whose name is one of its usual names
//! (compared lower-cased, letters and digits only), the time format to the first of the usual ones
//! that reads every sampled time, and the platform to the sites the sampled values link to. What
//! is not matched is left as a comment to fill in. A draft to check, not a guess to trust.

use super::{parse_rfc3339, parse_twitter_time, parse_with_format, spreadsheet};
use crate::{IngestError, input};
use csv::{ByteRecord, ReaderBuilder, Terminator};
use std::fmt::Write as _;
use std::path::Path;

/// Data rows looked at for the time format and the platform.
const SAMPLE_ROWS: usize = 50;

/// Each field with its usual column names, most telling first (normalised: lower case, letters
/// and digits only). Tools' own names included: Twitter's, twitwi's, CrowdTangle's, 4CAT's,
/// Brandwatch's and Meltwater's common exports.
const FIELDS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "tweetid",
            "postid",
            "messageid",
            "statusid",
            "idstr",
            "mentionid",
            "resourceid",
            "berichtid",
        ],
    ),
    (
        "created_at",
        &[
            "createdat",
            "timestamputc",
            "timestamp",
            "datetime",
            "date",
            "published",
            "publishedat",
            "createdtime",
            "time",
            "datum",
            "tijd",
            "datumtijd",
            "tijdstip",
        ],
    ),
    (
        "author_id",
        &["authorid", "userid", "fromuserid", "accountid"],
    ),
    (
        "author_handle",
        &[
            "authorhandle",
            "userscreenname",
            "screenname",
            "username",
            "handle",
            "author",
            "user",
            "account",
            "fromuser",
            "auteur",
            "gebruiker",
            "gebruikersnaam",
            "afzender",
            // OBI4wan's ("Geplaatst door (optioneel)").
            "geplaatstdoor",
            "geplaatstdooroptioneel",
        ],
    ),
    (
        "author_name",
        &["authorname", "name", "displayname", "fullname", "username"],
    ),
    (
        "author_followers",
        &[
            "authorfollowers",
            "followers",
            "followerscount",
            "userfollowers",
            "followersatposting",
            "volgers",
        ],
    ),
    (
        "text",
        &[
            "text",
            "fulltext",
            "message",
            "content",
            "body",
            "tweet",
            "snippet",
            "bericht",
            "tekst",
            "inhoud",
            // Coosto's (Dutch and English).
            "berichttekst",
            "messagetext",
        ],
    ),
    ("lang", &["lang", "language", "taal"]),
    ("conversation_id", &["conversationid", "threadid"]),
    (
        "in_reply_to_id",
        &[
            "inreplytoid",
            "inreplytostatusid",
            "inresponsetotweetid",
            "totweetid",
            "replytoid",
            "parentid",
        ],
    ),
    (
        "in_reply_to_author_id",
        &["inreplytoauthorid", "inreplytouserid", "touserid"],
    ),
    (
        "reshare_of_id",
        &["reshareofid", "retweetedid", "retweetofid", "repostofid"],
    ),
    ("quote_of_id", &["quoteofid", "quotedid", "quotedstatusid"]),
    (
        "link",
        &[
            "link",
            "permalink",
            "url",
            "posturl",
            "tweeturl",
            "messageurl",
            "mentionurl",
            "berichturl",
        ],
    ),
    (
        "likes",
        &[
            "likes",
            "likecount",
            "favoritecount",
            "favouritecount",
            "reactions",
            "vindikleuks",
        ],
    ),
    (
        "reshares",
        &[
            "reshares",
            "retweetcount",
            "retweets",
            "shares",
            "repostcount",
            "reposts",
        ],
    ),
    (
        "replies",
        &[
            "replies",
            "replycount",
            "comments",
            "commentcount",
            "reacties",
            // Coosto's.
            "discussielengte",
            "discussionlength",
        ],
    ),
    ("quotes", &["quotes", "quotecount"]),
    (
        "views",
        &["views", "impressioncount", "impressions", "viewcount"],
    ),
];

/// Chrono formats tried, in order, after RFC 3339, Twitter's and unix times (day before month
/// first: the Dutch and most European writing).
const TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
];

/// Sites whose links tell the platform, as the mapping names it.
const SITES: &[(&str, &str)] = &[
    ("twitter.com/", "twitter"),
    ("//x.com/", "twitter"),
    ("t.co/", "twitter"),
    ("facebook.com/", "facebook"),
    ("instagram.com/", "instagram"),
    ("bsky.app/", "bluesky"),
    ("reddit.com/", "reddit"),
    ("youtube.com/", "youtube"),
    ("tiktok.com/", "tiktok"),
    ("t.me/", "telegram"),
];

/// A column mapping (TOML) to start from for the CSV or Excel file at `path`.
pub fn draft_mapping(path: &Path) -> Result<String, IngestError> {
    let head = input::head(path, input::SNIFF_BYTES)?;
    let (header, rows, layout) = if super::x_archive::is_zip(&head) {
        if !spreadsheet::is_xlsx(path)? && !super::ods::is_ods(path)? {
            let message = match spreadsheet::unread_kind(path)? {
                Some(kind) => format!("{kind}; then draft its mapping"),
                None => {
                    "a zip archive that is no spreadsheet (.xlsx, .ods): no mapping to draft".into()
                }
            };
            return Err(IngestError::Mapping {
                path: path.to_owned(),
                message,
            });
        }
        let (sheet, others) = workbook_sample(path)?;
        let SheetSample {
            sample: (header, rows),
            name,
            header_row,
        } = sheet;
        (
            header,
            rows,
            Layout::Sheet {
                sheet: name,
                header_row,
                others,
            },
        )
    } else if head.starts_with(spreadsheet::COMPOUND_FILE) {
        return Err(IngestError::Mapping {
            path: path.to_owned(),
            message: "an old Excel workbook (.xls) or another Office binary file: save it as .xlsx, .ods or CSV, then draft its mapping".into(),
        });
    } else {
        // Excel's `sep=` line names the delimiter, and the reader skips it by itself.
        let separator = super::csv::excel_separator(&head);
        let (delimiter, before_header) = match separator {
            Some((named, _)) => (named, 1),
            None => delimiter_and_header(&head),
        };
        let mut from_header = head.as_slice();
        crate::lines::skip_lines(&mut from_header, before_header)
            .map_err(|e| IngestError::io(path, e))?;
        if !super::csv::sniff(from_header) {
            return Err(IngestError::Mapping {
                path: path.to_owned(),
                message: "not a delimited text file with a header: no mapping to draft".into(),
            });
        }
        let ((header, rows), not_utf8) = csv_sample(path, delimiter, before_header)?;
        (
            header,
            rows,
            Layout::Csv {
                delimiter,
                not_utf8,
                header_line: (before_header > 0 && separator.is_none())
                    .then_some(before_header + 1),
            },
        )
    };
    Ok(render(path, &header, &rows, &layout))
}

/// What kind of file the draft is for, and where its header is when not first.
enum Layout {
    Csv {
        delimiter: u8,
        not_utf8: bool,
        header_line: Option<u64>,
    },
    Sheet {
        sheet: String,
        header_row: Option<u64>,
        /// The workbook's other worksheets.
        others: Vec<String>,
    },
}

/// The delimiter of the first lines, and the lines before their header: the delimiter is the
/// one the lines hold most of (by the median over lines, so a title line counts for little), the
/// header the first line holding as many of it as the median line (a report's title or filters
/// above it hold fewer).
fn delimiter_and_header(head: &[u8]) -> (u8, u64) {
    let lines: Vec<&[u8]> = head
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .take(SAMPLE_ROWS + 10)
        .collect();
    let median = |d: u8| -> usize { median(lines.iter().map(|line| unquoted(line, d)).collect()) };
    let Some((delimiter, typical)) = [b',', b';', b'\t', b'|']
        .into_iter()
        .map(|d| (d, median(d)))
        .max_by_key(|(_, typical)| *typical)
        .filter(|(_, typical)| *typical > 0)
    else {
        return (b',', 0);
    };
    let header = head
        .split(|b| *b == b'\n')
        .position(|line| unquoted(line, delimiter) >= typical)
        .unwrap_or(0);
    (delimiter, header as u64)
}

/// How often `delimiter` occurs in `line` outside double quotes (a text's commas are no
/// delimiters).
fn unquoted(line: &[u8], delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line {
        if *b == b'"' {
            quoted = !quoted;
        } else if *b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

fn median(mut values: Vec<usize>) -> usize {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

/// A file's column names and its first rows, as text.
type Sample = (Vec<String>, Vec<Vec<String>>);

/// A CSV's sample, and whether it is not UTF-8 (then read as windows-1252, what Excel saves CSV
/// in on Windows).
fn csv_sample(
    path: &Path,
    delimiter: u8,
    before_header: u64,
) -> Result<(Sample, bool), IngestError> {
    let (mut reader, _) = input::open(path)?;
    crate::lines::skip_lines(&mut reader, before_header).map_err(|e| IngestError::io(path, e))?;
    let mut csv = ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(Terminator::Any(b'\n'))
        .flexible(true)
        .has_headers(false)
        .from_reader(reader);
    let csv_error = |e: csv::Error| IngestError::io(path, std::io::Error::other(e));
    let mut records = Vec::new();
    let mut record = ByteRecord::new();
    while records.len() <= SAMPLE_ROWS && csv.read_byte_record(&mut record).map_err(csv_error)? {
        records.push(record.clone());
    }
    let not_utf8 = records
        .iter()
        .flatten()
        .any(|field| std::str::from_utf8(field).is_err());
    let text = |field: &[u8]| -> String {
        let decoded = if not_utf8 {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(field)
                .0
        } else {
            String::from_utf8_lossy(field)
        };
        decoded.trim_start_matches('\u{feff}').trim().to_owned()
    };
    let mut rows: Vec<Vec<String>> = records
        .iter()
        .map(|record| record.iter().map(text).collect())
        .collect();
    let header = if rows.is_empty() {
        Vec::new()
    } else {
        rows.remove(0)
    };
    Ok(((header, rows), not_utf8))
}

/// Worksheets looked at for the one holding the posts.
const MAX_SHEETS: usize = 20;

/// One worksheet's header and first rows, its name, and the row of its header when rows with
/// fewer values come first.
struct SheetSample {
    sample: Sample,
    name: String,
    header_row: Option<u64>,
}

/// The worksheet holding the posts, as [`sheet_sample`] samples it: of the first
/// [`MAX_SHEETS`], the one whose header has the most usual column names (the first of equals),
/// so that a summary or notes sheet before the data is passed over. Also the other sheets' names.
fn workbook_sample(path: &Path) -> Result<(SheetSample, Vec<String>), IngestError> {
    let workbook_error = |message: String| IngestError::Archive {
        path: path.to_owned(),
        message,
    };
    let sheet_error = |e| match e {
        spreadsheet::SheetError::NotFound(message) | spreadsheet::SheetError::Damaged(message) => {
            workbook_error(message)
        }
    };
    let limits = crate::Limits::default();
    let (mut book, _) = spreadsheet::open(path, &limits)?;
    let names = book.sheet_names().map_err(sheet_error)?;
    let mut best: Option<(usize, SheetSample)> = None;
    let mut first_error = None;
    for name in names.iter().take(MAX_SHEETS) {
        let sampled = book
            .sheet(Some(name), &limits)
            .map_err(sheet_error)
            .and_then(|(_, mut rows)| sheet_sample(&mut *rows, name, &workbook_error));
        match sampled {
            Ok(sample) => {
                let known = matches(&sample.sample.0)
                    .iter()
                    .filter(|(_, column)| column.is_some())
                    .count();
                if best.as_ref().is_none_or(|(most, _)| known > *most) {
                    best = Some((known, sample));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let Some((_, sheet)) = best else {
        return Err(
            first_error.unwrap_or_else(|| workbook_error("the workbook has no worksheet".into()))
        );
    };
    let others = names.into_iter().filter(|n| *n != sheet.name).collect();
    Ok((sheet, others))
}

/// A sheet's header and first rows, with date cells written as spreadsheet.rs writes them.
fn sheet_sample(
    sheet_rows: &mut dyn spreadsheet::SheetRows,
    sheet: &str,
    workbook_error: &dyn Fn(String) -> IngestError,
) -> Result<SheetSample, IngestError> {
    let mut rows = spreadsheet::sample_rows(sheet_rows, SAMPLE_ROWS + 1)
        .map_err(|e| workbook_error(format!("worksheet '{sheet}': {e}")))?;
    if rows.is_empty() {
        return Err(workbook_error(format!("worksheet '{sheet}' is empty")));
    }
    // The header holds as many values as the median row; a title or report details above it
    // fewer.
    let filled =
        |row: &[spreadsheet::Field]| row.iter().filter(|f| !f.text.trim().is_empty()).count();
    let typical = median(rows.iter().map(|(_, row)| filled(row)).collect());
    let at = rows
        .iter()
        .position(|(_, row)| filled(row) >= typical)
        .unwrap_or(0);
    let header_row = (at > 0).then(|| rows[at].0);
    let (_, header) = rows.remove(at);
    rows.drain(..at);
    let header = header.into_iter().map(|f| f.text).collect();
    // Date cells are read whatever time_format says: only dates written as text tell it.
    let rows = rows
        .into_iter()
        .map(|(_, row)| {
            row.into_iter()
                .map(|f| if f.is_date { String::new() } else { f.text })
                .collect()
        })
        .collect();
    Ok(SheetSample {
        sample: (header, rows),
        name: sheet.to_owned(),
        header_row,
    })
}

/// Lower case, letters and digits only.
fn normalised(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The column each field is matched to (by position in `header`), a column used once.
fn matches(header: &[String]) -> Vec<(&'static str, Option<usize>)> {
    let names: Vec<String> = header.iter().map(|h| normalised(h)).collect();
    let mut used = vec![false; header.len()];
    FIELDS
        .iter()
        .map(|(field, usual)| {
            let column = usual.iter().find_map(|want| {
                names
                    .iter()
                    .enumerate()
                    .find(|(i, name)| !used[*i] && name == want)
                    .map(|(i, _)| i)
            });
            if let Some(i) = column {
                used[i] = true;
            }
            (*field, column)
        })
        .collect()
}

/// The first time format that reads every sampled value (`None`: none does, or no values).
fn time_format(values: &[&str]) -> Option<&'static str> {
    if values.is_empty() {
        return None;
    }
    let all = |read: &dyn Fn(&str) -> bool| values.iter().all(|v| read(v));
    if all(&|v| parse_rfc3339(v).is_some()) {
        return Some("rfc3339");
    }
    if all(&|v| parse_twitter_time(v).is_some()) {
        return Some("twitter");
    }
    if all(&|v| v.parse::<f64>().is_ok_and(|s| (1e8..1e11).contains(&s))) {
        return Some("unix");
    }
    TIME_FORMATS
        .iter()
        .copied()
        .find(|format| all(&|v| parse_with_format(v, format).is_some()))
}

fn platform(rows: &[Vec<String>]) -> Option<&'static str> {
    rows.iter()
        .flatten()
        .find_map(|value| SITES.iter().find(|(site, _)| value.contains(site)))
        .map(|(_, platform)| *platform)
}

fn render(path: &Path, header: &[String], rows: &[Vec<String>], layout: &Layout) -> String {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A draft column mapping for {name}, written by `dialoog mapping` from its column names\n\
         # and first {SAMPLE_ROWS} rows. Check every line, then: dialoog ingest {name} --mapping THIS_FILE\n\
         # Its columns: {}",
        header.join(", ")
    );
    match platform(rows) {
        Some(platform) => {
            let _ = writeln!(
                out,
                "platform = \"{platform}\"            # from the links in the rows"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "platform = \"other\"              # twitter, facebook, instagram, mastodon, bluesky, reddit, youtube, tiktok, telegram, web"
            );
        }
    }
    let (sheet, header_row) = match layout {
        Layout::Sheet {
            sheet, header_row, ..
        } => (Some(sheet), *header_row),
        Layout::Csv { header_line, .. } => (None, *header_line),
    };
    if let Some(sheet) = sheet {
        let _ = writeln!(out, "sheet = {}", quoted(sheet));
    }
    if let Layout::Sheet { others, .. } = layout
        && !others.is_empty()
    {
        let others: Vec<String> = others.iter().map(|o| quoted(o)).collect();
        let _ = writeln!(
            out,
            "# the other worksheets: {} (this one's column names matched best)",
            others.join(", ")
        );
    }
    if let Some(row) = header_row {
        let _ = writeln!(
            out,
            "header_row = {row}                # the column names; above them a title or report details"
        );
    }
    if let Layout::Csv { not_utf8: true, .. } = layout {
        let _ = writeln!(
            out,
            "encoding = \"windows-1252\"        # the file is not UTF-8: Excel's CSV on Windows is windows-1252"
        );
    }
    let delimiter = match layout {
        Layout::Csv { delimiter, .. } => Some(*delimiter),
        Layout::Sheet { .. } => None,
    };
    if let Some(d) = delimiter.filter(|d| *d != b',') {
        let shown = if d == b'\t' {
            "tab".to_owned()
        } else {
            (d as char).to_string()
        };
        let _ = writeln!(out, "delimiter = {}", quoted(&shown));
    }
    let found = matches(header);
    let column_of = |field: &str| {
        found
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, c)| *c)
    };
    let times: Vec<&str> = column_of("created_at")
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c).map(String::as_str))
                .filter(|v| !v.is_empty())
                .collect()
        })
        .unwrap_or_default();
    match time_format(&times) {
        Some(format) => {
            let _ = writeln!(out, "time_format = {}", quoted(format));
        }
        None if times.is_empty() && sheet.is_some() => {
            let _ = writeln!(
                out,
                "# time_format = \"\"               # the times are date cells, read as they are; it reads times written as text"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "# time_format = \"\"               # no usual format reads the times{}: a chrono format such as \"%d-%m-%Y %H:%M\"",
                times
                    .first()
                    .map(|t| format!(" (e.g. '{t}')"))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(
        out,
        "# time_zone = \"Europe/Amsterdam\"  # the zone of times without an offset (default UTC)"
    );
    out.push('\n');
    for (field, column) in &found {
        let link_as_id = *field == "id" && column.is_none();
        if let Some(link) = column_of("link")
            .and_then(|c| header.get(c))
            .filter(|_| link_as_id)
        {
            let _ = writeln!(
                out,
                "id = {}   # no id column: each post's link serves as its id",
                quoted(link)
            );
            continue;
        }
        match column.and_then(|c| header.get(c)) {
            Some(column) => {
                let _ = writeln!(out, "{field} = {}", quoted(column));
            }
            None => {
                let required = match *field {
                    "id" | "created_at" => "   # REQUIRED: no column looked like it",
                    "author_handle" if column_of("author_id").is_none() => {
                        "   # REQUIRED (or author_id): no column looked like it"
                    }
                    _ => "",
                };
                let _ = writeln!(out, "# {field} = \"\"{required}");
            }
        }
    }
    out
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_matched_by_their_usual_names() {
        let header: Vec<String> = ["Tweet ID", "Date (UTC)", "User", "Message", "Likes"]
            .map(String::from)
            .to_vec();
        let found = matches(&header);
        let of = |field: &str| {
            found
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, c)| *c)
        };
        assert_eq!(of("id"), Some(0));
        assert_eq!(of("created_at"), None, "'dateutc' is no usual name");
        assert_eq!(of("author_handle"), Some(2));
        assert_eq!(of("text"), Some(3));
        assert_eq!(of("likes"), Some(4));
    }

    #[test]
    fn the_time_format_reads_every_sampled_time() {
        assert_eq!(time_format(&["2021-01-07T08:41:13Z"]), Some("rfc3339"));
        assert_eq!(
            time_format(&["Tue Oct 31 22:10:47 +0000 2017"]),
            Some("twitter")
        );
        assert_eq!(time_format(&["1610005273.0", "1610356771"]), Some("unix"));
        assert_eq!(
            time_format(&["31-10-2017 23:10", "01-11-2017 08:05"]),
            Some("%d-%m-%Y %H:%M")
        );
        assert_eq!(time_format(&["13/10/2017 23:10"]), Some("%d/%m/%Y %H:%M"));
        assert_eq!(time_format(&["2023-02-16"]), Some("%Y-%m-%d"));
        assert_eq!(time_format(&["yesterday"]), None);
        assert_eq!(time_format(&[]), None);
    }
}
