//! Prism, the mock server: installed locally with npm (pinned by
//! `contract/prism/package-lock.json`), started on a free port of 127.0.0.1,
//! and always stopped: [`Prism`] kills its process when dropped, also when a
//! check fails or panics.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The folder holding the pinned `package.json` and `package-lock.json`.
pub fn pinned_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("prism")
}

/// The Prism version the lock file pins.
pub const VERSION: &str = "5.14.2";

/// How long Prism may take to load the spec and listen.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The `prism` executable inside an install folder.
pub fn executable(dir: &Path) -> PathBuf {
    dir.join("node_modules/.bin/prism")
}

/// Whether `dir` holds the pinned Prism (its lock file equals ours).
pub fn is_installed(dir: &Path) -> bool {
    let ours = std::fs::read(pinned_dir().join("package-lock.json")).ok();
    let theirs = std::fs::read(dir.join("package-lock.json")).ok();
    executable(dir).exists() && ours.is_some() && ours == theirs
}

/// Whether Prism is installed in `dir` or can be (npm runs); else why not.
pub fn availability(dir: &Path) -> Result<(), String> {
    if is_installed(dir) {
        return Ok(());
    }
    for tool in ["node", "npm"] {
        match Command::new(tool).arg("--version").output() {
            Ok(output) if output.status.success() => {}
            Ok(_) | Err(_) => {
                return Err(format!(
                    "Prism is not installed in {} and `{tool} --version` does not run",
                    dir.display()
                ))
            }
        }
    }
    Ok(())
}

/// Installs the pinned Prism into `dir` (`npm ci --prefix dir`) unless it is there.
pub fn install(dir: &Path) -> Result<(), String> {
    if is_installed(dir) {
        return Ok(());
    }
    println!("installing Prism {VERSION} into {} (npm ci)", dir.display());
    std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(pinned_dir().join(file), dir.join(file))
            .map_err(|e| format!("copy {file} into {}: {e}", dir.display()))?;
    }
    let output = Command::new("npm")
        .args(["ci", "--prefix"])
        .arg(dir)
        .args(["--no-audit", "--no-fund", "--loglevel=error"])
        .output()
        .map_err(|e| format!("run npm: {e}"))?;
    if !output.status.success() || !executable(dir).exists() {
        // A half-installed folder must not look installed next time.
        let _ = std::fs::remove_file(dir.join("package-lock.json"));
        return Err(format!(
            "npm ci failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The spec's examples (or, without one, a value built from the schema).
    Static,
    /// Random values satisfying the schemas, seeded; with `extra_properties`,
    /// objects that do not forbid them get made-up properties besides the
    /// declared ones.
    Dynamic { seed: u64, extra_properties: bool },
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mode::Static => f.write_str("static"),
            Mode::Dynamic {
                seed,
                extra_properties: false,
            } => write!(f, "dynamic seed {seed}"),
            Mode::Dynamic {
                seed,
                extra_properties: true,
            } => write!(f, "dynamic seed {seed} with extra properties"),
        }
    }
}

/// A running `prism mock`; killed when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    port: u16,
    pub mode: Mode,
    /// Prism's output (stdout and stderr).
    pub log: PathBuf,
}

impl Prism {
    /// Starts `prism mock` for `spec`; [`wait_until_listening`](Self::wait_until_listening) waits for it.
    ///
    /// Request and response violations are errors (`--errors`): a request
    /// the spec does not allow gets a 4xx answer with an `sl-violations`
    /// header listing what is wrong, and so does a response of Prism's that
    /// does not fit the spec's schema.
    pub fn spawn(dir: &Path, spec: &Path, mode: Mode, log_dir: &Path) -> Result<Prism, String> {
        let port = free_port()?;
        let log = log_dir.join(match mode {
            Mode::Static => format!("prism-static-{port}.log"),
            Mode::Dynamic { seed, .. } => format!("prism-dynamic-seed{seed}-{port}.log"),
        });
        let out = File::create(&log).map_err(|e| format!("create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("open {}: {e}", log.display()))?;
        let mut command = Command::new(executable(dir));
        command
            .arg("mock")
            .arg(spec)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        if let Mode::Dynamic {
            seed,
            extra_properties,
        } = mode
        {
            command.args(["--dynamic", "--seed", &seed.to_string()]);
            command.arg(format!(
                "--json-schema-faker-fillProperties={extra_properties}"
            ));
        }
        let child = command
            .spawn()
            .map_err(|e| format!("start {}: {e}", executable(dir).display()))?;
        Ok(Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
            mode,
            log,
        })
    }

    /// Waits until Prism has loaded the spec and listens.
    pub fn wait_until_listening(&mut self) -> Result<(), String> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism ({}) exited ({status}) before listening:\n{}",
                    self.mode,
                    self.log_tail()
                ));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "Prism ({}) did not listen on {address} within {START_TIMEOUT:?}:\n{}",
                    self.mode,
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The last lines Prism printed.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// The process id, to find the process in `ps`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now (the OS picks it; Prism binds it right after).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("find a free port: {e}"))
}
