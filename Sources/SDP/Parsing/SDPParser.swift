/// Turns bytes into a `SessionDescription` (RFC 8866 §5, §9).
///
/// Lines end in CRLF or a bare LF (RFC 8866 §5 asks parsers to accept LF); a CR anywhere else and NUL are refused.
/// An empty line is allowed only at the end, where SIP bodies often carry one. Known line types may come in any
/// order within their section (real user agents get the order wrong); they are stored by type and serialized in
/// RFC order, so only descriptions that were already in RFC order round-trip byte for byte. Text is decoded as
/// UTF-8 (RFC 8866 §5: `a=charset` aside), with invalid sequences replaced.
///
/// Every bound in `limits` is checked before the work it guards, numbers are parsed with overflow checks, and no
/// input can trap.
public struct SDPParser: Sendable {
    public var limits: SDPLimits

    /// Whether the parser rejects a description (`.badAttribute`) when an attribute that decides the media path or
    /// its security is malformed: `rtpmap`, `fmtp`, `crypto`, `fingerprint`, `setup`, `rtcp`. Default `true`, so
    /// the typed views of those attributes never silently skip a line of a parsed description. ICE candidates are
    /// not checked: an anchoring SBC strips them, and one odd candidate extension must not fail a call.
    public var validatesKnownAttributes: Bool

    public init(limits: SDPLimits = SDPLimits(), validatesKnownAttributes: Bool = true) {
        self.limits = limits
        self.validatesKnownAttributes = validatesKnownAttributes
    }

    static let validators: [String: @Sendable (String) -> Bool] = [
        RTPMap.attributeName: { RTPMap(attributeValue: $0) != nil },
        FormatParameters.attributeName: { FormatParameters(attributeValue: $0) != nil },
        CryptoAttribute.attributeName: { CryptoAttribute(attributeValue: $0) != nil },
        Fingerprint.attributeName: { Fingerprint(attributeValue: $0) != nil },
        SetupRole.attributeName: { SetupRole(attributeValue: $0) != nil },
        RTCPAttribute.attributeName: { RTCPAttribute(attributeValue: $0) != nil },
    ]

    public func parse(_ bytes: some Collection<UInt8>) throws(SDPParseError) -> SessionDescription {
        let size = bytes.count
        guard size <= limits.maxSize else {
            throw SDPParseError(.tooLarge, line: 0, "\(size) bytes, limit \(limits.maxSize)")
        }
        let buffer = Array(bytes)
        var builder = SDPBuilder(limits: limits, validators: validatesKnownAttributes ? Self.validators : [:])
        var lineNumber = 0
        var start = 0
        var firstEmptyLine: Int?
        while start < buffer.count {
            lineNumber += 1
            guard lineNumber <= limits.maxLines else {
                throw SDPParseError(.tooManyLines, line: lineNumber, "more than \(limits.maxLines) lines")
            }
            var end = start
            while end < buffer.count, buffer[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start, buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let line = buffer[start..<contentEnd]
            start = end + 1

            guard line.count <= limits.maxLineLength else {
                throw SDPParseError(
                    .lineTooLong, line: lineNumber, "\(line.count) bytes, limit \(limits.maxLineLength)")
            }
            if let bad = line.firstIndex(where: { $0 == 0x00 || $0 == 0x0D }) {
                throw SDPParseError(
                    .illegalCharacter, line: lineNumber,
                    buffer[bad] == 0 ? "NUL byte" : "CR not followed by LF")
            }
            if line.isEmpty {
                if firstEmptyLine == nil { firstEmptyLine = lineNumber }
                continue
            }
            if let firstEmptyLine {
                throw SDPParseError(
                    .malformedLine, line: firstEmptyLine, "empty line before the end of the description")
            }
            try builder.consume(line, lineNumber: lineNumber)
        }
        return try builder.finish()
    }

    public func parse(_ text: String) throws(SDPParseError) -> SessionDescription {
        try parse(text.utf8)
    }
}
