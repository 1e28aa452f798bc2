import Testing

@testable import SIPMessage

/// The error `body` throws, if it is a `SIPParseError`; nil when it does not throw.
func typedHeaderError(_ body: () throws -> Void) -> SIPParseError? {
    do {
        try body()
        return nil
    } catch let error as SIPParseError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// The code of the error parsing `text` as `V` throws; nil when it parses. Every header error answers 400.
func typedHeaderErrorCode<V: SIPHeaderValue>(_ text: String, as type: V.Type) -> SIPParseError.Code? {
    let error = typedHeaderError { _ = try V(parsing: text) }
    if let error { #expect(error.status == .badRequest, "\(error)") }
    return error?.code
}

/// Parses `text`, serializes the value and parses that again; the two values must be equal and the second
/// serialization identical to the first. Returns the first value.
@discardableResult
func typedRoundTrip<V: SIPHeaderValue & Equatable>(
    _ text: String, as type: V.Type, sourceLocation: SourceLocation = #_sourceLocation
) throws -> V {
    let value = try V(parsing: text)
    let written = value.serializedString
    let reparsed = try V(parsing: written)
    #expect(reparsed == value, "\(text) → \(written)", sourceLocation: sourceLocation)
    #expect(reparsed.serializedString == written, sourceLocation: sourceLocation)
    return value
}

/// A message from lines joined with CRLF, ending with the empty line.
func typedHeadersMessage(_ lines: [String], body: String = "") throws -> SIPMessage {
    try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
}
