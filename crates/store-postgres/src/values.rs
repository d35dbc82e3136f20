//! Values across the wire: the vault's parameters encoded as the type PostgreSQL inferred for
//! each, and result columns read as the interface's cells by their column type.

use std::error::Error as StdError;
use std::fmt;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokenkeeper_core::db::{Arg, Cell, DbError, FailureKind, RowRef, SqlResult};

/// A parameter, encoded by the type the server inferred for it. Its `Debug` never shows the
/// value (the driver logs parameters at debug level).
pub(crate) struct Param<'a>(pub(crate) Arg<'a>);

impl fmt::Debug for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<parameter>")
    }
}

/// Why a parameter could not be encoded: names the types, never the value.
#[derive(Debug)]
pub(crate) struct ParamError(pub(crate) String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for ParamError {}

fn kind_name(arg: &Arg<'_>) -> &'static str {
    match arg {
        Arg::Null => "NULL",
        Arg::Int(_) => "an integer",
        Arg::Real(_) => "a real number",
        Arg::Text(_) => "text",
        Arg::Blob(_) => "bytes",
    }
}

type Encoded = Result<IsNull, Box<dyn StdError + Sync + Send>>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Encoded {
        let mismatch = || -> Encoded {
            Err(Box::new(ParamError(format!(
                "{} cannot be sent where PostgreSQL expects {}",
                kind_name(&self.0),
                ty.name()
            ))))
        };
        let out_of_range = || -> Encoded {
            Err(Box::new(ParamError(format!(
                "an integer out of the range of PostgreSQL's {}",
                ty.name()
            ))))
        };
        match (self.0, ty) {
            (Arg::Null, _) => Ok(IsNull::Yes),
            (Arg::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Arg::Int(i), &Type::INT4) => match i32::try_from(i) {
                Ok(v) => v.to_sql(ty, out),
                Err(_) => out_of_range(),
            },
            (Arg::Int(i), &Type::INT2) => match i16::try_from(i) {
                Ok(v) => v.to_sql(ty, out),
                Err(_) => out_of_range(),
            },
            (Arg::Int(i @ (0 | 1)), &Type::BOOL) => (i == 1).to_sql(ty, out),
            (Arg::Int(_), &Type::BOOL) => out_of_range(),
            #[allow(clippy::cast_precision_loss)]
            (Arg::Int(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (Arg::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            #[allow(clippy::cast_possible_truncation)]
            (Arg::Real(r), &Type::FLOAT4) => (r as f32).to_sql(ty, out),
            (Arg::Text(s), t) if is_text(t) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            // A parameter PostgreSQL could not type (unknown) takes its text form.
            (Arg::Int(i), &Type::UNKNOWN) => {
                out.extend_from_slice(i.to_string().as_bytes());
                Ok(IsNull::No)
            }
            (Arg::Blob(b), &Type::BYTEA) => {
                out.extend_from_slice(b);
                Ok(IsNull::No)
            }
            (Arg::Text(s), &Type::BYTEA) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            (Arg::Text(s), &Type::JSON) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            (Arg::Text(s), &Type::JSONB) => {
                // JSONB's binary form: a version byte, then the text.
                out.extend_from_slice(&[1]);
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            _ => mismatch(),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Every type is accepted here; `to_sql` refuses what does not fit, with a message.
        true
    }

    to_sql_checked!();
}

fn is_text(t: &Type) -> bool {
    matches!(
        *t,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
    )
}

/// A result row as the interface reads it.
pub(crate) struct PgRow<'r>(pub(crate) &'r postgres::Row);

fn read_failed(i: usize, e: &postgres::Error) -> DbError {
    DbError::new(FailureKind::Type, format!("column {i}: {e}"))
}

impl RowRef for PgRow<'_> {
    fn cell(&self, i: usize) -> SqlResult<Cell<'_>> {
        let row = self.0;
        let Some(column) = row.columns().get(i) else {
            return Err(DbError::new(
                FailureKind::Other,
                format!("no column {i}: the row has {}", row.columns().len()),
            ));
        };
        let cell = match *column.type_() {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Int)),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)
                .map(|v| v.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)
                .map(|v| v.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))),
            Type::FLOAT8 => row
                .try_get::<_, Option<f64>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Real)),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(i)
                .map(|v| v.map_or(Cell::Null, |v| Cell::Real(f64::from(v)))),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
                .try_get::<_, Option<&str>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Text)),
            Type::BYTEA => row
                .try_get::<_, Option<&[u8]>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Blob)),
            ref other => {
                return Err(DbError::new(
                    FailureKind::Type,
                    format!(
                        "column {i} ({}) has PostgreSQL type {}, which TokenKeeper does not read (cast it to bigint, double precision or text)",
                        column.name(),
                        other.name()
                    ),
                ));
            }
        };
        cell.map_err(|e| read_failed(i, &e))
    }
}
