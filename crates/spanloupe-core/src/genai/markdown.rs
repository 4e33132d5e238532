//! Message text as Markdown, rendered to HTML that is safe to insert: message
//! content is untrusted (a prompt can contain anything a user or a web page
//! typed). Raw HTML is shown as text, and links or images whose target is
//! not http(s), mailto or a relative path keep their text but lose the target.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Safe HTML for `markdown`.
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
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
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// The URL when its scheme is harmless, else an empty target.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    // Browsers ignore control characters and spaces inside a scheme
    // ("java\tscript:"), so look at the URL without them.
    let compact: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = compact.split_once(':').map(|(scheme, _)| scheme);
    let allowed = match scheme {
        // No scheme, or the colon is after a path or query: relative.
        None => true,
        Some(scheme) if scheme.contains(['/', '?', '#']) => true,
        Some("http" | "https" | "mailto") => true,
        // Inline images are common in messages; only image data is allowed.
        Some("data") => {
            compact.starts_with("data:image/") && !compact.starts_with("data:image/svg")
        }
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
}
