"""polars peer: the core measures from the raw exports with polars (lazy where it helps).
Usage: polars_peer.py DATASET OUT.json. Definitions: see common.py. polars' regexes are Rust's
regex crate, so Dialoog's exported patterns are used as they are."""
import polars as pl

import common

TWEET = pl.Schema({
    "id": pl.String, "created_at": pl.String, "author_id": pl.String,
    "author": pl.Struct({"username": pl.String}), "text": pl.String, "lang": pl.String,
    "referenced_tweets": pl.List(pl.Struct({"type": pl.String, "id": pl.String})),
    "entities": pl.Struct({"mentions": pl.List(pl.Struct({"username": pl.String}))}),
})
STATUS = pl.Schema({
    "id": pl.String, "created_at": pl.String, "account": pl.Struct({"id": pl.String, "acct": pl.String}),
    "in_reply_to_id": pl.String, "reblog": pl.Struct({"id": pl.String}),
    "quote": pl.Struct({"quoted_status": pl.Struct({"id": pl.String})}),
    "content": pl.String, "language": pl.String, "mentions": pl.List(pl.Struct({"acct": pl.String})),
})
TIME = "%Y-%m-%dT%H:%M:%S%.fZ"


def millis(column):
    return pl.col(column).str.to_datetime(TIME, time_unit="ms", time_zone="UTC").dt.epoch("ms")


def tweets(path):
    ref_types = pl.col("referenced_tweets").list.eval(pl.element().struct.field("type"))
    return pl.scan_ndjson(path, schema=TWEET).select(
        platform=pl.lit("twitter"),
        id=pl.col("id"),
        t=millis("created_at"),
        author_id=pl.col("author_id"),
        handle=pl.col("author").struct.field("username"),
        kind=pl.when(ref_types.list.contains("retweeted")).then(pl.lit("reshare"))
        .when(ref_types.list.contains("replied_to")).then(pl.lit("reply"))
        .when(ref_types.list.contains("quoted")).then(pl.lit("quote"))
        .otherwise(pl.lit("post")),
        parent_id=pl.col("referenced_tweets")
        .list.eval(pl.element().filter(pl.element().struct.field("type") == "replied_to").struct.field("id"))
        .list.first(),
        text=pl.col("text").str.replace_all("&lt;", "<", literal=True)
        .str.replace_all("&gt;", ">", literal=True).str.replace_all("&amp;", "&", literal=True),
        lang=pl.when(pl.col("lang") == "und").then(None).otherwise(pl.col("lang")),
        mentions=pl.col("entities").struct.field("mentions")
        .list.eval(pl.element().struct.field("username").str.to_lowercase()),
    )


def statuses(path):
    reblog = pl.col("reblog").struct.field("id")
    text = (pl.col("content").str.replace_all("<[^>]*>", "")
            .str.replace_all("&lt;", "<", literal=True).str.replace_all("&gt;", ">", literal=True)
            .str.replace_all("&quot;", '"', literal=True).str.replace_all("&#39;", "'", literal=True)
            .str.replace_all("&amp;", "&", literal=True).str.strip_chars_end(" \n"))
    return pl.scan_ndjson(path, schema=STATUS).select(
        platform=pl.lit("mastodon"),
        id=pl.col("id"),
        t=millis("created_at"),
        author_id=pl.col("account").struct.field("id"),
        handle=pl.col("account").struct.field("acct").str.strip_chars_start("@"),
        kind=pl.when(reblog.is_not_null()).then(pl.lit("reshare"))
        .when(pl.col("in_reply_to_id").is_not_null()).then(pl.lit("reply"))
        .when(pl.col("quote").struct.field("quoted_status").struct.field("id").is_not_null()).then(pl.lit("quote"))
        .otherwise(pl.lit("post")),
        parent_id=pl.when(reblog.is_null()).then(pl.col("in_reply_to_id")),
        text=pl.when(reblog.is_null()).then(text).otherwise(pl.lit("")),
        lang=pl.when(pl.col("language") == "und").then(None).otherwise(pl.col("language")),
        mentions=pl.col("mentions").list.eval(
            pl.element().struct.field("acct").str.strip_chars_start("@").str.to_lowercase()),
    )


def main():
    folder, out = common.args()
    tweet_path, status_path = common.paths(folder)
    start_ms, end_ms = common.case_period(folder)
    rules = common.rules(folder)

    registry = pl.read_csv(f"{folder}/registry.csv", infer_schema=False).select(
        "platform", pl.col("handle").str.strip_chars_start("@").str.to_lowercase(), "id", "role")
    by_id = registry.select("platform", author_id="id", role_by_id="role").drop_nulls("author_id").lazy()
    by_handle = registry.select("platform", handle_key="handle", role_by_handle="role").drop_nulls("handle_key").lazy()
    posts = (
        pl.concat([tweets(tweet_path), statuses(status_path)])
        .filter((pl.col("t") >= start_ms) & (pl.col("t") < end_ms))
        .with_columns(handle_key=pl.col("handle").str.to_lowercase())
        .join(by_id, on=["platform", "author_id"], how="left")
        .join(by_handle, on=["platform", "handle_key"], how="left")
        .with_columns(role=pl.coalesce("role_by_id", "role_by_handle", pl.lit("citizen")))
        .drop("role_by_id", "role_by_handle", "handle_key")
        .collect()
    )
    parents = posts.select("platform", parent_id="id", parent_role="role")
    tree = posts.join(parents, on=["platform", "parent_id"], how="left").with_columns(
        parent=pl.when(pl.col("parent_role").is_not_null()).then(pl.col("parent_id")),
        government=pl.col("role") == "government",
    )

    government_handles = registry.filter(pl.col("role") == "government").select("platform", "handle").drop_nulls().unique()
    candidates = tree.filter(~pl.col("government") & (pl.col("kind") != "reshare"))
    mentioning = (
        candidates.select("platform", "id", handle=pl.col("mentions")).explode("handle")
        .join(government_handles, on=["platform", "handle"], how="semi")
        .select("platform", "id").unique()
    )
    addressed = pl.concat([
        candidates.filter(pl.col("parent_role") == "government").select("platform", "id"),
        mentioning,
    ]).unique().join(tree.select("platform", "id", "t"), on=["platform", "id"])

    # Every government post passes its time up to all its ancestors; the earliest per ancestor.
    links = tree.filter(pl.col("parent").is_not_null()).select("platform", node="id", up="parent")
    level = tree.filter(pl.col("government") & pl.col("parent").is_not_null()).select("platform", node="parent", first="t")
    levels = []
    while level.height > 0:
        levels.append(level)
        level = level.join(links, on=["platform", "node"]).select("platform", node="up", first="first")
    earliest = pl.concat(levels).group_by("platform", "node").agg(pl.col("first").min()) if levels else \
        pl.DataFrame(schema={"platform": pl.String, "node": pl.String, "first": pl.Int64})
    times = (
        addressed.join(earliest, left_on=["platform", "id"], right_on=["platform", "node"])
        .select(seconds=(pl.col("first") - pl.col("t")) / 1000.0)
        .sort("seconds")["seconds"].to_list()
    )

    replies = tree.filter(pl.col("government") & (pl.col("kind") != "reshare") & pl.col("parent_id").is_not_null())
    replies = replies.with_columns(
        cleaned=pl.col("text").str.replace_all(rules["url"], " urlx ").str.replace_all(rules["mention"], ""),
        lang_key=pl.col("lang").str.strip_chars().str.to_lowercase(),
    )
    referral = pl.lit(False)
    for rule in rules["referral"]:
        column = "text" if rule["raw"] else "cleaned"
        match = pl.col(column).str.contains(rule["pattern"])
        if rule["language"] == "nl":
            match = match & ~pl.col("lang_key").str.starts_with("en").fill_null(False)
        elif rule["language"] == "en":
            match = match & ~pl.col("lang_key").str.starts_with("nl").fill_null(False)
        referral = referral | match
    referrals = replies.select(referral.sum()).item()

    hourly = (
        posts.group_by(hour=(pl.col("t") // 3_600_000) * 3600, role=pl.col("role")).len()
        .sort("hour", "role").rows()
    )
    top = (
        posts.group_by("platform", "author_id").agg(n=pl.len(), handle=pl.col("handle").min())
        .sort(["n", "handle", "platform"], descending=[True, False, False]).head(20)
        .select("platform", "handle", "n").rows()
    )
    common.write(
        out,
        f"polars {pl.__version__}",
        posts=posts.height,
        hourly=hourly,
        addressed=addressed.height,
        answered=len(times),
        times_sorted=times,
        top_authors=top,
        government_replies=replies.height,
        referrals=referrals,
    )


if __name__ == "__main__":
    main()
