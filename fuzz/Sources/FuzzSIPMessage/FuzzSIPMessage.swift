/// libFuzzer harness: a message that parses must survive serialize → parse unchanged.
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
    return 0
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
