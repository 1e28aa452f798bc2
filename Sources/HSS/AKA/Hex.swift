import IMSInterfaces

/// Reading hexadecimal AKA values (K, OP, OPc as provisioned, TS 35.208 test vectors) strictly, with errors that
/// name the value; writing is the shared `Hex.encode`.
extension Hex {
    /// Exactly `byteCount` bytes from `2 × byteCount` hex digits, either case, nothing else (no `0x`, no spaces):
    /// a key with a stray character is an error, not a different key.
    static func decode(_ text: some StringProtocol, byteCount: Int, name: String) throws(AKAError) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.count == byteCount * 2 else {
            throw AKAError(.wrongLength, "\(name): expected \(byteCount * 2) hex digits, got \(utf8.count)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        var high: UInt8?
        for character in utf8 {
            guard let nibble = value(of: character) else {
                throw AKAError(.invalidHex, "\(name): not a hex digit: \(String(decoding: [character], as: UTF8.self))")
            }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x41...0x46: character - 0x41 + 10
        case 0x61...0x66: character - 0x61 + 10
        default: nil
        }
    }
}
