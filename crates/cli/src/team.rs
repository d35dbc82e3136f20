//! `tokenkeeper team init|join|members`: one inventory on a team's PostgreSQL server, its
//! secrets encrypted to each member's key (kept in their OS keychain).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::Error;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::{Keychain, SecretStore};
use tokenkeeper_core::team::{self, Member, TeamSecrets};

/// Team subcommands.
#[derive(Debug, Subcommand)]
pub enum Args {
    /// Start a team on an empty PostgreSQL database (`--db postgres://…`) and move this
    /// computer's vault into it: every credential, event and secret, the secrets encrypted to
    /// the team. The local file is only read.
    Init {
        /// Your name in the team.
        #[arg(long)]
        name: String,
        /// The vault to move (default: this computer's, as the app uses it).
        #[arg(long, value_name = "PATH")]
        from: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make your team key for the database (`--db postgres://…`) and print it: a member adds
    /// you with it.
    Join {
        /// Your name in the team.
        #[arg(long)]
        name: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The team's members: list, add, remove.
    #[command(subcommand)]
    Members(MembersArgs),
    /// Keep a copy of the team vault on this computer, without its secrets: the last known
    /// state while the server is away, and what reports (`status`, `export`) read while the
    /// server changed nothing since. Reports keep it up to date from then on.
    Copy {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `team members` subcommands.
#[derive(Debug, Subcommand)]
pub enum MembersArgs {
    /// Who is in, with each public key's fingerprint.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Add a technician with the key `team join` printed for them; every shared secret becomes
    /// readable by them.
    Add {
        /// Their name in the team.
        name: String,
        /// Their public key (`age1…`).
        key: String,
        /// Print the member as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a technician: every shared secret is encrypted again without them, and the Apple
    /// secrets they could have copied are listed with how to rotate them.
    Remove {
        /// Their name.
        name: String,
        /// Confirm the removal.
        #[arg(long)]
        yes: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

impl Args {
    /// Whether the output is JSON.
    pub fn json(&self) -> bool {
        match self {
            Args::Init { json, .. } | Args::Join { json, .. } | Args::Copy { json } => *json,
            Args::Members(
                MembersArgs::List { json }
                | MembersArgs::Add { json, .. }
                | MembersArgs::Remove { json, .. },
            ) => *json,
        }
    }
}

fn server(db: Option<&Path>) -> Result<String, Error> {
    db.and_then(Path::to_str)
        .map(str::to_owned)
        .or_else(|| std::env::var("TOKENKEEPER_DB").ok())
        .filter(|l| crate::vault::is_server_url(l))
        .ok_or_else(|| Error::InvalidInput {
            message: "a team lives on a PostgreSQL server: give it with --db postgres://USER@HOST/DATABASE?sslmode=verify-full&sslrootcert=CA.pem (or TOKENKEEPER_DB)".to_owned(),
        })
}

fn keychain() -> Keychain {
    Keychain::new(Keychain::default_service())
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| Error::InvalidInput {
            message: e.to_string(),
        })?
    );
    Ok(())
}

/// Runs a team subcommand on the database `db` names.
pub fn run(args: &Args, db: Option<&Path>) -> Result<(), Error> {
    let url = server(db)?;
    let keychain = keychain();
    let now = Utc::now();
    match args {
        Args::Init { name, from, json } => {
            let from = match from {
                Some(p) => p.clone(),
                None => Db::default_path()
                    .filter(|p| !crate::vault::is_server_url(&p.to_string_lossy()))
                    .ok_or_else(|| Error::InvalidInput {
                        message: "give the vault to move with --from PATH".to_owned(),
                    })?,
            };
            if !from.exists() {
                return Err(Error::NotFound {
                    what: format!("the vault {}", from.display()),
                    hint: ": give the file to move with --from PATH".to_owned(),
                });
            }
            let source = Db::open(&from)?;
            let mut target = tokenkeeper_store_postgres::open(&url)?;
            let key = tokenkeeper_store_postgres::member_key_or_new(&target, &keychain)?;
            let members = team::members(&target.sql())?;
            let me = if members.is_empty() {
                team::start(&mut target, name, &key, now)?
            } else {
                // A first attempt that stopped after starting the team may be resumed by the
                // one who started it; anyone else joins instead.
                members
                    .into_iter()
                    .find(|m| m.recipient == key.recipient())
                    .filter(|_| members_only_me(&target))
                    .ok_or_else(|| Error::AlreadyExists {
                        what: "a team on this database: join it instead (`tokenkeeper team join`)"
                            .to_owned(),
                    })?
            };
            let shared = TeamSecrets::open(tokenkeeper_store_postgres::open(&url)?, key)?;
            let report = team::copy_vault(&source, &keychain, &mut target, &shared)?;
            if *json {
                return print_json(&serde_json::json!({
                    "database": target.location(),
                    "member": me,
                    "copied": report,
                }));
            }
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "Team started on {} with {} ({}).\nMoved from {}: {} client(s), {} credential(s), {} event(s), {} secret(s) now encrypted to the team.\nThe local file is unchanged. Teammates run `tokenkeeper team join --db URL --name NAME`; you add them with `tokenkeeper team members add NAME KEY`.",
                target.location(),
                me.name,
                me.fingerprint,
                from.display(),
                report.clients,
                report.credentials,
                report.events,
                report.secrets
            );
            Ok(())
        }
        Args::Join { name, json } => {
            let target = tokenkeeper_store_postgres::open(&url)?;
            let key = tokenkeeper_store_postgres::member_key_or_new(&target, &keychain)?;
            let recipient = key.recipient();
            let member = team::members(&target.sql())?
                .into_iter()
                .find(|m| m.recipient == recipient);
            let fingerprint = team::fingerprint(&recipient);
            if *json {
                return print_json(&serde_json::json!({
                    "database": target.location(),
                    "name": name.trim(),
                    "key": recipient,
                    "fingerprint": fingerprint,
                    "member": member.is_some(),
                }));
            }
            let mut out = std::io::stdout().lock();
            let _ = match member {
                Some(m) => writeln!(
                    out,
                    "You are in the team on {} as {} ({fingerprint}).",
                    target.location(),
                    m.name
                ),
                None => writeln!(
                    out,
                    "Your team key for {} (kept in this computer's keychain):\n  {recipient}\n  fingerprint {fingerprint}\nAsk a member to run:\n  tokenkeeper team members add \"{}\" {recipient}\nand to compare the fingerprint with you.",
                    target.location(),
                    name.trim()
                ),
            };
            Ok(())
        }
        Args::Members(members) => run_members(members, &url, &keychain, now),
        Args::Copy { json } => {
            let vault = tokenkeeper_store_postgres::open_vault(&url, Box::new(keychain))?;
            let copy = vault.save_local_copy(now)?;
            let path = vault.local_copy_path()?;
            if *json {
                return print_json(&serde_json::json!({
                    "database": vault.database_location(),
                    "copy": path,
                    "changes": copy.changes,
                    "taken_at": copy.taken_at,
                }));
            }
            let _ = writeln!(
                std::io::stdout().lock(),
                "The team vault on {} is copied to {} (no secret): reports read it while the server changes nothing, and keep it up to date.",
                vault.database_location(),
                path.display()
            );
            Ok(())
        }
    }
}

fn members_only_me(db: &Db) -> bool {
    team::members(&db.sql()).is_ok_and(|m| m.len() == 1)
}

fn run_members(
    args: &MembersArgs,
    url: &str,
    keychain: &dyn SecretStore,
    now: chrono::DateTime<Utc>,
) -> Result<(), Error> {
    let mut db = tokenkeeper_store_postgres::open(url)?;
    match args {
        MembersArgs::List { json } => {
            let members = team::members(&db.sql())?;
            if *json {
                return print_json(&members);
            }
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "Team on {}:", db.location());
            for m in &members {
                let _ = writeln!(
                    out,
                    "  {:<24} {}  added {}{}",
                    m.name,
                    m.fingerprint,
                    m.added_at.format("%Y-%m-%d"),
                    m.added_by
                        .as_deref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        MembersArgs::Add { name, key, json } => {
            let (me, my_key) = myself(&db, keychain)?;
            let member = team::add(&mut db, &my_key, &me.name, name, key, now)?;
            if *json {
                return print_json(&member);
            }
            let _ = writeln!(
                std::io::stdout().lock(),
                "{} added ({}); every shared secret is now readable with their key.",
                member.name,
                member.fingerprint
            );
            Ok(())
        }
        MembersArgs::Remove { name, yes, json } => {
            if !yes {
                return Err(Error::InvalidInput {
                    message: format!(
                        "removing {name} re-encrypts every shared secret without them: confirm with --yes"
                    ),
                });
            }
            let (me, my_key) = myself(&db, keychain)?;
            let removal = team::remove(&mut db, &my_key, &me.name, name, now)?;
            if *json {
                return print_json(&removal);
            }
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{} removed; {} shared secret(s) encrypted again without them. Their login to the database, if they had one of their own, is for its administrator to revoke.",
                removal.member.name, removal.rewrapped
            );
            if !removal.exposed.is_empty() {
                let _ = writeln!(
                    out,
                    "While in the team they could read, and may have copied:"
                );
                for e in &removal.exposed {
                    let _ = writeln!(
                        out,
                        "  - {}{}: {}",
                        e.client
                            .as_deref()
                            .map(|c| format!("{c}: "))
                            .unwrap_or_default(),
                        e.what,
                        e.rotate
                    );
                }
            }
            Ok(())
        }
    }
}

/// The member running the command, and their key.
fn myself(db: &Db, keychain: &dyn SecretStore) -> Result<(Member, team::MemberKey), Error> {
    let key =
        tokenkeeper_store_postgres::member_key(db, keychain)?.ok_or_else(|| Error::NotFound {
            what: format!("your team key for {}", db.location()),
            hint: ": only a member can add or remove members".to_owned(),
        })?;
    let me = team::member_holding(&db.sql(), &key)?;
    Ok((me, key))
}
