//! What crosses the storage interface: values bound to parameters ([`Arg`], [`ToArg`],
//! `args!`) and values read from rows ([`Cell`], [`Row`], [`FromCell`]), borrowed where they can
//! be.

use super::sql::{DbError, SqlResult};

/// A value bound to a statement's parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

/// A value read from a row, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// SQL NULL.
    Null,
    /// An integer (a boolean reads as 0 or 1).
    Int(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl<'a> Cell<'a> {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Cell::Null => "NULL",
            Cell::Int(_) => "an integer",
            Cell::Real(_) => "a real number",
            Cell::Text(_) => "text",
            Cell::Blob(_) => "bytes",
        }
    }

    /// The text, refusing anything else (NULL included).
    ///
    /// # Errors
    /// A [`FailureKind::Type`] failure when the value is not text.
    pub fn as_str(&self) -> SqlResult<&'a str> {
        match *self {
            Cell::Text(s) => Ok(s),
            ref other => Err(DbError::type_mismatch(0, "text", other)),
        }
    }

    /// The text, or `None` for NULL.
    ///
    /// # Errors
    /// A [`FailureKind::Type`] failure when the value is neither text nor NULL.
    pub fn as_str_or_null(&self) -> SqlResult<Option<&'a str>> {
        match *self {
            Cell::Null => Ok(None),
            Cell::Text(s) => Ok(Some(s)),
            ref other => Err(DbError::type_mismatch(0, "text or NULL", other)),
        }
    }
}

/// One row of a result, as a backend presents it.
pub trait RowRef {
    /// The value in column `i` (0-based).
    ///
    /// # Errors
    /// When the column does not exist or holds a type the interface does not carry.
    fn cell(&self, i: usize) -> SqlResult<Cell<'_>>;
}

/// One row of a result, for the vault: typed reads of its columns.
pub struct Row<'r>(pub(super) &'r dyn RowRef);

impl Row<'_> {
    /// Column `i` as `T`.
    ///
    /// # Errors
    /// A [`FailureKind::Type`] failure when the value does not fit `T`.
    pub fn get<T: FromCell>(&self, i: usize) -> SqlResult<T> {
        let cell = self.0.cell(i)?;
        T::from_cell(cell).ok_or_else(|| DbError::type_mismatch(i, T::WANTED, &cell))
    }

    /// Column `i` borrowed from the row, without copying text or bytes.
    ///
    /// # Errors
    /// When the column does not exist.
    pub fn get_ref(&self, i: usize) -> SqlResult<Cell<'_>> {
        self.0.cell(i)
    }
}

/// A Rust value a column can be read as.
pub trait FromCell: Sized {
    /// What the type is called in an error.
    const WANTED: &'static str;
    /// The value, or `None` when the cell does not fit.
    fn from_cell(cell: Cell<'_>) -> Option<Self>;
}

impl FromCell for i64 {
    const WANTED: &'static str = "an integer";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(i) => Some(i),
            _ => None,
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            const WANTED: &'static str = concat!("an integer fitting ", stringify!($t));
            fn from_cell(cell: Cell<'_>) -> Option<Self> {
                match cell {
                    Cell::Int(i) => <$t>::try_from(i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
narrow_int!(i32, u32, u64, usize, u8, u16, i16);

impl FromCell for bool {
    const WANTED: &'static str = "a boolean";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(i) => Some(i != 0),
            _ => None,
        }
    }
}

impl FromCell for f64 {
    const WANTED: &'static str = "a number";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Real(r) => Some(r),
            #[allow(clippy::cast_precision_loss)]
            Cell::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl FromCell for String {
    const WANTED: &'static str = "text";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.to_owned()),
            _ => None,
        }
    }
}

impl FromCell for Vec<u8> {
    const WANTED: &'static str = "bytes";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Blob(b) => Some(b.to_vec()),
            Cell::Text(s) => Some(s.as_bytes().to_vec()),
            _ => None,
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    const WANTED: &'static str = T::WANTED;
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

/// A Rust value that binds to a parameter.
pub trait ToArg {
    /// The value as a parameter.
    fn to_arg(&self) -> Arg<'_>;
}

impl ToArg for Arg<'_> {
    fn to_arg(&self) -> Arg<'_> {
        *self
    }
}

impl ToArg for i64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(*self)
    }
}

macro_rules! small_int {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg<'_> {
                Arg::Int(i64::from(*self))
            }
        }
    )*};
}
small_int!(i32, u32, u8, u16, i16);

impl ToArg for usize {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToArg for u64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToArg for bool {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl ToArg for f64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Real(*self)
    }
}

impl ToArg for str {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}

impl ToArg for String {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}

impl ToArg for [u8] {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}

impl ToArg for Vec<u8> {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg<'_> {
        (**self).to_arg()
    }
}

impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Some(v) => v.to_arg(),
            None => Arg::Null,
        }
    }
}

impl<T: ToArg + ?Sized> ToArg for Box<T> {
    fn to_arg(&self) -> Arg<'_> {
        (**self).to_arg()
    }
}

/// Parameters of a statement: `args![a, b]` binds `a` to `?1` and `b` to `?2`.
#[macro_export]
macro_rules! args {
    () => { &[] as &[$crate::db::Arg<'_>] };
    ($($e:expr),+ $(,)?) => { &[$($crate::db::ToArg::to_arg(&$e)),+] as &[$crate::db::Arg<'_>] };
}

/// Parameters from a list of values, for statements whose parameters are counted at run time.
pub fn args_from<T: ToArg>(values: &[T]) -> Vec<Arg<'_>> {
    values.iter().map(ToArg::to_arg).collect()
}
