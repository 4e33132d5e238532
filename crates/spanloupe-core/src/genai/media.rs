//! The picture of an image part, as the view shows it: a web address to
//! load, or the image's bytes. Inline images (base64 data, or a `data:`
//! address) become bytes here, so the page shows them from a short blob
//! address: a 3 MB `data:` address set as `src` cost the first selection of
//! its span 37 ms of copying and decoding the text.

use crate::model::ids::decode_base64;

#[derive(Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// An `http(s):` (or unreadable `data:`) address, used as it is.
    Address(String),
    /// The image itself, with its media type.
    Bytes { mime_type: String, bytes: Vec<u8> },
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
        (Some(uri), _) if uri.starts_with("https://") || uri.starts_with("http://") => {
            Some(ImageSource::Address(uri.to_owned()))
        }
        (Some(uri), _) if uri.starts_with("data:image/") => Some(from_data_address(uri)),
        (_, Some(data)) => {
            let mime_type = default_type();
            let bytes = is_raster(&mime_type)
                .then(|| decode_base64(data.trim()))
                .flatten();
            Some(match bytes {
                Some(bytes) => ImageSource::Bytes { mime_type, bytes },
                // Not base64 we can read (line breaks, say): the browser may.
                None => ImageSource::Address(format!("data:{mime_type};base64,{data}")),
            })
        }
        _ => None,
    }
}

/// Picture types that run nothing when opened on their own. A `blob:`
/// address has the page's origin: an SVG or HTML "image" from a trace,
/// opened in a tab of its own, would run its scripts as the page; a `data:`
/// address cannot be opened as a page, so those stay `data:` addresses.
fn is_raster(mime_type: &str) -> bool {
    const RASTER: [&str; 8] = [
        "image/png",
        "image/jpeg",
        "image/jpg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "image/x-icon",
    ];
    RASTER
        .iter()
        .any(|raster| mime_type.trim().eq_ignore_ascii_case(raster))
}

/// `data:image/png;base64,iVBOR…` as bytes; other `data:` addresses (a
/// percent-encoded SVG) are left to the browser.
fn from_data_address(uri: &str) -> ImageSource {
    let bytes = uri
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
        .and_then(|(header, data)| {
            let mime_type = header.strip_suffix(";base64")?;
            if !is_raster(mime_type) {
                return None;
            }
            let bytes = decode_base64(data.trim())?;
            Some(ImageSource::Bytes {
                mime_type: mime_type.to_owned(),
                bytes,
            })
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
            mime_type: "image/jpeg".to_owned(),
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
                mime_type: "image/webp".to_owned(),
                bytes: PNG_START.to_vec()
            })
        );
    }

    #[test]
    fn web_addresses_and_unreadable_data_are_left_to_the_browser() {
        let web = "https://example.com/cat.png";
        assert_eq!(
            image_source(None, Some(web), Some(PNG_BASE64)),
            Some(ImageSource::Address(web.to_owned()))
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
            Some(ImageSource::Address(format!(
                "data:text/html;base64,{PNG_BASE64}"
            )))
        );
        let upper = image_source(Some("IMAGE/PNG"), None, Some(PNG_BASE64));
        assert!(matches!(upper, Some(ImageSource::Bytes { .. })));
    }

    #[test]
    fn file_ids_and_other_schemes_have_no_picture() {
        assert_eq!(image_source(None, Some("file-abc123"), None), None);
        assert_eq!(image_source(None, Some("gs://bucket/cat.png"), None), None);
        assert_eq!(image_source(None, None, None), None);
    }
}
