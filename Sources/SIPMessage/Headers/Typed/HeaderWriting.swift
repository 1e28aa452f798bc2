/// The canonical forms every typed view writes: tokens, quoted strings, numbers.
///
/// Values built in code can hold any text, and a header value is copied to the wire as it is, so nothing written
/// here may contain CR, LF or another control character (a header-injection hazard): those become a space.
enum HeaderWriting {
    /// Text that is written bare (a token, a host, a number spelled as text), with control characters replaced.
    static func appendText(_ text: String, into buffer: inout [UInt8]) {
        // Text without control characters (nearly all) is copied in one go.
        guard text.utf8.contains(where: isControl) else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 { buffer.append(isControl(byte) ? ASCII.space : byte) }
    }

    /// `DQUOTE *(qdtext / quoted-pair) DQUOTE`: `"` and `\` are escaped, and so are the control characters a
    /// quoted-pair may carry (`"\\" (%x00-09 / %x0B-0C / %x0E-7F)`, RFC 3261 §25.1), so a display name such as
    /// RFC 4475's intmeth `"BEL:\<07>"` survives parse → write → parse. CR and LF can never be escaped: they
    /// become a space.
    static func appendQuoted(_ text: String, into buffer: inout [UInt8]) {
        buffer.append(ASCII.quote)
        for byte in text.utf8 {
            if byte == ASCII.cr || byte == ASCII.lf {
                buffer.append(ASCII.space)
                continue
            }
            if byte == ASCII.quote || byte == ASCII.backslash || isControl(byte) { buffer.append(ASCII.backslash) }
            buffer.append(byte)
        }
        buffer.append(ASCII.quote)
    }

    /// A token, or a quoted string when `text` is not a valid token.
    static func appendTokenOrQuoted(_ text: String, into buffer: inout [UInt8]) {
        if isToken(text) { appendText(text, into: &buffer) } else { appendQuoted(text, into: &buffer) }
    }

    /// The number's decimal digits (with `-` when negative), written without going through `String`: CSeq,
    /// Max-Forwards, ports, Expires, status codes and Content-Length of every message written.
    static func appendDecimal(_ value: some BinaryInteger, into buffer: inout [UInt8]) {
        guard let magnitude = UInt64(exactly: value.magnitude) else {
            buffer.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        var rest = magnitude
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Whether `text` is a non-empty RFC 3261 token.
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.utf8.isEmpty && text.utf8.allSatisfy(ASCII.isTokenChar)
    }

    static func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F }

    /// Serializes one value into a fresh buffer.
    static func bytes(_ write: (inout [UInt8]) -> Void) -> [UInt8] {
        var buffer: [UInt8] = []
        // Most header values fit: one allocation instead of the growth steps from empty.
        buffer.reserveCapacity(96)
        write(&buffer)
        return buffer
    }
}
