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
        buffer.reserveCapacity(headers.source.count + headers.appended.count + 64)
        serialize(into: &buffer)
        return buffer
    }

    public func serialize(into buffer: inout [UInt8]) {
        let source = headers.source
        // Untouched lines that follow each other in `source` and end in CRLF there are copied as one run.
        var run = 0..<0
        func flush(_ buffer: inout [UInt8]) {
            if !run.isEmpty { buffer.append(contentsOf: source[run]) }
            run = 0..<0
        }
        func copyLine(_ line: Range<Int>, _ buffer: inout [UInt8]) {
            let end = line.upperBound
            if end + 1 < source.count, source[end] == ASCII.cr, source[end + 1] == ASCII.lf {
                if !run.isEmpty && run.upperBound == line.lowerBound {
                    run = run.lowerBound..<(end + 2)
                } else {
                    flush(&buffer)
                    run = line.lowerBound..<(end + 2)
                }
            } else {
                flush(&buffer)
                buffer.append(contentsOf: source[line])
                buffer.append(ASCII.cr)
                buffer.append(ASCII.lf)
            }
        }
        if let range = originalStartLine {
            copyLine(range, &buffer)
        } else {
            writeStartLine(into: &buffer)
        }
        var wroteContentLength = false
        let contentLength = HeaderName.contentLength.registryIndex
        for field in headers.fields {
            if field.registryIndex == contentLength {
                // One Content-Length, and it must be true.
                if wroteContentLength { continue }
                wroteContentLength = true
                if case .original(let line, _, let value, _) = field.storage, source[value].parseDecimal() == body.count
                {
                    copyLine(line, &buffer)
                } else {
                    flush(&buffer)
                    Self.writeContentLength(body.count, into: &buffer)
                }
                continue
            }
            switch field.storage {
            case .original(let line, _, _, let isFolded):
                if isFolded {
                    flush(&buffer)
                    Self.appendWithCRLF(source[line], into: &buffer)
                    buffer.append(ASCII.cr)
                    buffer.append(ASCII.lf)
                } else {
                    copyLine(line, &buffer)
                }
            case .rewritten(let name, let value):
                flush(&buffer)
                buffer.append(contentsOf: name.canonical.utf8)
                buffer.append(ASCII.colon)
                buffer.append(ASCII.space)
                buffer.append(contentsOf: headers.appended[value])
                buffer.append(ASCII.cr)
                buffer.append(ASCII.lf)
            }
        }
        flush(&buffer)
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
                HeaderWriting.appendDecimal(line.code, into: &buffer)
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
        HeaderWriting.appendDecimal(length, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }
}
