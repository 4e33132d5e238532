//! The picture of an image part, as the view shows it: a web address to
//! load, or the image's bytes. Inline images (base64 data, or a `data:`
//! address) become bytes here, so the page shows them from a short blob
//! address: a `data:` address of megabytes set as `src` is copied and
//! decoded as text in the middle of a selection.

use crate::model::ids::decode_base64;

#[derive(Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// An `http(s):` address: loading it tells its host that the trace is
    /// being read (and whatever the address carries), so it is shown only
    /// when the user asks.
    Remote(String),
    /// An unreadable `data:` address, used as it is.
    Address(String),
    /// The image itself, with its canonical media type.
    Bytes {
        mime_type: &'static str,
        bytes: Vec<u8>,
    },
}

/// The picture of a part of the `image` modality, from its media type,
/// address and inline data; none when it has nothing a page can show (a
/// file id of a provider, an address of another scheme).
pub fn image_source(
    mime_type: Option<&str>,
    uri: Option<&str>,
    data_base64: Option<&str>,
) -> Option<ImageSource> {
    let default_type = || mime_type.unwrap_or("image/png").to_owned();
    match (uri, data_base64) {
        (Some(uri), _) if web_host(uri).is_some() => Some(ImageSource::Remote(uri.to_owned())),
        (Some(uri), _) if uri.starts_with("data:image/") => Some(from_data_address(uri)),
        (_, Some(data)) => {
            let mime_type = default_type();
            let image = raster_type(&mime_type)
                .and_then(|canonical| Some((canonical, decode_base64(data.trim())?)));
            match image {
                Some((mime_type, bytes)) => Some(ImageSource::Bytes { mime_type, bytes }),
                // Not a picture at all (text/html, say): nothing to show.
                None if !is_image_type(&mime_type) => None,
                // Not base64 we can read (line breaks, say), or a picture
                // type that could run scripts on a page of its own: the
                // browser may show it as an image.
                None => Some(ImageSource::Address(format!(
                    "data:{mime_type};base64,{data}"
                ))),
            }
        }
        _ => None,
    }
}

/// The canonical media type of a picture type that runs nothing when
/// opened on its own, matched without case or surrounding spaces; `None`
/// for any other. A `blob:` address has the page's origin: an SVG or HTML
/// "image" from a trace, opened in a tab of its own, would run its scripts
/// as the page, so those stay `data:` addresses, which cannot be opened as
/// pages; and a blob gets the type of this list, never the trace's text,
/// so the browser has nothing to sniff.
fn raster_type(mime_type: &str) -> Option<&'static str> {
    const RASTER: [(&str, &str); 8] = [
        ("image/png", "image/png"),
        ("image/jpeg", "image/jpeg"),
        ("image/jpg", "image/jpeg"),
        ("image/gif", "image/gif"),
        ("image/webp", "image/webp"),
        ("image/avif", "image/avif"),
        ("image/bmp", "image/bmp"),
        ("image/x-icon", "image/x-icon"),
    ];
    let mime_type = mime_type.trim();
    RASTER
        .iter()
        .find(|(raster, _)| mime_type.eq_ignore_ascii_case(raster))
        .map(|&(_, canonical)| canonical)
}

/// `image/…`, in any case.
fn is_image_type(mime_type: &str) -> bool {
    mime_type
        .trim()
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case("image/"))
}

/// The host (and port) of an `http(s):` address, as a placeholder names
/// it; `None` for any other address.
pub fn web_host(address: &str) -> Option<&str> {
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        let head = address.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| address.get(scheme.len()..))
            .flatten()
    })?;
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    (!host.is_empty()).then_some(host)
}

/// `data:image/png;base64,iVBOR…` as bytes; other `data:` addresses (a
/// percent-encoded SVG) are left to the browser.
fn from_data_address(uri: &str) -> ImageSource {
    let bytes = uri
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
        .and_then(|(header, data)| {
            let mime_type = raster_type(header.strip_suffix(";base64")?)?;
            let bytes = decode_base64(data.trim())?;
            Some(ImageSource::Bytes { mime_type, bytes })
        });
    bytes.unwrap_or_else(|| ImageSource::Address(uri.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_BASE64: &str = "iVBORw0KGgo=";
    const PNG_START: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

    #[test]
    fn inline_data_becomes_the_image_bytes_with_its_type() {
        let expected = ImageSource::Bytes {
            mime_type: "image/jpeg",
            bytes: PNG_START.to_vec(),
        };
        assert_eq!(
            image_source(Some("image/jpeg"), None, Some(PNG_BASE64)),
            Some(expected)
        );
        let untyped = image_source(None, None, Some(PNG_BASE64));
        assert!(
            matches!(untyped, Some(ImageSource::Bytes { mime_type, .. }) if mime_type == "image/png")
        );
    }

    #[test]
    fn a_base64_data_address_becomes_bytes_of_its_own_type() {
        let uri = format!("data:image/webp;base64,{PNG_BASE64}");
        assert_eq!(
            image_source(Some("image/png"), Some(&uri), None),
            Some(ImageSource::Bytes {
                mime_type: "image/webp",
                bytes: PNG_START.to_vec()
            })
        );
    }

    #[test]
    fn web_addresses_are_remote_and_unreadable_data_left_to_the_browser() {
        let web = "https://example.com/cat.png";
        assert_eq!(
            image_source(None, Some(web), Some(PNG_BASE64)),
            Some(ImageSource::Remote(web.to_owned()))
        );
        let upper = "HTTP://Example.com:8080/cat.png";
        assert_eq!(
            image_source(None, Some(upper), None),
            Some(ImageSource::Remote(upper.to_owned()))
        );
        let svg = "data:image/svg+xml,%3Csvg%3E%3C/svg%3E";
        assert_eq!(
            image_source(None, Some(svg), None),
            Some(ImageSource::Address(svg.to_owned()))
        );
        assert_eq!(
            image_source(Some("image/gif"), None, Some("not base64!")),
            Some(ImageSource::Address(
                "data:image/gif;base64,not base64!".to_owned()
            ))
        );
    }

    #[test]
    fn pictures_that_could_run_scripts_stay_data_addresses() {
        let svg = format!("data:image/svg+xml;base64,{PNG_BASE64}");
        assert_eq!(
            image_source(None, Some(&svg), None),
            Some(ImageSource::Address(svg.clone()))
        );
        assert_eq!(
            image_source(Some("image/svg+xml"), None, Some(PNG_BASE64)),
            Some(ImageSource::Address(svg))
        );
        assert_eq!(
            image_source(Some("text/html"), None, Some(PNG_BASE64)),
            None
        );
        let upper = image_source(Some("IMAGE/PNG"), None, Some(PNG_BASE64));
        assert!(matches!(upper, Some(ImageSource::Bytes { .. })));
    }

    #[test]
    fn a_blob_gets_the_canonical_type_of_the_allow_list_not_the_traces_text() {
        for (given, canonical) in [(" IMAGE/PNG\t", "image/png"), ("image/JPG", "image/jpeg")] {
            assert_eq!(
                image_source(Some(given), None, Some(PNG_BASE64)),
                Some(ImageSource::Bytes {
                    mime_type: canonical,
                    bytes: PNG_START.to_vec()
                }),
                "{given:?}"
            );
        }
        let uri = format!("data:image/PNG;base64,{PNG_BASE64}");
        assert_eq!(
            image_source(None, Some(&uri), None),
            Some(ImageSource::Bytes {
                mime_type: "image/png",
                bytes: PNG_START.to_vec()
            })
        );
    }

    #[test]
    fn the_host_of_a_web_address_is_named_without_its_user_or_path() {
        assert_eq!(
            web_host("https://attacker.example/?d=secret"),
            Some("attacker.example")
        );
        assert_eq!(
            web_host("HTTP://user:pw@cdn.example:8080/a.png"),
            Some("cdn.example:8080")
        );
        assert_eq!(
            web_host("https://x.example\\@y.example/"),
            Some("x.example")
        );
        assert_eq!(web_host("https:///path"), None);
        assert_eq!(web_host("javascript:alert(1)"), None);
        assert_eq!(web_host("//host/a.png"), None);
    }

    #[test]
    fn file_ids_and_other_schemes_have_no_picture() {
        assert_eq!(image_source(None, Some("file-abc123"), None), None);
        assert_eq!(image_source(None, Some("gs://bucket/cat.png"), None), None);
        assert_eq!(image_source(None, None, None), None);
    }
}
