/// Writes a message back to bytes.
///
/// What nobody touched (the start line, each header field) is copied from the parsed bytes as it was, so a proxy
/// changes only what it means to change; what was set in code is written in canonical form (`Name: value`).
/// Line endings are always CRLF, and Content-Length always states the length of the body actually written: a
/// stale or missing one is rewritten or added.
extension SIPMessage {
    /// The message as bytes for the wire.
    public func serialize() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(headers.source.count + 64)
        serialize(into: &buffer)
        return buffer
    }

    public func serialize(into buffer: inout [UInt8]) {
        writeStartLine(into: &buffer)
        var wroteContentLength = false
        for index in headers.fields.indices {
            let field = headers.fields[index]
            if field.registryIndex == HeaderName.contentLength.registryIndex {
                // One Content-Length, and it must be true.
                if wroteContentLength { continue }
                wroteContentLength = true
                if case .original(let line, _, let value, _) = field.storage,
                    headers.source[value].parseDecimal() == body.count
                {
                    buffer.append(contentsOf: headers.source[line])
                    buffer.append(ASCII.cr)
                    buffer.append(ASCII.lf)
                } else {
                    Self.writeContentLength(body.count, into: &buffer)
                }
                continue
            }
            switch field.storage {
            case .original(let line, _, _, let isFolded):
                if isFolded {
                    Self.appendWithCRLF(headers.source[line], into: &buffer)
                } else {
                    buffer.append(contentsOf: headers.source[line])
                }
            case .rewritten(let name, let value):
                buffer.append(contentsOf: name.canonical.utf8)
                buffer.append(ASCII.colon)
                buffer.append(ASCII.space)
                buffer.append(contentsOf: value)
            }
            buffer.append(ASCII.cr)
            buffer.append(ASCII.lf)
        }
        if !wroteContentLength { Self.writeContentLength(body.count, into: &buffer) }
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        buffer.append(contentsOf: body)
    }

    private func writeStartLine(into buffer: inout [UInt8]) {
        if let range = originalStartLine {
            buffer.append(contentsOf: headers.source[range])
        } else {
            switch startLine {
            case .request(let line):
                buffer.append(contentsOf: line.method.rawValue.utf8)
                buffer.append(ASCII.space)
                buffer.append(contentsOf: line.uri)
                buffer.append(ASCII.space)
                buffer.append(contentsOf: line.version.description.utf8)
            case .response(let line):
                buffer.append(contentsOf: line.version.description.utf8)
                buffer.append(ASCII.space)
                Self.writeDecimal(line.code, into: &buffer)
                buffer.append(ASCII.space)
                buffer.append(contentsOf: line.reason.utf8)
            }
        }
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// A folded field as it was, except that a bare LF inside it (a message with bare-LF line endings) becomes
    /// CRLF, so that everything written ends its lines with CRLF.
    private static func appendWithCRLF(_ line: ArraySlice<UInt8>, into buffer: inout [UInt8]) {
        var previous: UInt8 = 0
        for byte in line {
            if byte == ASCII.lf && previous != ASCII.cr { buffer.append(ASCII.cr) }
            buffer.append(byte)
            previous = byte
        }
    }

    private static func writeContentLength(_ length: Int, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "Content-Length: ".utf8)
        writeDecimal(length, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// Decimal digits of a non-negative number, without going through `String`.
    static func writeDecimal(_ value: Int, into buffer: inout [UInt8]) {
        guard value > 0 else {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }
}
