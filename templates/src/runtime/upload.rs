//! Files to upload, and multipart forms that can be rebuilt for each retry.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use reqwest::multipart::{Form, Part};
use serde::Serialize;

use super::error::{Error, Result};
use super::params::param_values;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ByteStream = Pin<Box<dyn Stream<Item = std::result::Result<Bytes, BoxError>> + Send>>;

/// A file to send, as a multipart part or as a raw request body.
///
/// The MIME type is guessed from the file name's extension (common video,
/// audio, image and document types; `application/octet-stream` otherwise)
/// unless set with [`mime_type`](Self::mime_type).
///
/// In-memory ([`from_bytes`](Self::from_bytes)) and on-disk
/// ([`from_path`](Self::from_path)) files can be sent again when a request
/// is retried: a file on disk is reopened and streamed anew each time. A
/// [stream](Self::from_stream) can be read only once, so a request carrying
/// one is never retried.
///
/// ```no_run
/// use heygen::FileUpload;
///
/// # fn main() -> heygen::Result<()> {
/// let clip = FileUpload::from_path("intro.mp4")?; // video/mp4, streamed from disk
/// let logo = FileUpload::from_bytes(vec![0x89, b'P', b'N', b'G'], "logo.png");
/// let notes = FileUpload::from_bytes("hello", "notes").mime_type("text/plain");
/// # Ok(())
/// # }
/// ```
pub struct FileUpload {
    source: Source,
    file_name: String,
    mime_type: Option<String>,
}

enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    // Taken out on first use: a second use finds `None`.
    Stream {
        stream: Mutex<Option<ByteStream>>,
        len: Option<u64>,
    },
}

impl FileUpload {
    /// A file held in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        FileUpload {
            source: Source::Bytes(bytes.into()),
            file_name: file_name.into(),
            mime_type: None,
        }
    }

    /// A file on disk, named after the path's last component. It is checked
    /// now and read (streamed, not loaded whole) when the request is sent.
    ///
    /// # Errors
    ///
    /// [`Error::File`] if the path does not exist or is not a regular file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let metadata = std::fs::metadata(path).map_err(|source| Error::File {
            path: path.to_owned(),
            source,
        })?;
        if !metadata.is_file() {
            return Err(Error::File {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
            });
        }
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Ok(FileUpload {
            source: Source::Path(path.to_owned()),
            file_name,
            mime_type: None,
        })
    }

    /// A stream of chunks, sent as it is read. Give its length in bytes if
    /// known; otherwise the body is sent with chunked encoding.
    ///
    /// A stream can be read only once: a request carrying one is sent once
    /// and never retried.
    pub fn from_stream<S, B, E>(stream: S, file_name: impl Into<String>, len: Option<u64>) -> Self
    where
        S: Stream<Item = std::result::Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: ByteStream = Box::pin(stream.map_ok(Into::into).map_err(Into::into));
        FileUpload {
            source: Source::Stream {
                stream: Mutex::new(Some(stream)),
                len,
            },
            file_name: file_name.into(),
            mime_type: None,
        }
    }

    /// Sets the MIME type instead of guessing it from the file name.
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// Sets the file name sent to the server.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The file name sent to the server.
    pub fn name(&self) -> &str {
        &self.file_name
    }

    /// The MIME type sent to the server: the one set, or the guessed one.
    pub fn content_type(&self) -> &str {
        self.mime_type
            .as_deref()
            .unwrap_or_else(|| guess_mime_type(&self.file_name))
    }

    /// Whether this file can be sent more than once (not a stream).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream { .. })
    }

    /// A multipart part carrying this file; called once per attempt.
    pub(crate) async fn to_part(&self) -> Result<Part> {
        let (body, len) = self.to_body().await?;
        let part = match len {
            Some(len) => Part::stream_with_length(body, len),
            None => Part::stream(body),
        };
        part.file_name(self.file_name.clone())
            .mime_str(self.content_type())
            .map_err(|_| self.invalid_mime_type())
    }

    /// The file as a request body, with its length when known; called once
    /// per attempt.
    pub(crate) async fn to_body(&self) -> Result<(reqwest::Body, Option<u64>)> {
        match &self.source {
            Source::Bytes(bytes) => Ok((bytes.clone().into(), Some(bytes.len() as u64))),
            Source::Path(path) => open_file(path).await,
            Source::Stream { stream, len } => {
                let taken = stream.lock().ok().and_then(|mut slot| slot.take());
                match taken {
                    Some(stream) => Ok((reqwest::Body::wrap_stream(stream), *len)),
                    None => Err(Error::InvalidRequest(format!(
                        "the stream for `{}` was already sent; a stream can be sent only once",
                        self.file_name
                    ))),
                }
            }
        }
    }

    pub(crate) fn invalid_mime_type(&self) -> Error {
        Error::InvalidRequest(format!(
            "`{}` is not a valid MIME type (file `{}`)",
            self.content_type(),
            self.file_name
        ))
    }
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes in memory", bytes.len()),
            Source::Path(path) => format!("file {}", path.display()),
            Source::Stream { len: Some(len), .. } => format!("stream of {len} bytes"),
            Source::Stream { len: None, .. } => "stream".to_owned(),
        };
        f.debug_struct("FileUpload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type())
            .field("source", &source)
            .finish()
    }
}

async fn open_file(path: &Path) -> Result<(reqwest::Body, Option<u64>)> {
    let file_error = |source| Error::File {
        path: path.to_owned(),
        source,
    };
    let file = tokio::fs::File::open(path).await.map_err(file_error)?;
    let len = file.metadata().await.map_err(file_error)?.len();
    let stream = tokio_util::io::ReaderStream::new(file);
    Ok((reqwest::Body::wrap_stream(stream), Some(len)))
}

/// The MIME type for a file name's extension, among the media HeyGen takes.
fn guess_mime_type(file_name: &str) -> &'static str {
    let extension = match file_name.rsplit_once('.') {
        Some((_, extension)) => extension.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match extension.as_str() {
        "mp4" => "video/mp4",
        "m4v" => "video/x-m4v",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "avi" => "video/x-msvideo",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "ogg" | "oga" => "audio/ogg",
        "flac" => "audio/flac",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "tif" | "tiff" => "image/tiff",
        "pdf" => "application/pdf",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "json" => "application/json",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "srt" => "application/x-subrip",
        "vtt" => "text/vtt",
        _ => "application/octet-stream",
    }
}

/// A `multipart/form-data` body that is rebuilt for each attempt, so a
/// request carrying it can be retried (unless it holds a stream).
///
/// ```
/// use heygen::{FileUpload, Multipart};
///
/// let form = Multipart::new()
///     .text("title", "My avatar")
///     .field("tags", &["intro", "demo"])
///     .file("file", FileUpload::from_bytes(vec![0u8; 16], "look.png"));
/// assert!(form.is_replayable());
/// ```
#[derive(Debug, Default)]
pub struct Multipart {
    fields: Vec<(String, Field)>,
    // The first field that could not be turned into text; reported on send.
    error: Option<String>,
}

#[derive(Debug)]
enum Field {
    Text(String),
    File(FileUpload),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), Field::Text(value.into())));
        self
    }

    /// Adds a field from a typed value, by the same rules as query
    /// parameters: `None` adds nothing, a sequence adds the field once per
    /// element, enums use their serde name. A value that has no text form
    /// (a map, say) makes sending the request fail with
    /// [`Error::InvalidRequest`].
    pub fn field<T: Serialize + ?Sized>(mut self, name: impl Into<String>, value: &T) -> Self {
        let name = name.into();
        match param_values(&name, value) {
            Ok(values) => {
                for value in values {
                    self.fields.push((name.clone(), Field::Text(value)));
                }
            }
            Err(message) => {
                self.error.get_or_insert(message);
            }
        }
        self
    }

    /// Adds a file field.
    pub fn file(mut self, name: impl Into<String>, file: FileUpload) -> Self {
        self.fields.push((name.into(), Field::File(file)));
        self
    }

    /// Whether the form can be sent more than once (holds no stream).
    pub fn is_replayable(&self) -> bool {
        self.fields.iter().all(|(_, field)| match field {
            Field::Text(_) => true,
            Field::File(file) => file.is_replayable(),
        })
    }

    /// Builds a fresh reqwest form; called once per attempt.
    pub(crate) async fn to_form(&self) -> Result<Form> {
        if let Some(message) = &self.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let mut form = Form::new();
        for (name, field) in &self.fields {
            form = match field {
                Field::Text(text) => form.text(name.clone(), text.clone()),
                Field::File(file) => form.part(name.clone(), file.to_part().await?),
            };
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_common_types() {
        assert_eq!(guess_mime_type("a.MP4"), "video/mp4");
        assert_eq!(guess_mime_type("b.tar.jpeg"), "image/jpeg");
        assert_eq!(guess_mime_type("noext"), "application/octet-stream");
        assert_eq!(guess_mime_type("x.unknown"), "application/octet-stream");
        // The video containers HeyGen takes besides MP4.
        assert_eq!(guess_mime_type("clip.m4v"), "video/x-m4v");
        assert_eq!(guess_mime_type("clip.MOV"), "video/quicktime");
        assert_eq!(guess_mime_type("clip.mkv"), "video/x-matroska");
    }

    #[test]
    fn an_upload_shows_its_name_type_and_size_but_not_its_bytes() {
        let upload = FileUpload::from_bytes(&b"secret bytes"[..], "clip.mov");
        assert_eq!(upload.name(), "clip.mov");
        assert_eq!(upload.content_type(), "video/quicktime");
        let shown = format!("{upload:?}");
        assert!(shown.contains("clip.mov") && shown.contains("12 bytes in memory"), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(upload.file_name("renamed.mp4").name(), "renamed.mp4");
    }
}
