//! Posts read in place from record batches of the one schema ([`crate::schema`]): a
//! [`PostTable`] holds each batch's typed columns, downcast once, and a [`PostRef`] is a small
//! `Copy` handle to one row with accessors named like [`Post`]'s fields. A `Post` is ~500 bytes
//! inline plus a dozen heap strings; the 1M bench store's posts as `Post`s took about 1 GB, its
//! columns (text read as dictionaries) 350 MB.

use crate::{ModelError, Platform, Post, PostKind, posts_to_batch, url_host};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, TimestampMillisecondType, UInt32Type, UInt64Type};
use arrow_array::{Array, ListArray, PrimitiveArray, RecordBatch, StringArray};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

/// What replaces a row's text, author name and links (personal data redacted): the other
/// fields are read from the columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub text: String,
    pub author_name: String,
    pub urls: Vec<String>,
}

/// Posts as the columns of record batches of [`crate::schema`], every column or only some (a
/// column left out reads as empty: empty text, `None`, 0, no items), with optional
/// [`Replacement`]s for a few rows.
#[derive(Debug, Clone, Default)]
pub struct PostTable {
    batches: Arc<Vec<Columns>>,
    /// Row number of each batch's first row, and the number of rows at the end.
    starts: Arc<Vec<usize>>,
    replaced: Replaced,
}

/// Replacements by row number, and a bit per row saying which rows have one, so that a row
/// without one costs a bit test, not a hash look-up.
#[derive(Debug, Clone, Default)]
struct Replaced {
    rows: HashMap<usize, Replacement>,
    marks: Vec<u64>,
}

impl Replaced {
    fn get(&self, row: usize) -> Option<&Replacement> {
        let marked = self
            .marks
            .get(row / 64)
            .is_some_and(|word| word & (1 << (row % 64)) != 0);
        if marked { self.rows.get(&row) } else { None }
    }
}

/// One batch's columns, downcast once.
#[derive(Debug, Clone)]
struct Columns {
    len: usize,
    platform: Vec<Platform>,
    kind: Vec<PostKind>,
    created_at: Option<PrimitiveArray<TimestampMillisecondType>>,
    id: Option<Strings>,
    url: Option<Strings>,
    /// Each row's link's host ([`url_host`]) in place of `url`, once [`PostTable::with_url_hosts`]
    /// dropped it.
    url_host: Option<Strings>,
    author_id: Option<Strings>,
    author_handle: Option<Strings>,
    author_name: Option<Strings>,
    text: Option<Strings>,
    lang: Option<Strings>,
    conversation_id: Option<Strings>,
    in_reply_to_id: Option<Strings>,
    in_reply_to_author_id: Option<Strings>,
    reshare_of_id: Option<Strings>,
    quote_of_id: Option<Strings>,
    source_file: Option<Strings>,
    mentions: Option<StringList>,
    hashtags: Option<StringList>,
    urls: Option<StringList>,
    author_followers: Option<Numbers>,
    likes: Option<Numbers>,
    reshares: Option<Numbers>,
    replies: Option<Numbers>,
    quotes: Option<Numbers>,
    views: Option<Numbers>,
    source_record: Option<Numbers>,
}

/// A text column as stored: plain, or a dictionary (each distinct value once, per row a key).
#[derive(Debug, Clone)]
enum Strings {
    Plain(StringArray),
    Dictionary {
        keys: PrimitiveArray<Int32Type>,
        values: StringArray,
    },
}

impl Strings {
    fn get(&self, row: usize) -> Option<&str> {
        match self {
            Strings::Plain(array) => array.is_valid(row).then(|| array.value(row)),
            Strings::Dictionary { keys, values } => {
                // Keys were checked to lie in the dictionary when the table was made.
                let key = keys.is_valid(row).then(|| keys.value(row) as usize)?;
                values.is_valid(key).then(|| values.value(key))
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Strings::Plain(array) => array.len(),
            Strings::Dictionary { keys, .. } => keys.len(),
        }
    }
}

/// A list-of-strings column as its list and its items, so a row's items are read without
/// slicing the list (which allocates).
#[derive(Debug, Clone)]
struct StringList {
    list: ListArray,
    items: StringArray,
}

/// The host of each row's link, as a dictionary of the distinct hosts.
/// Each row's link's host as a dictionary. Links share few authorities (a platform's permalinks
/// all have one), so each distinct authority is made a host once and the row before's is
/// reused without hashing: making a host per row was ~2 CPU s of reading 10M posts.
fn hosts_of(urls: &Strings) -> Strings {
    let mut key_of: HashMap<&str, Option<i32>> = HashMap::new();
    // Distinct authorities can have one host (case, "www.", user, port).
    let mut key_of_host: HashMap<String, i32> = HashMap::new();
    let mut hosts = arrow_array::builder::StringBuilder::new();
    let mut keys = Vec::with_capacity(urls.len());
    let mut before: Option<(&str, Option<i32>)> = None;
    for row in 0..urls.len() {
        let Some(authority) = urls.get(row).and_then(crate::link::authority) else {
            keys.push(None);
            continue;
        };
        let key = match before {
            Some((last, key)) if last == authority => key,
            _ => *key_of.entry(authority).or_insert_with(|| {
                let host = crate::link::host_of_authority(authority)?;
                let next = key_of_host.len() as i32;
                Some(*key_of_host.entry(host).or_insert_with_key(|host| {
                    hosts.append_value(host);
                    next
                }))
            }),
        };
        before = Some((authority, key));
        keys.push(key);
    }
    Strings::Dictionary {
        keys: PrimitiveArray::from(keys),
        values: hosts.finish(),
    }
}

fn bad(row: usize, column: &'static str, message: impl Into<String>) -> ModelError {
    ModelError::Batch {
        row,
        column,
        message: message.into(),
    }
}

fn strings(batch: &RecordBatch, name: &'static str) -> Result<Option<Strings>, ModelError> {
    let Some(column) = batch.column_by_name(name) else {
        return Ok(None);
    };
    if let Some(plain) = column.as_string_opt::<i32>() {
        return Ok(Some(Strings::Plain(plain.clone())));
    }
    let expected = || bad(0, name, "expected a Utf8 column or a dictionary of Utf8");
    let dictionary = column
        .as_dictionary_opt::<Int32Type>()
        .ok_or_else(expected)?;
    let values = dictionary
        .values()
        .as_string_opt::<i32>()
        .ok_or_else(expected)?
        .clone();
    let keys = dictionary.keys().clone();
    let outside = (0..keys.len()).find(|&row| {
        keys.is_valid(row) && usize::try_from(keys.value(row)).map_or(true, |k| k >= values.len())
    });
    if let Some(row) = outside {
        return Err(bad(row, name, "dictionary key outside the dictionary"));
    }
    Ok(Some(Strings::Dictionary { keys, values }))
}

/// A column of counts: as `u32` when every value fits, as read otherwise. Counts of likes,
/// reshares or followers rarely pass four billion, and five such columns took 42 bytes a post.
#[derive(Debug, Clone)]
enum Numbers {
    Narrow(PrimitiveArray<UInt32Type>),
    Wide(PrimitiveArray<UInt64Type>),
}

impl Numbers {
    fn get(&self, row: usize) -> Option<u64> {
        match self {
            Numbers::Narrow(array) => array.is_valid(row).then(|| u64::from(array.value(row))),
            Numbers::Wide(array) => array.is_valid(row).then(|| array.value(row)),
        }
    }
}

fn numbers(batch: &RecordBatch, name: &'static str) -> Result<Option<Numbers>, ModelError> {
    let Some(column) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let wide = column
        .as_primitive_opt::<UInt64Type>()
        .ok_or_else(|| bad(0, name, "expected a UInt64 column"))?;
    // Slots under nulls hold any value; one that does not fit only keeps the column wide.
    let fits = wide.values().iter().all(|&n| u32::try_from(n).is_ok());
    Ok(Some(if fits {
        Numbers::Narrow(wide.unary(|n| n as u32))
    } else {
        Numbers::Wide(wide.clone())
    }))
}

fn string_list(batch: &RecordBatch, name: &'static str) -> Result<Option<StringList>, ModelError> {
    let Some(column) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let list = column
        .as_list_opt::<i32>()
        .cloned()
        .ok_or_else(|| bad(0, name, "expected a list column"))?;
    let items = list
        .values()
        .as_string_opt::<i32>()
        .cloned()
        .ok_or_else(|| bad(0, name, "list items must be Utf8"))?;
    Ok(Some(StringList { list, items }))
}

/// Each row's enum value, parsed once per distinct text (a column holds a handful).
fn enums<T: FromStr<Err = String> + Copy>(
    batch: &RecordBatch,
    name: &'static str,
) -> Result<Vec<T>, ModelError> {
    let column = strings(batch, name)?.ok_or_else(|| bad(0, name, "column missing"))?;
    let mut known: Vec<(&str, T)> = Vec::new();
    let mut out = Vec::with_capacity(column.len());
    for row in 0..column.len() {
        let text = column.get(row).unwrap_or_default();
        let value = match known.iter().find(|(seen, _)| *seen == text) {
            Some(&(_, value)) => value,
            None => {
                let value = text.parse::<T>().map_err(|e| bad(row, name, e))?;
                known.push((text, value));
                value
            }
        };
        out.push(value);
    }
    Ok(out)
}

impl Columns {
    fn new(batch: &RecordBatch) -> Result<Columns, ModelError> {
        let created_at = batch
            .column_by_name("created_at")
            .map(|column| {
                column
                    .as_primitive_opt::<TimestampMillisecondType>()
                    .cloned()
                    .ok_or_else(|| bad(0, "created_at", "expected a millisecond timestamp"))
            })
            .transpose()?;
        if let Some(created) = &created_at {
            // Checked once here, so the accessor needs no error; chrono holds one span of
            // milliseconds, so comparing with its ends needs no calendar per row.
            let held = DateTime::<Utc>::MIN_UTC.timestamp_millis()
                ..=DateTime::<Utc>::MAX_UTC.timestamp_millis();
            if let Some(row) = created.values().iter().position(|m| !held.contains(m)) {
                return Err(bad(row, "created_at", "timestamp out of range"));
            }
        }
        Ok(Columns {
            len: batch.num_rows(),
            platform: enums(batch, "platform")?,
            kind: enums(batch, "kind")?,
            created_at,
            id: strings(batch, "id")?,
            url: strings(batch, "url")?,
            url_host: None,
            author_id: strings(batch, "author_id")?,
            author_handle: strings(batch, "author_handle")?,
            author_name: strings(batch, "author_name")?,
            text: strings(batch, "text")?,
            lang: strings(batch, "lang")?,
            conversation_id: strings(batch, "conversation_id")?,
            in_reply_to_id: strings(batch, "in_reply_to_id")?,
            in_reply_to_author_id: strings(batch, "in_reply_to_author_id")?,
            reshare_of_id: strings(batch, "reshare_of_id")?,
            quote_of_id: strings(batch, "quote_of_id")?,
            source_file: strings(batch, "source_file")?,
            mentions: string_list(batch, "mentions")?,
            hashtags: string_list(batch, "hashtags")?,
            urls: string_list(batch, "urls")?,
            author_followers: numbers(batch, "author_followers")?,
            likes: numbers(batch, "likes")?,
            reshares: numbers(batch, "reshares")?,
            replies: numbers(batch, "replies")?,
            quotes: numbers(batch, "quotes")?,
            views: numbers(batch, "views")?,
            source_record: numbers(batch, "source_record")?,
        })
    }
}

impl PostTable {
    /// The posts of record batches of [`crate::schema`], or of a projection of it. The batches'
    /// arrays are shared, not copied.
    pub fn new(batches: &[RecordBatch]) -> Result<PostTable, ModelError> {
        let batches: Vec<&RecordBatch> = batches.iter().filter(|b| b.num_rows() > 0).collect();
        let mut starts = Vec::with_capacity(batches.len() + 1);
        let mut rows = 0;
        for batch in &batches {
            starts.push(rows);
            rows += batch.num_rows();
        }
        starts.push(rows);
        // Each batch's columns checked and downcast on its own, in parallel.
        let columns = batches
            .par_iter()
            .zip(&starts)
            .map(|(batch, &first)| {
                // Errors name the row among all rows, not within its batch.
                Columns::new(batch).map_err(|error| match error {
                    ModelError::Batch {
                        row,
                        column,
                        message,
                    } => bad(first + row, column, message),
                    other => other,
                })
            })
            .collect::<Result<Vec<Columns>, ModelError>>()?;
        Ok(PostTable {
            batches: Arc::new(columns),
            starts: Arc::new(starts),
            replaced: Replaced::default(),
        })
    }

    /// The rows of the tables one after the other, their columns shared. [`Replacement`]s are
    /// not carried over.
    pub fn concat(tables: Vec<PostTable>) -> PostTable {
        let mut starts =
            Vec::with_capacity(tables.iter().map(|t| t.batches.len()).sum::<usize>() + 1);
        let mut batches = Vec::with_capacity(starts.capacity());
        let mut rows = 0;
        for table in tables {
            for columns in Arc::unwrap_or_clone(table.batches) {
                starts.push(rows);
                rows += columns.len;
                batches.push(columns);
            }
        }
        starts.push(rows);
        PostTable {
            batches: Arc::new(batches),
            starts: Arc::new(starts),
            replaced: Replaced::default(),
        }
    }

    /// Posts held as `Post`s, through [`posts_to_batch`].
    pub fn from_posts(posts: &[Post]) -> Result<PostTable, ModelError> {
        PostTable::new(&[posts_to_batch(posts)?])
    }

    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = PostRef<'_>> {
        self.batches
            .iter()
            .enumerate()
            .flat_map(move |(batch, columns)| self.rows_of(batch, columns.len))
    }

    /// Every row, in parallel (collected in order).
    pub fn par_rows(&self) -> impl ParallelIterator<Item = PostRef<'_>> {
        self.batches
            .par_iter()
            .enumerate()
            .flat_map_iter(move |(batch, columns)| self.rows_of(batch, columns.len))
    }

    /// The `len` rows of batch `batch`.
    fn rows_of(&self, batch: usize, len: usize) -> impl Iterator<Item = PostRef<'_>> {
        (0..len).map(move |row| PostRef {
            table: self,
            batch: batch as u32,
            row: row as u32,
        })
    }

    /// The same columns with the given rows' text, author name and links replaced (by row
    /// number, [`PostRef::index`]); the columns are shared.
    pub fn with_replaced(&self, rows: HashMap<usize, Replacement>) -> PostTable {
        let mut marks = vec![0u64; self.len().div_ceil(64)];
        for &row in rows.keys() {
            if let Some(word) = marks.get_mut(row / 64) {
                *word |= 1 << (row % 64);
            }
        }
        PostTable {
            batches: Arc::clone(&self.batches),
            starts: Arc::clone(&self.starts),
            replaced: Replaced { rows, marks },
        }
    }

    /// The row `post` points at, in this table (made from `post`'s by [`Self::with_replaced`]).
    pub fn same_row(&self, post: PostRef<'_>) -> PostRef<'_> {
        PostRef {
            table: self,
            batch: post.batch,
            row: post.row,
        }
    }

    /// The same rows with each `url` replaced by its host ([`url_host`], read by
    /// [`PostRef::url_host`]), as a dictionary per batch: a link takes ~60 bytes a post, its host
    /// a 4-byte key. [`PostRef::url`] reads `None` afterwards.
    pub fn with_url_hosts(self) -> PostTable {
        let batches = Arc::unwrap_or_clone(self.batches)
            .into_par_iter()
            .map(|mut columns| {
                if let Some(urls) = columns.url.take() {
                    columns.url_host = Some(hosts_of(&urls));
                }
                columns
            })
            .collect();
        PostTable {
            batches: Arc::new(batches),
            ..self
        }
    }

    /// The same rows without their texts: [`PostRef::text`] reads empty afterwards, except on
    /// rows with a [`Replacement`]. The text is a third of a table's bytes (1.1 of ~3 GB at 10M
    /// posts); the other columns are shared, not copied.
    pub fn without_text(&self) -> PostTable {
        let batches = self
            .batches
            .iter()
            .map(|columns| Columns {
                text: None,
                ..columns.clone()
            })
            .collect();
        PostTable {
            batches: Arc::new(batches),
            starts: Arc::clone(&self.starts),
            replaced: self.replaced.clone(),
        }
    }

    /// Every row as an owned [`Post`] (left-out columns empty).
    pub fn to_posts(&self) -> Vec<Post> {
        self.rows().map(|p| p.to_post()).collect()
    }
}

/// One row of a [`PostTable`]: 16 bytes, `Copy`, read in place.
#[derive(Clone, Copy)]
pub struct PostRef<'a> {
    table: &'a PostTable,
    batch: u32,
    row: u32,
}

impl std::fmt::Debug for PostRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostRef")
            .field("platform", &self.platform())
            .field("id", &self.id())
            .finish()
    }
}

fn string_at(column: &Option<Strings>, row: usize) -> Option<&str> {
    column.as_ref().and_then(|c| c.get(row))
}

fn number_at(column: &Option<Numbers>, row: usize) -> Option<u64> {
    column.as_ref().and_then(|c| c.get(row))
}

impl<'a> PostRef<'a> {
    fn columns(&self) -> &'a Columns {
        &self.table.batches[self.batch as usize]
    }

    fn at(&self) -> usize {
        self.row as usize
    }

    fn replacement(&self) -> Option<&'a Replacement> {
        if self.table.replaced.rows.is_empty() {
            return None;
        }
        self.table.replaced.get(self.index())
    }

    fn items(&self, list: &'a Option<StringList>) -> Items<'a> {
        let row = self.at();
        match list {
            Some(StringList { list, items }) if list.is_valid(row) => {
                let offsets = list.value_offsets();
                Items(ItemSource::Column {
                    items,
                    at: offsets[row] as usize,
                    end: offsets[row + 1] as usize,
                })
            }
            _ => Items(ItemSource::Owned([].iter())),
        }
    }

    /// The row's number in its table: its place among all rows.
    pub fn index(&self) -> usize {
        self.table.starts[self.batch as usize] + self.at()
    }

    pub fn platform(&self) -> Platform {
        self.columns().platform[self.at()]
    }

    pub fn id(&self) -> &'a str {
        string_at(&self.columns().id, self.at()).unwrap_or_default()
    }

    pub fn url(&self) -> Option<&'a str> {
        string_at(&self.columns().url, self.at())
    }

    /// The host of [`PostRef::url`] ([`url_host`]), also once the table kept only the hosts.
    pub fn url_host(&self) -> Option<Cow<'a, str>> {
        let columns = self.columns();
        match &columns.url_host {
            Some(hosts) => hosts.get(self.at()).map(Cow::Borrowed),
            None => self.url().and_then(url_host).map(Cow::Owned),
        }
    }

    /// [`PostRef::created_at`] as milliseconds since the epoch, read without a calendar: for
    /// tests on every row against bounds worked out once ([`crate::Case::period_millis`]).
    pub fn created_at_millis(&self) -> i64 {
        // The table checked that chrono holds each moment, as `created_at` reads them.
        self.columns()
            .created_at
            .as_ref()
            .map_or(0, |c| c.value(self.at()))
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.columns()
            .created_at
            .as_ref()
            .and_then(|c| DateTime::from_timestamp_millis(c.value(self.at())))
            .unwrap_or_default()
    }

    pub fn author_id(&self) -> &'a str {
        string_at(&self.columns().author_id, self.at()).unwrap_or_default()
    }

    pub fn author_handle(&self) -> &'a str {
        string_at(&self.columns().author_handle, self.at()).unwrap_or_default()
    }

    /// The author as the factsheet shows them: the handle, or the id when there is none.
    pub fn author_shown(&self) -> &'a str {
        match self.author_handle() {
            "" => self.author_id(),
            handle => handle,
        }
    }

    pub fn author_name(&self) -> &'a str {
        match self.replacement() {
            Some(replaced) => &replaced.author_name,
            None => string_at(&self.columns().author_name, self.at()).unwrap_or_default(),
        }
    }

    pub fn author_followers(&self) -> Option<u64> {
        number_at(&self.columns().author_followers, self.at())
    }

    pub fn kind(&self) -> PostKind {
        self.columns().kind[self.at()]
    }

    pub fn text(&self) -> &'a str {
        match self.replacement() {
            Some(replaced) => &replaced.text,
            None => string_at(&self.columns().text, self.at()).unwrap_or_default(),
        }
    }

    pub fn lang(&self) -> Option<&'a str> {
        string_at(&self.columns().lang, self.at())
    }

    pub fn conversation_id(&self) -> Option<&'a str> {
        string_at(&self.columns().conversation_id, self.at())
    }

    pub fn in_reply_to_id(&self) -> Option<&'a str> {
        string_at(&self.columns().in_reply_to_id, self.at())
    }

    pub fn in_reply_to_author_id(&self) -> Option<&'a str> {
        string_at(&self.columns().in_reply_to_author_id, self.at())
    }

    pub fn reshare_of_id(&self) -> Option<&'a str> {
        string_at(&self.columns().reshare_of_id, self.at())
    }

    pub fn quote_of_id(&self) -> Option<&'a str> {
        string_at(&self.columns().quote_of_id, self.at())
    }

    pub fn mentions(&self) -> Items<'a> {
        self.items(&self.columns().mentions)
    }

    pub fn hashtags(&self) -> Items<'a> {
        self.items(&self.columns().hashtags)
    }

    pub fn urls(&self) -> Items<'a> {
        match self.replacement() {
            Some(replaced) => Items(ItemSource::Owned(replaced.urls.iter())),
            None => self.items(&self.columns().urls),
        }
    }

    pub fn likes(&self) -> Option<u64> {
        number_at(&self.columns().likes, self.at())
    }

    pub fn reshares(&self) -> Option<u64> {
        number_at(&self.columns().reshares, self.at())
    }

    pub fn replies(&self) -> Option<u64> {
        number_at(&self.columns().replies, self.at())
    }

    pub fn quotes(&self) -> Option<u64> {
        number_at(&self.columns().quotes, self.at())
    }

    pub fn views(&self) -> Option<u64> {
        number_at(&self.columns().views, self.at())
    }

    pub fn source_file(&self) -> &'a str {
        string_at(&self.columns().source_file, self.at()).unwrap_or_default()
    }

    pub fn source_record(&self) -> u64 {
        number_at(&self.columns().source_record, self.at()).unwrap_or_default()
    }

    /// Reactions as exported, as [`Post::reactions`].
    pub fn reactions(&self) -> u64 {
        [self.likes(), self.reshares(), self.replies(), self.quotes()]
            .iter()
            .flatten()
            .sum()
    }

    /// The row as an owned [`Post`].
    pub fn to_post(&self) -> Post {
        let owned = |items: Items<'_>| items.map(str::to_owned).collect();
        let mut post = Post::new(
            self.platform(),
            self.id(),
            self.created_at(),
            self.author_id(),
            self.author_handle(),
        );
        post.url = self.url().map(str::to_owned);
        post.author_name = self.author_name().to_owned();
        post.author_followers = self.author_followers();
        post.kind = self.kind();
        post.text = self.text().to_owned();
        post.lang = self.lang().map(str::to_owned);
        post.conversation_id = self.conversation_id().map(str::to_owned);
        post.in_reply_to_id = self.in_reply_to_id().map(str::to_owned);
        post.in_reply_to_author_id = self.in_reply_to_author_id().map(str::to_owned);
        post.reshare_of_id = self.reshare_of_id().map(str::to_owned);
        post.quote_of_id = self.quote_of_id().map(str::to_owned);
        post.mentions = owned(self.mentions());
        post.hashtags = owned(self.hashtags());
        post.urls = owned(self.urls());
        post.likes = self.likes();
        post.reshares = self.reshares();
        post.replies = self.replies();
        post.quotes = self.quotes();
        post.views = self.views();
        post.source_file = self.source_file().to_owned();
        post.source_record = self.source_record();
        post
    }
}

/// The items of a row's list column (mentions, hashtags, links), in order; null items are
/// skipped, as [`crate::batch_to_posts`] does.
#[derive(Debug, Clone)]
pub struct Items<'a>(ItemSource<'a>);

#[derive(Debug, Clone)]
enum ItemSource<'a> {
    /// `items[at..end]` of the column's values.
    Column {
        items: &'a StringArray,
        at: usize,
        end: usize,
    },
    /// A [`Replacement`]'s.
    Owned(std::slice::Iter<'a, String>),
}

impl<'a> Iterator for Items<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            ItemSource::Column { items, at, end } => {
                while *at < *end {
                    let i = *at;
                    *at += 1;
                    if items.is_valid(i) {
                        return Some(items.value(i));
                    }
                }
                None
            }
            ItemSource::Owned(iter) => iter.next().map(String::as_str),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            ItemSource::Column { items, at, end } => {
                let left = end - at;
                if items.null_count() == 0 {
                    (left, Some(left))
                } else {
                    (0, Some(left))
                }
            }
            ItemSource::Owned(iter) => iter.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::ArrayRef;
    use arrow_schema::DataType;

    /// The model's round-trip sample, with a display name, a second mention, a link and a
    /// quote count.
    fn sample() -> Vec<Post> {
        let mut posts = crate::arrow::tests::sample();
        let full = &mut posts[0];
        full.author_name = "Gemeente".into();
        full.mentions.push("buur".into());
        full.urls = vec!["https://example.org/a".into()];
        full.quotes = Some(4);
        posts
    }

    #[test]
    fn rows_read_back_as_the_posts_they_came_from() {
        let posts = sample();
        let table = PostTable::from_posts(&posts).unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.to_posts(), posts);
        let first = table.rows().next().unwrap();
        assert_eq!(first.mentions().collect::<Vec<_>>(), ["burger", "buur"]);
        assert_eq!(first.in_reply_to_id(), Some("100"));
        assert_eq!(first.reactions(), 4);
        assert_eq!(first.index(), 0);
    }

    #[test]
    fn rows_of_several_batches_are_numbered_in_order() {
        let posts = sample();
        let batches = [
            posts_to_batch(&posts[..1]).unwrap(),
            posts_to_batch(&posts[..0]).unwrap(),
            posts_to_batch(&posts[1..]).unwrap(),
        ];
        let table = PostTable::new(&batches).unwrap();
        let ids: Vec<(usize, &str)> = table.rows().map(|p| (p.index(), p.id())).collect();
        assert_eq!(ids, [(0, "109"), (1, "1")]);
        let in_parallel: Vec<(usize, &str)> =
            table.par_rows().map(|p| (p.index(), p.id())).collect();
        assert_eq!(in_parallel, ids);
        assert_eq!(table.to_posts(), posts);
        let tables = batches
            .iter()
            .map(|b| PostTable::new(std::slice::from_ref(b)).unwrap());
        let joined = PostTable::concat(tables.collect());
        let joined_ids: Vec<(usize, &str)> = joined.rows().map(|p| (p.index(), p.id())).collect();
        assert_eq!(joined_ids, ids);
        assert_eq!(joined.to_posts(), posts);
    }

    #[test]
    fn without_text_keeps_every_other_column_and_the_replaced_texts() {
        let mut posts = sample();
        for (i, post) in posts.iter_mut().enumerate() {
            post.text = format!("tekst {i}");
        }
        let table = PostTable::new(&[posts_to_batch(&posts).unwrap()]).unwrap();
        let replacement = Replacement {
            text: "[PHONE]".into(),
            author_name: String::new(),
            urls: Vec::new(),
        };
        let shown = table.with_replaced(HashMap::from([(1, replacement)]));
        let lean = shown.without_text();
        let texts: Vec<&str> = lean.rows().map(|p| p.text()).collect();
        assert_eq!(texts, ["", "[PHONE]"]);
        let before: Vec<&str> = table.rows().map(|p| p.text()).collect();
        assert_eq!(before, ["tekst 0", "tekst 1"]);
        for (before, after) in table.rows().zip(lean.rows()) {
            let (mut before, mut after) = (before.to_post(), after.to_post());
            (before.text, before.author_name, before.urls) = Default::default();
            (after.text, after.author_name, after.urls) = Default::default();
            assert_eq!(after, before);
        }
    }

    #[test]
    fn created_at_in_milliseconds_reads_as_created_at() {
        let batch = posts_to_batch(&sample()).unwrap();
        let at = batch.schema().index_of("created_at").unwrap();
        let table = PostTable::new(std::slice::from_ref(&batch)).unwrap();
        for row in table.rows() {
            assert_eq!(row.created_at_millis(), row.created_at().timestamp_millis());
        }
        // Before the epoch too.
        let DataType::Timestamp(_, zone) = batch.schema().field(at).data_type().clone() else {
            panic!("created_at is a timestamp");
        };
        let moments = arrow_array::TimestampMillisecondArray::from(vec![-1, 1_700_000_000_123])
            .with_timezone_opt(zone.clone());
        let mut columns = batch.columns().to_vec();
        columns[at] = Arc::new(moments);
        let batch = RecordBatch::try_new(batch.schema(), columns).unwrap();
        let table = PostTable::new(std::slice::from_ref(&batch)).unwrap();
        let millis: Vec<(i64, i64)> = table
            .rows()
            .map(|p| (p.created_at_millis(), p.created_at().timestamp_millis()))
            .collect();
        assert_eq!(millis, [(-1, -1), (1_700_000_000_123, 1_700_000_000_123)]);
        // Every moment chrono holds makes a table, and nothing beyond.
        let ends = [
            DateTime::<Utc>::MIN_UTC.timestamp_millis(),
            DateTime::<Utc>::MAX_UTC.timestamp_millis(),
        ];
        for (moments, holds) in [
            (ends, true),
            ([ends[0] - 1, 0], false),
            ([0, ends[1] + 1], false),
        ] {
            let moments = arrow_array::TimestampMillisecondArray::from(moments.to_vec())
                .with_timezone_opt(zone.clone());
            let mut columns = batch.columns().to_vec();
            columns[at] = Arc::new(moments);
            let batch = RecordBatch::try_new(batch.schema(), columns).unwrap();
            assert_eq!(PostTable::new(&[batch]).is_ok(), holds, "{holds}");
        }
    }

    #[test]
    fn a_projection_reads_the_missing_columns_as_empty() {
        let batch = posts_to_batch(&sample()).unwrap();
        let keep = ["platform", "id", "kind", "mentions", "likes"];
        let indices: Vec<usize> = keep
            .iter()
            .map(|name| batch.schema().index_of(name).unwrap())
            .collect();
        let table = PostTable::new(&[batch.project(&indices).unwrap()]).unwrap();
        let first = table.rows().next().unwrap();
        assert_eq!(first.id(), "109");
        assert_eq!(first.text(), "");
        assert_eq!(first.url(), None);
        assert_eq!(first.created_at(), DateTime::UNIX_EPOCH);
        assert_eq!(first.urls().count(), 0);
        assert_eq!(first.mentions().count(), 2);
        assert_eq!(first.likes(), Some(0));
        assert_eq!(first.quotes(), None);
    }

    #[test]
    fn replaced_rows_show_the_replacement_and_the_others_their_columns() {
        let table = PostTable::from_posts(&sample()).unwrap();
        let replaced = table.with_replaced(HashMap::from([(
            1,
            Replacement {
                text: "[PHONE]".into(),
                author_name: "x".into(),
                urls: vec!["https://example.org/[EMAIL]".into()],
            },
        )]));
        let rows: Vec<PostRef> = table.rows().map(|p| replaced.same_row(p)).collect();
        assert_eq!(rows[0].text(), "Bel ons op 14 020 🙂");
        assert_eq!(rows[1].text(), "[PHONE]");
        assert_eq!(
            rows[1].urls().collect::<Vec<_>>(),
            ["https://example.org/[EMAIL]"]
        );
        assert_eq!(rows[1].id(), "1");
        assert_eq!(table.rows().nth(1).unwrap().text(), "");
    }

    #[test]
    fn a_table_with_url_hosts_keeps_each_rows_host_and_no_link() {
        let mut posts = sample();
        posts[0].url = Some("https://www.Example.org/a/1".into());
        posts[1].url = Some("mailto:x@example.org".into());
        let table = PostTable::from_posts(&posts).unwrap();
        let before: Vec<Option<String>> = table
            .rows()
            .map(|p| p.url_host().map(Cow::into_owned))
            .collect();
        assert_eq!(before, [Some("example.org".to_owned()), None]);
        let hosts = table.with_url_hosts();
        let after: Vec<Option<String>> = hosts
            .rows()
            .map(|p| p.url_host().map(Cow::into_owned))
            .collect();
        assert_eq!(after, before);
        assert!(hosts.rows().all(|p| p.url().is_none()));
        assert_eq!(hosts.rows().next().unwrap().text(), posts[0].text);
    }

    #[test]
    fn hosts_made_once_per_authority_equal_each_links_own_host() {
        let links = [
            Some("https://twitter.com/a/status/1"),
            Some("https://twitter.com/b/status/2"),
            Some("https://www.Twitter.com:443/c"),
            None,
            Some("https://mastodon.social/@d/3"),
            Some("ftp://twitter.com/x"),
            Some("https://twitter.com/a/status/4"),
            Some("  https://user@MASTODON.social./e "),
            Some("https:///no-host"),
            Some("https://twitter.com/a/status/5"),
            Some("https://[::1]:80/"),
        ];
        let urls = Strings::Plain(StringArray::from(links.to_vec()));
        let hosts = hosts_of(&urls);
        let read: Vec<Option<&str>> = (0..links.len()).map(|row| hosts.get(row)).collect();
        let expected: Vec<Option<String>> =
            links.iter().map(|link| link.and_then(url_host)).collect();
        assert_eq!(
            read,
            expected.iter().map(Option::as_deref).collect::<Vec<_>>()
        );
        let Strings::Dictionary { values, .. } = hosts else {
            panic!("hosts are a dictionary");
        };
        // twitter.com, mastodon.social and ::1, each once.
        assert_eq!(values.len(), 3);
    }

    #[test]
    fn dictionary_columns_read_as_their_values() {
        let posts = sample();
        let batch = posts_to_batch(&posts).unwrap();
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let mut fields: Vec<arrow_schema::Field> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone())
            .collect();
        for name in ["text", "kind", "author_handle"] {
            let i = batch.schema().index_of(name).unwrap();
            let cast = arrow_array::DictionaryArray::<Int32Type>::from_iter(
                columns[i].as_string::<i32>().iter(),
            );
            fields[i] = fields[i].clone().with_data_type(cast.data_type().clone());
            columns[i] = Arc::new(cast);
        }
        let schema = Arc::new(arrow_schema::Schema::new(fields));
        let table = PostTable::new(&[RecordBatch::try_new(schema, columns).unwrap()]).unwrap();
        assert_eq!(table.to_posts(), posts);
    }

    #[test]
    fn counts_past_four_billion_read_as_written() {
        let mut posts = sample();
        posts[0].views = Some(u64::from(u32::MAX) + 1);
        posts[1].views = None;
        posts[1].likes = Some(u64::from(u32::MAX));
        let table = PostTable::from_posts(&posts).unwrap();
        assert!(matches!(table.batches[0].views, Some(Numbers::Wide(_))));
        assert!(matches!(table.batches[0].likes, Some(Numbers::Narrow(_))));
        assert_eq!(table.to_posts(), posts);
    }

    #[test]
    fn an_unknown_kind_is_an_error_naming_row_and_column() {
        let mut posts = sample();
        posts[1].kind = PostKind::Quote;
        let batch = posts_to_batch(&posts).unwrap();
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let kind = batch.schema().index_of("kind").unwrap();
        columns[kind] = Arc::new(StringArray::from(vec!["reply", "retweet"]));
        let batch = RecordBatch::try_new(batch.schema(), columns).unwrap();
        let err = PostTable::new(std::slice::from_ref(&batch))
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 1, column kind"), "{err}");
        let good = posts_to_batch(&sample()).unwrap();
        let err = PostTable::new(&[good, batch]).unwrap_err().to_string();
        assert!(
            err.contains("row 3, column kind"),
            "counted over both batches: {err}"
        );
    }
}
