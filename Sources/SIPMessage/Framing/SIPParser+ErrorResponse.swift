/// What a server needs to answer a request it could not parse.
///
/// When parsing fails in the start line (a bad SIP version → 505, a Request-URI that is too long → 414, spaces in
/// the Request-URI → 400) or in the body (Content-Length larger than the datagram → 400, a body over the limit →
/// 413), the header section may still be intact, and RFC 3261 wants an answer rather than silence. This reads the
/// header section alone, keeping the start line's method, so a response can be built from Via, From, To,
/// Call-ID and CSeq. It returns nil when there is nothing to answer: a response, no recognizable method, or a
/// broken header section.
extension SIPMessage {
    public static func requestForErrorResponse(
        _ bytes: [UInt8], limits: SIPLimits = SIPLimits()
    )
        -> SIPMessage?
    {
        guard bytes.count <= max(limits.maxMessageSize, 1 << 20) else { return nil }
        var lenient = limits
        lenient.maxRequestURILength = Int.max
        lenient.maxBodySize = Int.max
        lenient.maxHeaderSectionSize = max(limits.maxHeaderSectionSize, bytes.count)
        // A datagram may end right after its last header line (RFC 4475 §3.1.2.15): close the section for it.
        let bytes = bytes + [ASCII.cr, ASCII.lf, ASCII.cr, ASCII.lf]
        guard
            let layout = try? bytes.withUnsafeBufferPointer({ (buffer) throws(SIPParseError) -> SIPParser.Layout in
                try SIPParser.scan(buffer, limits: lenient)
            })
        else { return nil }
        let line = bytes[layout.startLine]
        guard let space = line.firstIndex(of: ASCII.space) else { return nil }
        let method = line[line.startIndex..<space]
        guard !method.isEmpty, method.allSatisfy(ASCII.isTokenChar),
            !method.prefix(4).equalsCaseInsensitive("sip/".utf8)
        else { return nil }
        let headers = SIPHeaders(source: bytes, fields: layout.fields)
        return SIPMessage(
            startLine: .request(RequestLine(method: SIPMethod(bytes: method), uri: [UInt8]())), headers: headers)
    }
}
