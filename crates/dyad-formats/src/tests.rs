use super::*;
use std::io::Write;

fn all(bytes: &[u8], name: &str) -> Vec<Result<SourcedArticle, FormatError>> {
    articles(bytes, name, Limits::default()).collect()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("write");
    e.finish().expect("finish")
}

const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<title>Russia warns Turkey | Caspian Herald</title>
<meta property="og:title" content="Russia warns Turkey over mercenaries">
<meta property="og:site_name" content="Caspian Herald">
<meta property="article:published_time" content="2020-10-01T09:30:00Z">
<link rel="canonical" href="https://caspianherald.example/2020/10/01/russia-warns">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article>
<h1>Russia warns Turkey over mercenaries</h1>
<p>Russia on Thursday warned Turkey against sending Syrian fighters to the Nagorno-Karabakh conflict zone, the foreign ministry in Moscow said in a statement that was read out to reporters.</p>
<p>Russian Foreign Minister Sergei Lavrov urged Armenia and Azerbaijan to stop the fighting immediately and return to talks mediated by the Minsk Group, which Russia co-chairs with France and the United States.</p>
<p>Azerbaijani President Ilham Aliyev said his forces would continue their operation until Armenian troops left the region, rejecting the appeals for a ceasefire made by world leaders on Thursday.</p>
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Markets slip</a></li><li><a href="/b">Weather</a></li></ul></aside>
<footer>© 2020 Caspian Herald. All rights reserved. Contact us. Privacy policy.</footer>
<script>var tracking = "cookie consent tracker";</script>
</body></html>"#;

#[test]
fn html_page_drops_boilerplate_and_reads_metadata() {
    let items = all(PAGE.as_bytes(), "pages/warn.html");
    assert_eq!(items.len(), 1);
    let a = items.into_iter().next().expect("one").expect("article");
    let t = &a.article.text;
    assert!(t.contains("Russia on Thursday warned Turkey"), "{t}");
    assert!(t.contains("Ilham Aliyev said"), "{t}");
    for junk in [
        "cookies",
        "Related stories",
        "All rights reserved",
        "tracker",
        "Sport",
    ] {
        assert!(!t.contains(junk), "boilerplate `{junk}` kept: {t}");
    }
    assert_eq!(
        a.article.date.map(|d| d.to_string()).as_deref(),
        Some("2020-10-01")
    );
    assert_eq!(a.article.source.as_deref(), Some("Caspian Herald"));
    assert_eq!(
        a.key.as_deref(),
        Some("https://caspianherald.example/2020/10/01/russia-warns")
    );
    assert_eq!(a.article.url, a.key);
    assert!(a
        .article
        .title
        .as_deref()
        .unwrap_or("")
        .contains("Russia warns Turkey"));
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Meridian Wire</title><link>https://meridianwire.example/</link><description>World</description>
<item><title>Sudan army and RSF agree to truce</title><link>https://meridianwire.example/a1</link>
<guid>mw-1</guid><pubDate>Sat, 20 May 2023 18:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Sudan's army and the Rapid Support Forces signed a ceasefire in Jeddah on Saturday.</p><p>Saudi Arabia and the United States mediated the talks.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://meridianwire.example/a2</link>
<pubDate>Sun, 21 May 2023 08:00:00 GMT</pubDate><description>Fighting resumed in Khartoum on Sunday.</description></item>
</channel></rss>"#;

#[test]
fn rss_items_are_articles() {
    let items: Vec<_> = all(RSS.as_bytes(), "feeds/mw.rss")
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items.len(), 2);
    let a = &items[0];
    assert_eq!(a.key.as_deref(), Some("mw-1"));
    assert_eq!(a.article.source.as_deref(), Some("Meridian Wire"));
    assert_eq!(
        a.article.date.map(|d| d.to_string()).as_deref(),
        Some("2023-05-20")
    );
    assert!(a
        .article
        .text
        .starts_with("Sudan army and RSF agree to truce\n\n"));
    assert!(a.article.text.contains("signed a ceasefire in Jeddah"));
    assert!(!a.article.text.contains("<p>"));
    assert_eq!(a.origin, "feeds/mw.rss#item1");
    // No guid: the link is the key.
    assert_eq!(
        items[1].key.as_deref(),
        Some("https://meridianwire.example/a2")
    );
}

#[test]
fn atom_entries_are_articles() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Nile Dispatch</title><id>urn:nd</id>
<updated>2023-04-16T10:00:00Z</updated>
<entry><title>Clashes in Khartoum</title><id>urn:nd:1</id><link href="https://niledispatch.example/1"/>
<published>2023-04-15T10:00:00Z</published><updated>2023-04-15T11:00:00Z</updated>
<content type="html">&lt;p&gt;The Rapid Support Forces attacked army bases in Khartoum on Saturday.&lt;/p&gt;</content></entry>
</feed>"#;
    let items: Vec<_> = all(atom.as_bytes(), "x.atom")
        .into_iter()
        .map(|r| r.expect("entry"))
        .collect();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].key.as_deref(), Some("urn:nd:1"));
    assert_eq!(
        items[0].article.date.map(|d| d.to_string()).as_deref(),
        Some("2023-04-15")
    );
    assert!(items[0]
        .article
        .text
        .contains("attacked army bases in Khartoum"));
}

#[test]
fn jsonl_streams_and_reports_bad_lines() {
    let data = b"{\"id\":\"a\",\"date\":\"2020-10-01\",\"text\":\"Russia warned Turkey.\"}\n\
{\"text\": broken\n\
\n\
{\"text\":\"No id here.\"}\n";
    let items = all(data, "w.jsonl");
    assert_eq!(items.len(), 3);
    let a = items[0].as_ref().expect("first");
    assert_eq!(a.key.as_deref(), Some("a"));
    assert_eq!(a.origin, "w.jsonl:1");
    let e = items[1].as_ref().expect_err("broken");
    assert!(e.to_string().starts_with("w.jsonl: line 2:"), "{e}");
    let c = items[2].as_ref().expect("third");
    assert_eq!(c.key, None);
    assert_eq!(c.origin, "w.jsonl:4");
}

#[test]
fn overlong_line_is_skipped_not_buffered() {
    let mut data = b"{\"text\":\"".to_vec();
    data.extend(std::iter::repeat_n(b'x', 5000));
    data.extend_from_slice(b"\"}\n{\"id\":\"ok\",\"text\":\"Fine.\"}\n");
    let limits = Limits {
        max_article_bytes: 1000,
        ..Limits::default()
    };
    let items: Vec<_> = articles(&data[..], "big.jsonl", limits).collect();
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[0],
        Err(FormatError::LineTooLong {
            line: 1,
            max: 1000,
            ..
        })
    ));
    assert_eq!(items[1].as_ref().expect("ok").key.as_deref(), Some("ok"));
}

#[test]
fn gzip_and_truncated_gzip() {
    let data: Vec<u8> = (0..400)
        .flat_map(|i| {
            format!(
                "{{\"id\":\"a{i}\",\"text\":\"Report {} of {}.\"}}\n",
                i * 7919 % 1000,
                i * 31
            )
            .into_bytes()
        })
        .collect();
    let packed = gz(&data);
    let items = all(&packed, "w.jsonl.gz");
    assert_eq!(items.len(), 400);
    assert!(items.iter().all(Result::is_ok));
    // Cut the stream: the records before the cut come through, then one error naming the file.
    let cut = &packed[..packed.len() / 2];
    let items = all(cut, "w.jsonl.gz");
    let (ok, bad): (Vec<_>, Vec<_>) = items.into_iter().partition(Result::is_ok);
    assert_eq!(bad.len(), 1, "one error for the truncation");
    let e = bad.into_iter().next().expect("error").expect_err("error");
    assert!(e.to_string().starts_with("w.jsonl.gz: line"), "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
    assert!(!ok.is_empty() && ok.len() < 400);
}

#[test]
fn text_files_take_date_and_title_from_name_and_first_line() {
    let a = text_article(
        "Sudan talks open\n\nThe army and the RSF met in Jeddah on Saturday.",
        "corpus/sudan-talks-2023-05-06.txt",
    )
    .expect("text");
    assert_eq!(
        a.article.date.map(|d| d.to_string()).as_deref(),
        Some("2023-05-06")
    );
    assert_eq!(a.article.title.as_deref(), Some("Sudan talks open"));
    assert_eq!(a.article.id, "sudan-talks-2023-05-06.txt");
    assert_eq!(a.key, None);
    assert!(text_article("  \n ", "e.txt").is_err());
}

#[test]
fn bad_bytes_are_errors_naming_the_input() {
    let items = all(b"ok\n\xff\xfe bad", "bad.txt");
    let e = items[0].as_ref().expect_err("invalid utf-8");
    assert!(
        e.to_string().contains("bad.txt") && e.to_string().contains("UTF-8"),
        "{e}"
    );
    let items = all(b"\x7fELF\x00\x00", "prog");
    assert!(items[0].as_ref().is_err());
    let items = all(b"<rss><channel><item>", "broken.rss");
    let e = items[0].as_ref().expect_err("broken feed");
    assert!(e.to_string().starts_with("broken.rss:"), "{e}");
}

#[test]
fn detection() {
    assert_eq!(detect("a.jsonl.gz", b""), Format::Jsonl);
    assert_eq!(detect("a.HTML", b""), Format::Html);
    assert_eq!(detect("feed", b"<?xml version='1.0'?><rss>"), Format::Feed);
    assert_eq!(detect("page", b"  <!DOCTYPE html><html>"), Format::Html);
    assert_eq!(detect("notes", b"Russia said"), Format::Text);
    assert_eq!(detect("x", b"{\"text\":1}"), Format::Jsonl);
    assert_eq!(
        parse_any_date("Sat, 20 May 2023 18:00:00 GMT")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2023-05-20")
    );
    assert_eq!(date_from_name("x/2020-13-01-y.txt"), None);
}

#[test]
fn capped_lines() {
    let data = b"short\nthis line is too long\nok\r\n";
    let mut r = std::io::BufReader::with_capacity(4, &data[..]);
    let mut buf = Vec::new();
    assert_eq!(
        read_line_capped(&mut r, &mut buf, 8).expect("io"),
        (6, false)
    );
    assert_eq!(buf, b"short");
    let (_, over) = read_line_capped(&mut r, &mut buf, 8).expect("io");
    assert!(over && buf.is_empty());
    assert_eq!(
        read_line_capped(&mut r, &mut buf, 8).expect("io"),
        (4, false)
    );
    assert_eq!(buf, b"ok");
    assert_eq!(
        read_line_capped(&mut r, &mut buf, 8).expect("io"),
        (0, false)
    );
}
