//! The host of a link: what the factsheet counts of links, and all it keeps of each post's own
//! link while it measures ([`crate::PostTable::with_url_hosts`]).

/// The host of an absolute http(s) URL, lower-cased, without "www." and port; None for anything
/// else. (Only the host is needed: the `url` crate would bring IDNA tables into the lean build.)
pub fn url_host(url: &str) -> Option<String> {
    authority(url).and_then(host_of_authority)
}

/// The authority of an absolute http(s) URL (user, host and port, as written); None for
/// anything else. URLs with the same authority have the same [`url_host`].
pub fn authority(url: &str) -> Option<&str> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    rest.split(['/', '?', '#']).next()
}

/// The host of an [`authority`]: lower-cased, without user, port, "www." and trailing dots.
pub fn host_of_authority(authority: &str) -> Option<String> {
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    let mut host = host.trim_end_matches('.').to_lowercase();
    if host.starts_with("www.") {
        host.drain(.."www.".len());
    }
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            url_host("https://www.Rijksoverheid.nl/onderwerpen?x=1").as_deref(),
            Some("rijksoverheid.nl")
        );
        assert_eq!(
            url_host("http://user@example.org:8080/a").as_deref(),
            Some("example.org")
        );
        assert_eq!(url_host("https://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(url_host("mailto:a@b.nl"), None);
        assert_eq!(url_host("ftp://example.org"), None);
        assert_eq!(url_host("https:///path"), None);
    }
}
