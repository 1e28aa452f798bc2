/// Bencoding (the BitTorrent encoding), which rtpengine's "ng" control protocol speaks: just enough of it for the
/// relay benchmark to set up streams on rtpengine the way Kamailio's rtpengine module does.
enum Bencode: Equatable {
    case string([UInt8])
    case integer(Int)
    case list([Bencode])
    case dictionary([(key: String, value: Bencode)])

    static func == (lhs: Bencode, rhs: Bencode) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.dictionary(let a), .dictionary(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    static func text(_ value: String) -> Bencode { .string(Array(value.utf8)) }

    /// The value under `key` of a dictionary.
    subscript(key: String) -> Bencode? {
        guard case .dictionary(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A string value as UTF-8 text.
    var text: String? {
        guard case .string(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    var encoded: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    private func encode(into out: inout [UInt8]) {
        switch self {
        case .string(let bytes):
            out += Array(String(bytes.count).utf8) + [UInt8(ascii: ":")] + bytes
        case .integer(let value):
            out += Array("i\(value)e".utf8)
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.encode(into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let entries):
            // Bencoded dictionaries are sorted by key.
            out.append(UInt8(ascii: "d"))
            for entry in entries.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
                Bencode.text(entry.key).encode(into: &out)
                entry.value.encode(into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    struct DecodingError: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "bad bencoding at byte \(offset)" }
    }

    /// Decodes one value that spans all of `bytes`.
    init(decoding bytes: ArraySlice<UInt8>) throws(DecodingError) {
        var index = bytes.startIndex
        self = try Self.value(bytes, at: &index, depth: 0)
        guard index == bytes.endIndex else { throw DecodingError(offset: index) }
    }

    private static func value(
        _ bytes: ArraySlice<UInt8>, at index: inout Int, depth: Int
    ) throws(DecodingError)
        -> Bencode
    {
        guard index < bytes.endIndex, depth < 32 else { throw DecodingError(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "i"):
            index += 1
            let value = try number(bytes, at: &index, until: UInt8(ascii: "e"))
            return .integer(value)
        case UInt8(ascii: "l"):
            index += 1
            var items: [Bencode] = []
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: "e") {
                items.append(try value(bytes, at: &index, depth: depth + 1))
            }
            guard index < bytes.endIndex else { throw DecodingError(offset: index) }
            index += 1
            return .list(items)
        case UInt8(ascii: "d"):
            index += 1
            var entries: [(key: String, value: Bencode)] = []
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: "e") {
                guard case .string(let key) = try value(bytes, at: &index, depth: depth + 1) else {
                    throw DecodingError(offset: index)
                }
                entries.append((String(decoding: key, as: UTF8.self), try value(bytes, at: &index, depth: depth + 1)))
            }
            guard index < bytes.endIndex else { throw DecodingError(offset: index) }
            index += 1
            return .dictionary(entries)
        default:
            let length = try number(bytes, at: &index, until: UInt8(ascii: ":"))
            guard length >= 0, length <= bytes.endIndex - index else { throw DecodingError(offset: index) }
            defer { index += length }
            return .string(Array(bytes[index..<index + length]))
        }
    }

    /// A decimal number up to `terminator`, which is consumed.
    private static func number(
        _ bytes: ArraySlice<UInt8>, at index: inout Int, until terminator: UInt8
    )
        throws(DecodingError) -> Int
    {
        let start = index
        var negative = false
        var value = 0
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        while index < bytes.endIndex, bytes[index] != terminator {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10, value < Int.max / 10 - 10 else { throw DecodingError(offset: index) }
            value = value * 10 + Int(digit)
            index += 1
        }
        guard index < bytes.endIndex, index > start else { throw DecodingError(offset: index) }
        index += 1
        return negative ? -value : value
    }
}
