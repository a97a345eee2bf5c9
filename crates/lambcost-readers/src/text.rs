//! Text files as editors and shells on Windows save them: UTF-8 with or without a byte-order
//! mark, UTF-16 with one (Windows PowerShell's `>`), or the legacy code page Windows-1252
//! (older Visual Studio, Notepad's "ANSI"), which decodes any bytes. A file is never skipped
//! for its encoding: it is decoded, and which encoding that was is said.

use std::borrow::Cow;

/// The text of `bytes`, and the encoding it was decoded from when it was not UTF-8
/// (`UTF-16LE`, `windows-1252`).
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<&'static str>) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let name = (encoding != encoding_rs::UTF_8).then(|| encoding.name());
        return (text, name);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, Some(encoding_rs::WINDOWS_1252.name()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_windows_saves_in() {
        assert_eq!(decode(b"class A {}"), ("class A {}".into(), None));
        assert_eq!(
            decode(b"\xef\xbb\xbfclass A {}"),
            ("class A {}".into(), None)
        );
        assert_eq!(
            decode(b"\xff\xfeA\x00{\x00"),
            ("A{".into(), Some("UTF-16LE"))
        );
        // `// Größe` as Windows-1252.
        assert_eq!(
            decode(b"// Gr\xf6\xdfe"),
            ("// Größe".into(), Some("windows-1252"))
        );
    }
}
