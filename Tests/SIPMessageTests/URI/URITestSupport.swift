import Testing

@testable import SIPMessage

/// Parses `text` as a SIP URI.
func sipURI(_ text: String) throws -> SIPURI {
    try SIPURI(parsing: text)
}

/// The wire form of a URI as a string.
func wire(_ uri: URI) -> String {
    var buffer: [UInt8] = []
    uri.serialize(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
}

/// The code of the `SIPParseError` `body` throws; nil if it does not throw (another error type fails the test).
func uriErrorCode(_ body: () throws -> Void) -> SIPParseError.Code? {
    do {
        try body()
        return nil
    } catch let error as SIPParseError {
        return error.code
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}
