import Testing

@testable import SIPMessage

/// SplitMix64: a small seeded generator, so randomized URI tests are reproducible.
struct URITestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
