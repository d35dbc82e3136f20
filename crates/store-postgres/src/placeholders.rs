//! The vault's `?1` parameters as PostgreSQL's `$1`, rewritten only where SQL reads them: never
//! inside a string literal, a quoted identifier or a comment.

/// `sql` with every `?N` outside literals, quoted identifiers and comments written `$N`. A `?`
/// without digits is left as it is (PostgreSQL's own operators use it).
pub(crate) fn translate(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    // Copies from `start` to `i` (always at a char boundary: every byte examined is ASCII).
    let mut start = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                // E'...' strings take backslash escapes.
                let escapes =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !is_word(b[i - 2]));
                i = skip_quoted(b, i, b'\'', escapes);
            }
            b'"' => i = skip_quoted(b, i, b'"', false),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in PostgreSQL.
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'?' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push_str(&sql[start..i]);
                out.push('$');
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[start..]);
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The index just past the quoted text opening at `i` (a doubled quote stands for itself), or
/// the end of the text when it is never closed.
fn skip_quoted(b: &[u8], mut i: usize, quote: u8, escapes: bool) -> usize {
    i += 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn parameters_become_dollars() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c IN (?2, ?10)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $10)"
        );
    }

    #[test]
    fn literals_identifiers_and_comments_are_untouched() {
        let sql =
            "SELECT '?1', 'it''s ?2', \"col?3\", E'\\'?4' -- ?5\n, ?6 /* ?7 /* ?8 */ ?9 */, ?11";
        assert_eq!(
            translate(sql),
            "SELECT '?1', 'it''s ?2', \"col?3\", E'\\'?4' -- ?5\n, $6 /* ?7 /* ?8 */ ?9 */, $11"
        );
    }

    #[test]
    fn a_bare_question_mark_and_unicode_stay() {
        assert_eq!(
            translate("SELECT 'é' || ?1, doc ? 'key' FROM t WHERE n = 'ü?1'"),
            "SELECT 'é' || $1, doc ? 'key' FROM t WHERE n = 'ü?1'"
        );
        assert_eq!(
            translate("SELECT 'never closed ?1"),
            "SELECT 'never closed ?1"
        );
    }
}
