//! A tiny BER writer for fixtures: the same tree written with definite lengths (DER) or with
//! indefinite lengths on every constructed value (the BER ABM produces).

/// A value to encode.
#[derive(Debug, Clone)]
pub enum Node {
    /// Primitive: identifier octet and content.
    Prim(u8, Vec<u8>),
    /// Constructed: identifier octet (with the constructed bit) and children.
    Cons(u8, Vec<Node>),
    /// Bytes copied as they are (an already encoded Name).
    Raw(Vec<u8>),
}

impl Node {
    pub fn prim(tag: u8, body: Vec<u8>) -> Self {
        Node::Prim(tag, body)
    }

    pub fn seq(children: Vec<Node>) -> Self {
        Node::Cons(0x30, children)
    }

    pub fn int(value: u8) -> Self {
        Node::Prim(0x02, vec![value])
    }

    /// An OBJECT IDENTIFIER from dotted form.
    pub fn oid(dotted: &str) -> Self {
        let arcs: Vec<u64> = dotted
            .split('.')
            .map(|a| a.parse().expect("numeric arc"))
            .collect();
        let mut body = Vec::new();
        let mut push = |mut v: u64| {
            let mut bytes = vec![(v & 0x7f) as u8];
            v >>= 7;
            while v > 0 {
                bytes.push(0x80 | (v & 0x7f) as u8);
                v >>= 7;
            }
            bytes.reverse();
            body.extend(bytes);
        };
        push(arcs[0] * 40 + arcs[1]);
        for &arc in &arcs[2..] {
            push(arc);
        }
        Node::Prim(0x06, body)
    }

    /// Encodes the tree.
    pub fn encode(&self, indefinite: bool) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(indefinite, &mut out);
        out
    }

    fn write(&self, indefinite: bool, out: &mut Vec<u8>) {
        match self {
            Node::Raw(bytes) => out.extend_from_slice(bytes),
            Node::Prim(tag, body) => {
                out.push(*tag);
                write_len(body.len(), out);
                out.extend_from_slice(body);
            }
            Node::Cons(tag, children) => {
                out.push(*tag);
                let mut body = Vec::new();
                for child in children {
                    child.write(indefinite, &mut body);
                }
                if indefinite {
                    out.push(0x80);
                    out.extend_from_slice(&body);
                    out.extend_from_slice(&[0, 0]);
                } else {
                    write_len(body.len(), out);
                    out.extend_from_slice(&body);
                }
            }
        }
    }
}

fn write_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
}
