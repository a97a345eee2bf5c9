//! An input as its bytes were meant to be read: gzip (CloudWatch exports to S3, Firehose
//! deliveries, several members back to back read as one), zstd, and base64 of gzip (as
//! Kinesis and a Lambda subscriber receive a subscription payload) are recognised by their
//! first bytes and decoded on the fly, layer after layer, never by the file's name. Text as
//! Windows tools write it is made UTF-8 the same way: a UTF-8 byte-order mark (PowerShell 5's
//! `Out-File -Encoding utf8`) is dropped, UTF-16 with its mark (PowerShell 5's `>`) and
//! Windows-1252 (Excel's CSV in many locales) are decoded.

use base64::Engine;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How an input was encoded, outermost first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encoding {
    /// `gzip`, `zstd`, `base64`, outermost first; empty for plain text.
    pub layers: Vec<&'static str>,
    /// The text's encoding, when it was not UTF-8 (`UTF-16LE`, `windows-1252`).
    pub text: Option<&'static str>,
}

impl Encoding {
    /// `gzip`, `base64 of gzip`, or `plain`.
    pub fn describe(&self) -> String {
        if self.layers.is_empty() {
            "plain".to_string()
        } else {
            self.layers.join(" of ")
        }
    }
}

/// The text encoding `head` (a decoded input's first bytes) says it is in, when it is not
/// plain UTF-8: a byte-order mark, or bytes that are not UTF-8 but are text in Windows-1252
/// (printable, no NUL). A binary file has NULs or controls and stays as it is.
fn charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(head) {
        return Some(encoding);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return None,
        // A multi-byte character cut at the buffer's end is UTF-8 still.
        Err(e) if e.error_len().is_none() => return None,
        Err(_) => {}
    }
    let text = head
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
    text.then_some(encoding_rs::WINDOWS_1252)
}

/// A decoded input: its text as a buffered reader, how it was encoded, and how many of the
/// input's own (encoded) bytes have been consumed so far, to say where a cut-off stream ended.
pub struct Opened {
    /// The decoded bytes.
    pub reader: BufReader<Box<dyn Read + Send>>,
    /// The layers decoded.
    pub encoding: Encoding,
    /// The input's bytes read so far.
    pub consumed: Arc<AtomicU64>,
}

/// The most layers decoded (Firehose may gzip a file of gzip members: two are real).
const MAX_LAYERS: usize = 4;

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads until the buffer is full or the input ends: a decoder hands over a few bytes at a
/// time, and an input's kind is told from a whole buffer of its first bytes.
struct Filled<R>(R);

impl<R: Read> Read for Filled<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            match self.0.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // What was read before the error is handed over first; the error comes next.
                Err(e) if n == 0 => return Err(e),
                Err(_) => break,
            }
        }
        Ok(n)
    }
}

/// The layer `head` (an input's first bytes) begins, if any.
fn layer(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd")
    } else if head.starts_with(b"H4sI") {
        // "H4sI" is base64 for 1f 8b 08: gzip, as Kinesis hands a subscription payload over.
        Some("base64")
    } else {
        None
    }
}

/// Opens `input`, decoding every layer it starts with.
pub fn open(input: Box<dyn Read + Send>) -> std::io::Result<Opened> {
    let consumed = Arc::new(AtomicU64::new(0));
    let counted: Box<dyn Read + Send> = Box::new(Counting {
        inner: input,
        count: Arc::clone(&consumed),
    });
    let mut reader = BufReader::with_capacity(1 << 16, counted);
    let mut encoding = Encoding::default();
    for _ in 0..MAX_LAYERS {
        let head = reader.fill_buf()?;
        let Some(kind) = layer(head) else { break };
        encoding.layers.push(kind);
        let inner: Box<dyn Read + Send> = match kind {
            "gzip" => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
            "zstd" => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
            _ => Box::new(base64::read::DecoderReader::new(
                Base64Text(reader),
                &base64::engine::general_purpose::STANDARD,
            )),
        };
        reader = BufReader::with_capacity(1 << 16, Box::new(Filled(inner)));
    }
    if let Some(charset) = charset(reader.fill_buf()?) {
        if charset == encoding_rs::UTF_8 {
            reader.consume(3);
        } else {
            encoding.text = Some(charset.name());
            let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(charset))
                .build(reader);
            reader = BufReader::with_capacity(1 << 16, Box::new(Filled(decoded)));
        }
    }
    Ok(Opened {
        reader,
        encoding,
        consumed,
    })
}

/// Base64 text as a payload carries it: the alphabet only, line breaks and a closing quote
/// or newline dropped, so that the decoder sees one run of base64.
struct Base64Text<R>(R);

impl<R: BufRead> Read for Base64Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n == 0 {
            let chunk = self.0.fill_buf()?;
            if chunk.is_empty() {
                return Ok(0);
            }
            let mut taken = 0;
            for &b in chunk {
                if n == buf.len() {
                    break;
                }
                taken += 1;
                if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=') {
                    buf[n] = b;
                    n += 1;
                }
            }
            self.0.consume(taken);
        }
        Ok(n)
    }
}

/// Decodes a base64 string as a payload holds it (`{"awslogs": {"data": "H4sI..."}}`).
pub fn base64_bytes(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

/// Whether an I/O error is a compressed stream that ends early or is corrupt (the input is
/// then read up to there), rather than a file that cannot be read at all.
pub fn is_cut_off(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
    ) || e.to_string().contains("corrupt deflate stream")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).expect("compress");
        e.finish().expect("compress")
    }

    fn read_all(bytes: Vec<u8>) -> (String, String) {
        let mut opened = open(Box::new(std::io::Cursor::new(bytes))).expect("opens");
        let mut text = String::new();
        opened.reader.read_to_string(&mut text).expect("reads");
        (text, opened.encoding.describe())
    }

    #[test]
    fn every_layer_is_decoded_by_its_first_bytes() {
        let text = b"REPORT RequestId: r\n";
        assert_eq!(
            read_all(text.to_vec()),
            (String::from_utf8_lossy(text).into(), "plain".into())
        );
        assert_eq!(read_all(gzip(text)).1, "gzip");
        // Two gzip members back to back are one input; gzip of them decodes both layers.
        let two = [gzip(b"a\n"), gzip(b"b\n")].concat();
        assert_eq!(read_all(two.clone()), ("a\nb\n".into(), "gzip".into()));
        assert_eq!(
            read_all(gzip(&two)),
            ("a\nb\n".into(), "gzip of gzip".into())
        );
        let zstd = zstd::encode_all(&text[..], 3).expect("zstd");
        assert_eq!(read_all(zstd).1, "zstd");
        let b64 = base64::engine::general_purpose::STANDARD.encode(gzip(text));
        assert_eq!(
            read_all(format!("{b64}\n").into_bytes()),
            (
                String::from_utf8_lossy(text).into(),
                "base64 of gzip".into()
            )
        );
    }

    #[test]
    fn text_as_windows_tools_write_it_is_read_as_utf8() {
        let report = "REPORT RequestId: r\tDuration: 1.5 ms\n";
        let bom = [&[0xef, 0xbb, 0xbf][..], report.as_bytes()].concat();
        assert_eq!(read_all(bom), (report.to_string(), "plain".into()));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(report.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(read_all(utf16).0, report);
        // "café" in Windows-1252: 0xe9 alone is not UTF-8.
        assert_eq!(read_all(b"caf\xe9,1\n".to_vec()).0, "café,1\n");
        // A binary file is left as it is, for the reader to refuse.
        assert_eq!(charset(&[0x7f, b'E', b'L', b'F', 0, 0, 1, 0xe9]), None);
        // A character cut at the buffer's end is still UTF-8.
        assert_eq!(
            charset("caf\u{e9}".as_bytes().split_last().expect("bytes").1),
            None
        );
    }

    #[test]
    fn a_cut_off_stream_reads_up_to_the_cut() {
        let text: Vec<u8> = (0..2000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let mut cut = gzip(&text);
        cut.truncate(cut.len() / 2);
        let mut opened = open(Box::new(std::io::Cursor::new(cut))).expect("opens");
        let mut got = Vec::new();
        let e = opened.reader.read_to_end(&mut got).expect_err("cut off");
        assert!(is_cut_off(&e), "{e}");
        assert!(opened.consumed.load(Ordering::Relaxed) > 0);
    }
}
