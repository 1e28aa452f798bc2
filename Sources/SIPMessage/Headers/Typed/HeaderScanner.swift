/// A cursor over the bytes of one header value, with the lexical rules of RFC 3261 §25.1 that every typed view
/// shares: linear white space, tokens, quoted strings.
///
/// Every error it raises carries the code of the header being parsed (`.badVia` for a Via, …), so the caller's
/// code is what a test or counter sees. Each step consumes at least one byte or stops, so a scan never loops.
struct HeaderScanner {
    let bytes: ArraySlice<UInt8>
    private(set) var index: Int
    /// The error code of the header being parsed.
    let code: SIPParseError.Code
    /// The header's name, for error details.
    let header: String

    init(_ bytes: ArraySlice<UInt8>, code: SIPParseError.Code, header: String) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.code = code
        self.header = header
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    /// The bytes not yet consumed.
    var remaining: ArraySlice<UInt8> { bytes[index...] }

    func error(_ detail: String) -> SIPParseError {
        SIPParseError(code, "\(header): \(detail)")
    }

    /// Skips SP, HTAB and line breaks (values are unfolded, but a value set in code may hold anything).
    mutating func skipWhitespace() {
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard ASCII.isWhitespace(byte) || byte == ASCII.cr || byte == ASCII.lf else { return }
            index += 1
        }
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `byte` or throws, naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(SIPParseError) {
        guard consume(byte) else {
            throw error(isAtEnd ? "\(what) expected at the end" : "\(what) expected, found '\(describe(peek))'")
        }
    }

    /// Consumes bytes while `predicate` holds; returns them (possibly none).
    mutating func scan(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.endIndex, predicate(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    /// `token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")`.
    mutating func token(_ what: String) throws(SIPParseError) -> ArraySlice<UInt8> {
        let token = scan(while: ASCII.isTokenChar)
        guard !token.isEmpty else {
            throw error(isAtEnd ? "\(what) expected at the end" : "\(what) expected, found '\(describe(peek))'")
        }
        return token
    }

    /// A token as text.
    mutating func tokenString(_ what: String) throws(SIPParseError) -> String {
        String(sipBytes: try token(what))
    }

    /// `quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE`, positioned on the opening quote; returns the
    /// content with its escapes removed.
    ///
    /// `qdtext` is LWS, `%x21 / %x23-5B / %x5D-7E` or UTF-8 beyond ASCII; `quoted-pair = "\" (%x00-09 / %x0B-0C /
    /// %x0E-7F)`. An unescaped control character other than HTAB is refused. An escaped one is legal (RFC 4475's
    /// intmeth test puts NUL, BEL and DEL in a display name) and is kept in the result, except CR and LF, which no
    /// quoted-pair may hold; whoever logs such a value must escape it, and `HeaderWriting` never writes it back.
    mutating func quotedString() throws(SIPParseError) -> String {
        try expect(ASCII.quote, "'\"'")
        var content: [UInt8] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if byte == ASCII.quote { return String(sipBytes: content) }
            if byte == ASCII.backslash {
                guard index < bytes.endIndex else { break }
                let escaped = bytes[index]
                index += 1
                guard escaped != ASCII.cr, escaped != ASCII.lf else {
                    throw error("CR or LF escaped in a quoted string")
                }
                content.append(escaped)
                continue
            }
            guard byte >= 0x20 || byte == ASCII.tab, byte != 0x7F else {
                throw error("control character 0x\(String(byte, radix: 16)) in a quoted string")
            }
            content.append(byte)
        }
        throw error("unterminated quoted string")
    }

    /// Throws unless only white space is left.
    mutating func expectEnd(_ what: String) throws(SIPParseError) {
        skipWhitespace()
        guard isAtEnd else { throw error("unexpected '\(describe(peek))' after \(what)") }
    }

    /// One byte for an error detail: printable ASCII as itself, anything else as hex.
    func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "end" }
        return byte > 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x\(String(byte, radix: 16))"
    }
}
