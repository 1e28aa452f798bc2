/// A method as a header value: the elements of Allow (RFC 3261 §20.5), read with `headers.all(.allow, as:
/// SIPMethod.self)`.
///
/// ```
/// Allow = "Allow" HCOLON [Method *(COMMA Method)]
/// ```
///
/// Errors: `.badMethod` (400).
extension SIPMethod: SIPHeaderValue {
    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        let bytes = value.trimmingWhitespace()
        guard !bytes.isEmpty, bytes.allSatisfy(ASCII.isTokenChar) else {
            throw SIPParseError(.badMethod, "method '\(String(sipBytes: bytes))' is not a token")
        }
        self.init(bytes: bytes)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(rawValue, into: &buffer)
    }
}
