/// libFuzzer harness: a message that parses must survive serialize → parse unchanged, and so must every typed
/// header value and the Request-URI that parse (so the header and URI parsers are fuzzed too, not only framing).
///
/// The second parse must succeed and agree with the first on the start line, the sequence of header names and
/// unfolded values, and the body. Content-Length is left out of the comparison: the serializer always writes one
/// Content-Length stating the true body length (adding it when missing, dropping duplicates). Any disagreement is a
/// `fatalError`, which libFuzzer records as a crash with its reproducer.
import SIPMessage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = try? SIPMessage(parsing: bytes) else { return 0 }
    let serialized = first.serialize()
    let second: SIPMessage
    do {
        second = try SIPMessage(parsing: serialized)
    } catch {
        fatalError("re-parse failed: \(error)\nserialized: \(describe(serialized[...]))")
    }
    if first.startLine != second.startLine {
        fatalError("start line changed: \(first.startLine) → \(second.startLine)")
    }
    let before = comparableHeaders(first)
    let after = comparableHeaders(second)
    if before.count != after.count {
        fatalError("header count changed: \(before.count) → \(after.count)\nserialized: \(describe(serialized[...]))")
    }
    for (index, (old, new)) in zip(before, after).enumerated() where old.name != new.name || old.value != new.value {
        fatalError(
            "header \(index) changed: \(old.name): \(describe(old.value)) → \(new.name): \(describe(new.value))")
    }
    if !first.body.elementsEqual(second.body) {
        fatalError("body changed: \(describe(first.body)) → \(describe(second.body))")
    }
    // Serializing is a fixed point after one round.
    if second.serialize() != serialized {
        fatalError("second serialization differs\nfirst: \(describe(serialized[...]))")
    }
    exerciseTypedViews(first)
    return 0
}

/// Every typed view that parses must write itself back to something that parses to an equal value; whole-message
/// validation must answer (throw or not) without trapping.
private func exerciseTypedViews(_ message: SIPMessage) {
    _ = try? message.validate()
    _ = try? message.validateForForwarding()
    if let uri = try? message.requestURI {
        var bytes: [UInt8] = []
        uri.serialize(into: &bytes)
        guard let again = try? URI(parsing: bytes[...]), again == uri else {
            fatalError("Request-URI round trip failed: \(uri) → \(describe(bytes))")
        }
    }
    let headers = message.headers
    roundTrip(headers, .via, Via.self)
    for name in [HeaderName.from, .to, .route, .recordRoute, .path, .serviceRoute, .pAssertedIdentity] {
        roundTrip(headers, name, NameAddress.self)
    }
    roundTrip(headers, .contact, ContactValue.self)
    roundTrip(headers, .cseq, CSeq.self)
    roundTrip(headers, .callID, CallID.self)
    roundTrip(headers, .maxForwards, MaxForwards.self)
    roundTrip(headers, .expires, Expires.self)
    roundTrip(headers, .contentType, ContentType.self)
    roundTrip(headers, .require, OptionTag.self)
    roundTrip(headers, .supported, OptionTag.self)
    roundTrip(headers, .allow, SIPMethod.self)
    roundTrip(headers, .authorization, Credentials.self)
    roundTrip(headers, .proxyAuthorization, Credentials.self)
    roundTrip(headers, .wwwAuthenticate, Challenge.self)
    roundTrip(headers, .proxyAuthenticate, Challenge.self)
    roundTrip(headers, .sessionExpires, SessionExpires.self)
    roundTrip(headers, .pChargingVector, PChargingVector.self)
    roundTrip(headers, .securityClient, SecurityMechanism.self)
}

private func roundTrip<V: SIPHeaderValue & Equatable>(_ headers: SIPHeaders, _ name: HeaderName, _ type: V.Type) {
    guard let values = try? headers.all(name, as: type) else { return }
    for value in values {
        let bytes = value.serialized
        let again: V
        do {
            again = try V(parsing: bytes[...])
        } catch {
            fatalError("\(name) value does not re-parse: \(describe(bytes)): \(error)")
        }
        if again != value { fatalError("\(name) value changed: \(describe(bytes))") }
    }
}

/// Header fields in order, without Content-Length (which the serializer rewrites).
private func comparableHeaders(_ message: SIPMessage) -> [(name: HeaderName, value: [UInt8])] {
    message.headers.filter { $0.name != .contentLength }.map { ($0.name, Array($0.value)) }
}

/// Bytes as text with control characters escaped, short enough for a crash log.
private func describe(_ bytes: some Collection<UInt8>) -> String {
    var text = ""
    for byte in bytes.prefix(600) {
        switch byte {
        case 0x0D: text += "\\r"
        case 0x0A: text += "\\n"
        case 0x20..<0x7F: text.unicodeScalars.append(UnicodeScalar(byte))
        default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return bytes.count > 600 ? text + "…(\(bytes.count) bytes)" : "\"\(text)\""
}
