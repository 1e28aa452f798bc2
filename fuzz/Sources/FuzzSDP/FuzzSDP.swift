/// libFuzzer harness for SDP: a description that parses must survive serialize → parse unchanged.
///
/// `SessionDescription` is `Hashable`, so the check is plain equality of the two parses. Any difference, or a
/// serialization that no longer parses, is a `fatalError`, which libFuzzer records as a crash with its reproducer.
import SDP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = try? SessionDescription(parsing: bytes) else { return 0 }
    let serialized = first.serializedBytes()
    let second: SessionDescription
    do {
        second = try SessionDescription(parsing: serialized)
    } catch {
        fatalError("re-parse failed: \(error)\nserialized: \(describe(serialized))")
    }
    if first != second {
        fatalError(
            "parse → serialize → parse changed the description\nfirst:  \(describe(serialized))\n"
                + "second: \(describe(second.serializedBytes()))")
    }
    return 0
}

/// Bytes as text with control characters escaped, short enough for a crash log.
private func describe(_ bytes: [UInt8]) -> String {
    var text = ""
    for byte in bytes.prefix(1200) {
        switch byte {
        case 0x0D: text += "\\r"
        case 0x0A: text += "\\n"
        case 0x20..<0x7F: text.unicodeScalars.append(UnicodeScalar(byte))
        default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return bytes.count > 1200 ? text + "…(\(bytes.count) bytes)" : "\"\(text)\""
}
