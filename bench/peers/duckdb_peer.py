"""DuckDB peer: runs duckdb.sql on a dataset folder. Usage: duckdb_peer.py DATASET OUT.json"""
import os

import duckdb

import common


def sql_string(text):
    return text.replace("'", "''")


def main():
    folder, out = common.args()
    tweets, statuses = common.paths(folder)
    start_ms, end_ms = common.case_period(folder)
    rules = common.rules(folder)

    conditions = []
    for rule in rules["referral"]:
        column = "raw" if rule["raw"] else "cleaned"
        match = f"regexp_matches({column}, '{sql_string(common.re2_pattern(rule['pattern']))}')"
        if rule["language"] == "nl":
            match = f"(NOT coalesce(starts_with(lower(trim(lang)), 'en'), false) AND {match})"
        elif rule["language"] == "en":
            match = f"(NOT coalesce(starts_with(lower(trim(lang)), 'nl'), false) AND {match})"
        conditions.append(match)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "duckdb.sql")) as f:
        script = f.read().format(
            registry=sql_string(os.path.join(folder, "registry.csv")),
            tweets=sql_string(tweets),
            statuses=sql_string(statuses),
            start_ms=start_ms,
            end_ms=end_ms,
            url=sql_string(common.re2_pattern(rules["url"])),
            mention=sql_string(common.re2_pattern(rules["mention"])),
            referral=" OR ".join(conditions) or "false",
        )
    setup, results = script.split("-- Results, one query each")
    con = duckdb.connect()
    con.execute(setup)
    queries = [q.strip() for q in results.split("\n-- ")[1:]]
    answer = {}
    for query in queries:
        name, sql = query.split("\n", 1)
        answer[name.strip()] = con.execute(sql).fetchall()
    times = [row[0] for row in answer["times"]]
    common.write(
        out,
        f"duckdb {duckdb.__version__}",
        posts=answer["posts"][0][0],
        hourly=answer["hourly"],
        addressed=answer["addressed"][0][0],
        answered=len(times),
        times_sorted=times,
        top_authors=answer["top_authors"],
        government_replies=answer["referrals"][0][0],
        referrals=answer["referrals"][0][1],
    )


if __name__ == "__main__":
    main()
