/// Turns the bytes of one complete message into a `SIPMessage` (RFC 3261 §7), in a single pass.
///
/// The parser only finds the structure: the start line, where each header field's name and value are, which
/// registered header each one is, and the body. It checks what it must to do that safely (line syntax, header
/// names, the limits, Content-Length against the bytes present) and leaves header values to the typed views, so
/// a proxy pays only for the headers it reads. Whole-message rules (required headers, CSeq against the method…)
/// live in `SIPMessage.validate()`.
///
/// Lenient where RFC 3261 asks to be (leading CRLFs before the start line, §7.5; bare LF line endings; folded
/// lines; any case in names), strict where a lenient reading would be ambiguous or dangerous (spaces in the
/// Request-URI, control characters in header lines, repeated Content-Length with different values).
enum SIPParser {
    static func parse(_ source: [UInt8], limits: SIPLimits) throws(SIPParseError) -> SIPMessage {
        guard source.count <= limits.maxMessageSize else {
            throw SIPParseError(
                .messageTooLarge, status: .messageTooLarge,
                "message of \(source.count) bytes exceeds the limit of \(limits.maxMessageSize)")
        }
        let layout = try source.withUnsafeBufferPointer { (buffer) throws(SIPParseError) -> Layout in
            try scan(buffer, limits: limits)
        }
        let startLine = try parseStartLine(source[layout.startLine], limits: limits)
        var headers = SIPHeaders(source: source, fields: layout.fields)
        let body = try extractBody(from: source, at: layout.bodyStart, headers: &headers, limits: limits)
        return SIPMessage(parsedStartLine: startLine, range: layout.startLine, headers: headers, body: body)
    }

    /// Where the parts of a message are.
    struct Layout {
        var startLine: Range<Int>
        var fields: [SIPHeaders.Field]
        var bodyStart: Int
    }

    // MARK: Lines and header fields

    /// Finds the start line, every header field and the start of the body.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: SIPLimits) throws(SIPParseError) -> Layout {
        let end = bytes.count
        var index = 0
        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        while index < end, bytes[index] == ASCII.cr || bytes[index] == ASCII.lf { index += 1 }
        guard index < end else { throw SIPParseError(.malformedStartLine, "empty message") }

        let startLineStart = index
        guard let startLineBreak = findLineBreak(bytes, from: index) else {
            throw SIPParseError(.incompleteHeaders, "no line break after the start line")
        }
        let startLine = startLineStart..<lineContentEnd(bytes, lineBreak: startLineBreak, lineStart: startLineStart)
        index = startLineBreak + 1

        let registry = HeaderRegistry.table
        var fields: [SIPHeaders.Field] = []
        fields.reserveCapacity(24)
        while true {
            guard index < end else {
                throw SIPParseError(.incompleteHeaders, "the header section does not end with an empty line")
            }
            if index > limits.maxHeaderSectionSize {
                throw SIPParseError(
                    .messageTooLarge, status: .messageTooLarge,
                    "header section exceeds the limit of \(limits.maxHeaderSectionSize) bytes")
            }
            let byte = bytes[index]
            if byte == ASCII.lf { return Layout(startLine: startLine, fields: fields, bodyStart: index + 1) }
            if byte == ASCII.cr {
                guard index + 1 < end, bytes[index + 1] == ASCII.lf else {
                    throw SIPParseError(.malformedHeader, "CR without LF in the header section")
                }
                return Layout(startLine: startLine, fields: fields, bodyStart: index + 2)
            }
            if ASCII.isWhitespace(byte) {
                throw SIPParseError(.malformedHeader, "continuation line with no header field before it")
            }
            let (field, next) = try scanField(bytes, at: index, limits: limits, registry: registry)
            fields.append(field)
            if fields.count > limits.maxHeaderCount {
                throw SIPParseError(
                    .tooManyHeaders, "more than \(limits.maxHeaderCount) header fields")
            }
            index = next
        }
    }

    /// Scans one header field starting at `lineStart`, with its continuation lines; returns the field and the
    /// index of the line after it.
    static func scanField(
        _ bytes: UnsafeBufferPointer<UInt8>, at lineStart: Int, limits: SIPLimits,
        registry: HeaderRegistry.LookupTable = HeaderRegistry.table
    ) throws(SIPParseError) -> (SIPHeaders.Field, Int) {
        var index = lineStart
        while index < bytes.count, ASCII.isTokenChar(bytes[index]) { index += 1 }
        let nameEnd = index
        guard nameEnd > lineStart else {
            throw SIPParseError(.badHeaderName, "header line does not start with a token")
        }
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == ASCII.colon else {
            throw SIPParseError(
                .malformedHeader,
                "header '\(String(sipBytes: UnsafeBufferPointer(rebasing: bytes[lineStart..<nameEnd])))' has no colon")
        }
        index += 1
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        let firstValueByte = index

        // The value runs to the end of the line, and on through continuation lines (those starting with SP/HTAB).
        // One pass: skip ordinary bytes eight at a time, and stop only at line endings, quotes, backslashes and
        // control characters. Header lines may hold UTF-8 text and HTAB, but no other control character: a NUL
        // or a bare CR inside a line is how header-injection and parser-confusion attacks start. The exception is
        // RFC 3261's `quoted-pair` inside a quoted string (`"\\" (%x00-09 / %x0B-0C / %x0E-7F)`), which RFC 4475's
        // intmeth uses for NUL, BEL and DEL in a display name; CR and LF can never be escaped. The quoting state
        // carries from one line of a folded field to the next.
        var isFolded = false
        var inQuotes = false
        index = firstValueByte
        var lineBreak: Int
        scanning: while true {
            index = nextSpecialByte(bytes, from: index)
            guard index < bytes.count else {
                throw SIPParseError(.incompleteHeaders, "header field without a line ending")
            }
            switch bytes[index] {
            case ASCII.lf:
                if index + 1 < bytes.count, ASCII.isWhitespace(bytes[index + 1]) {
                    isFolded = true
                    index += 1
                    continue scanning
                }
                lineBreak = index
                break scanning
            case ASCII.cr:
                guard index + 1 < bytes.count, bytes[index + 1] == ASCII.lf else {
                    throw SIPParseError(.badHeaderValue, "control character 0xd in a header line")
                }
                index += 1
            case ASCII.tab:
                index += 1
            case ASCII.quote:
                inQuotes.toggle()
                index += 1
            case ASCII.backslash:
                // A line ending cannot be escaped: before CR or LF the backslash is plain text, and the ending is
                // handled as one (a bare CR is rejected there).
                if inQuotes, index + 1 < bytes.count, bytes[index + 1] != ASCII.cr, bytes[index + 1] != ASCII.lf {
                    index += 2
                } else {
                    index += 1
                }
            case let byte:
                throw SIPParseError(
                    .badHeaderValue, "control character 0x\(String(byte, radix: 16)) in a header line")
            }
        }
        let lineEnd = lineContentEnd(bytes, lineBreak: lineBreak, lineStart: lineStart)
        guard lineEnd - lineStart <= limits.maxHeaderLength else {
            throw SIPParseError(
                .headerTooLong, "a header field is longer than \(limits.maxHeaderLength) bytes")
        }
        // The value has no white space around it, folds included: `Content-Length:` CRLF SP `8` is `8`
        // (RFC 3261 §7.3.1: HCOLON ends with SWS, which may be a fold; so may the LWS after the value).
        var valueStart = firstValueByte
        while valueStart < lineEnd, isLinearWhiteSpace(bytes[valueStart]) { valueStart += 1 }
        var valueEnd = max(lineEnd, valueStart)
        while valueEnd > valueStart, isLinearWhiteSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }

        let registryIndex = registry.lookup(UnsafeBufferPointer(rebasing: bytes[lineStart..<nameEnd]))
        let field = SIPHeaders.Field(
            registryIndex: registryIndex,
            storage: .original(
                line: lineStart..<lineEnd, name: lineStart..<nameEnd, value: valueStart..<valueEnd,
                isFolded: isFolded))
        return (field, lineBreak + 1)
    }

    /// SP, HTAB, CR or LF: what a folded value may start or end with.
    @inline(__always)
    static func isLinearWhiteSpace(_ byte: UInt8) -> Bool {
        ASCII.isWhitespace(byte) || byte == ASCII.cr || byte == ASCII.lf
    }

    /// The index of the next LF at or after `start`.
    @inline(__always)
    static func findLineBreak(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == ASCII.lf { return index }
            index += 1
        }
        return nil
    }

    /// The end of a line's content: the LF, or the CR before it.
    @inline(__always)
    static func lineContentEnd(_ bytes: UnsafeBufferPointer<UInt8>, lineBreak: Int, lineStart: Int) -> Int {
        lineBreak > lineStart && bytes[lineBreak - 1] == ASCII.cr ? lineBreak - 1 : lineBreak
    }

    /// The high bit of each zero byte of `word` (and possibly of bytes above the lowest zero byte).
    @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// The index of the next byte at or after `start` that the field scanner must look at (a control character,
    /// DEL, `"` or `\\`), or `bytes.count`. Eight bytes at a time: a header value is mostly ordinary text.
    @inline(__always)
    static func nextSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let end = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            // A byte is flagged when it is below 0x20, or equal to 0x22, 0x5C or 0x7F ("has zero byte" tricks).
            // Only bytes above a true match can be flagged falsely, so the lowest flag is always a real one.
            let controls = (word &- ones &* 0x20) & ~word & highBits
            let quotes = hasZeroByte(word ^ (ones &* 0x22))
            let backslashes = hasZeroByte(word ^ (ones &* 0x5C))
            let deletes = hasZeroByte(word ^ (ones &* 0x7F))
            let found = controls | quotes | backslashes | deletes
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash || byte == 0x7F { return index }
            index += 1
        }
        return end
    }

    // MARK: Start line

    static func parseStartLine(_ line: ArraySlice<UInt8>, limits: SIPLimits) throws(SIPParseError) -> StartLine {
        if line.count >= 4, line.prefix(4).equalsCaseInsensitive("sip/".utf8) {
            return .response(try parseStatusLine(line))
        }
        return .request(try parseRequestLine(line, limits: limits))
    }

    /// `Method SP Request-URI SP SIP-Version`, with exactly one space between the parts (RFC 3261 §7.1; RFC 4475
    /// §3.1.2.7 and §3.1.2.8 are requests that break this rule and must be rejected).
    static func parseRequestLine(_ line: ArraySlice<UInt8>, limits: SIPLimits) throws(SIPParseError) -> RequestLine {
        guard let firstSpace = line.firstIndex(of: ASCII.space) else {
            throw SIPParseError(.malformedStartLine, "request line without spaces")
        }
        let method = line[line.startIndex..<firstSpace]
        guard !method.isEmpty, method.allSatisfy(ASCII.isTokenChar) else {
            throw SIPParseError(.badMethod, "method is not a token")
        }
        guard let lastSpace = line.lastIndex(of: ASCII.space), lastSpace > firstSpace + 1 else {
            throw SIPParseError(.malformedStartLine, "request line is not 'Method SP Request-URI SP SIP-Version'")
        }
        let uri = line[(firstSpace + 1)..<lastSpace]
        if uri.count > limits.maxRequestURILength {
            throw SIPParseError(
                .requestURITooLong, status: .requestURITooLong,
                "Request-URI of \(uri.count) bytes exceeds the limit of \(limits.maxRequestURILength)")
        }
        if let bad = uri.first(where: { $0 <= ASCII.space || $0 == 0x7F }) {
            throw SIPParseError(
                .malformedURI,
                bad == ASCII.space ? "white space inside the Request-URI" : "control character in the Request-URI")
        }
        let versionBytes = line[(lastSpace + 1)...]
        guard let version = SIPVersion(bytes: versionBytes) else {
            throw SIPParseError(.malformedStartLine, "request line does not end with a SIP version")
        }
        guard version == .sip2 else {
            throw SIPParseError(.badVersion, status: .versionNotSupported, "\(version) is not supported")
        }
        return RequestLine(method: SIPMethod(bytes: method), uri: uri, version: version)
    }

    /// `SIP-Version SP Status-Code SP Reason-Phrase`; an empty reason phrase is accepted (RFC 4475 §3.1.1.13).
    static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(SIPParseError) -> StatusLine {
        guard let firstSpace = line.firstIndex(of: ASCII.space) else {
            throw SIPParseError(.malformedStartLine, "status line without a status code")
        }
        guard let version = SIPVersion(bytes: line[line.startIndex..<firstSpace]) else {
            throw SIPParseError(.malformedStartLine, "status line does not start with a SIP version")
        }
        guard version == .sip2 else {
            throw SIPParseError(.badVersion, status: .versionNotSupported, "\(version) is not supported")
        }
        let rest = line[(firstSpace + 1)...]
        let codeEnd = rest.firstIndex(of: ASCII.space) ?? rest.endIndex
        let codeBytes = rest[rest.startIndex..<codeEnd]
        guard codeBytes.count == 3, let code = codeBytes.parseDecimal(), (100...699).contains(code) else {
            throw SIPParseError(.badStatusCode, "status code is not three digits from 100 to 699")
        }
        let reason = codeEnd < rest.endIndex ? rest[(codeEnd + 1)...] : []
        // Reason-Phrase is text, SP and HTAB (RFC 3261 §25.1): no control character reaches a log line.
        if reason.contains(where: { $0 < 0x20 && $0 != ASCII.tab || $0 == 0x7F }) {
            throw SIPParseError(.malformedStartLine, "control character in the reason phrase")
        }
        return StatusLine(version: version, code: code, reason: String(sipBytes: reason))
    }

    // MARK: Body

    /// The body is what Content-Length says (RFC 3261 §18.3); without Content-Length (allowed on UDP), the rest
    /// of the datagram.
    static func extractBody(
        from source: [UInt8], at bodyStart: Int, headers: inout SIPHeaders, limits: SIPLimits
    ) throws(SIPParseError) -> ArraySlice<UInt8> {
        let available = source.count - bodyStart
        guard let declared = try declaredContentLength(headers) else {
            guard available <= limits.maxBodySize else {
                throw SIPParseError(
                    .bodyTooLarge, status: .requestEntityTooLarge,
                    "body of \(available) bytes exceeds the limit of \(limits.maxBodySize)")
            }
            return source[bodyStart...]
        }
        guard declared <= limits.maxBodySize else {
            throw SIPParseError(
                .bodyTooLarge, status: .requestEntityTooLarge,
                "Content-Length \(declared) exceeds the body limit of \(limits.maxBodySize)")
        }
        guard declared <= available else {
            throw SIPParseError(
                .badContentLength, "Content-Length \(declared) is larger than the \(available) bytes received")
        }
        return source[bodyStart..<(bodyStart + declared)]
    }

    /// The Content-Length value; repeated fields must agree (RFC 7230 §3.3.2's rule, the same smuggling hazard).
    static func declaredContentLength(_ headers: SIPHeaders) throws(SIPParseError) -> Int? {
        var result: Int?
        let contentLength = HeaderName.contentLength.registryIndex
        for field in headers.fields where field.registryIndex == contentLength {
            guard case .original(_, _, let range, let isFolded) = field.storage else { continue }
            let value = isFolded ? SIPHeaders.unfold(headers.source[range]) : headers.source[range]
            guard let length = value.parseDecimal(maximum: Int(Int32.max)) else {
                throw SIPParseError(.badContentLength, "Content-Length '\(String(sipBytes: value))' is not a number")
            }
            if let result, result != length {
                throw SIPParseError(.badContentLength, "Content-Length given twice with different values")
            }
            result = length
        }
        return result
    }
}
