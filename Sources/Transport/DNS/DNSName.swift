/// A domain name (RFC 1035 §3.1), kept in wire form: length-prefixed labels, without the root's zero byte.
///
/// Names compare and hash without regard to ASCII case (RFC 4343 §3), so `SIP.Example.COM` equals
/// `sip.example.com`; the case written is kept for `description`. Lower-casing the whole wire form is safe,
/// because a length byte (at most 63) is never an ASCII letter. Every name here is absolute: `example.com` and
/// `example.com.` are the same name, and the root is `.`.
///
/// Limits hold for every value: labels of 1–63 bytes and at most 255 bytes in wire form with the root byte.
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The longest label (RFC 1035 §2.3.4).
    public static let maximumLabelLength = 63
    /// The longest name in wire form, counting the root's zero byte (RFC 1035 §2.3.4).
    public static let maximumWireLength = 255

    /// Length-prefixed labels, without the terminating zero byte.
    private(set) var wire: [UInt8]

    /// The root name, `.`.
    public static let root = DNSName(checkedWire: [])

    /// A name from already-checked wire bytes (the reader and the text parser check as they go).
    init(checkedWire wire: [UInt8]) {
        self.wire = wire
    }

    /// A name from its labels, each 1–63 bytes.
    ///
    /// - Throws: `.badName` for an empty label, `.labelTooLong`, `.nameTooLong`.
    public init(labels: [[UInt8]]) throws(DNSWireError) {
        var wire: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw DNSWireError(.badName, "a label is empty") }
            guard label.count <= Self.maximumLabelLength else {
                throw DNSWireError(.labelTooLong, "a label has \(label.count) bytes, more than 63")
            }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
            guard wire.count + 1 <= Self.maximumWireLength else {
                throw DNSWireError(.nameTooLong, "the name is longer than 255 bytes")
            }
        }
        self.wire = wire
    }

    /// The labels, most specific first (`sip`, `example`, `com`); none for the root.
    public var labels: [ArraySlice<UInt8>] {
        var labels: [ArraySlice<UInt8>] = []
        var index = 0
        while index < wire.count {
            let length = Int(wire[index])
            labels.append(wire[(index + 1)..<(index + 1 + length)])
            index += 1 + length
        }
        return labels
    }

    public var isRoot: Bool { wire.isEmpty }

    /// The name with `labels` put in front: `_sip._udp` + `example.com`.
    ///
    /// - Throws: as `init(labels:)` when the result breaks a limit.
    public func prepending(_ labels: [String]) throws(DNSWireError) -> DNSName {
        let front = try DNSName(labels: labels.map { Array($0.utf8) })
        let combined = front.wire + wire
        guard combined.count + 1 <= Self.maximumWireLength else {
            throw DNSWireError(.nameTooLong, "the name is longer than 255 bytes")
        }
        return DNSName(checkedWire: combined)
    }

    /// Appends the name in wire form, with its terminating zero byte, uncompressed.
    public func encode(into bytes: inout [UInt8]) {
        bytes.append(contentsOf: wire)
        bytes.append(0)
    }

    /// The name in wire form, with its terminating zero byte: what a query carries.
    public var wireBytes: [UInt8] { wire + [0] }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.wire.count == rhs.wire.count && zip(lhs.wire, rhs.wire).allSatisfy { lower($0) == lower($1) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(wire.count)
        for byte in wire { hasher.combine(Self.lower(byte)) }
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Presentation form (RFC 1035 §5.1) without the trailing dot: `sip.example.com`, `.` for the root. A dot or
    /// backslash inside a label is escaped with `\`, and bytes outside printable ASCII as `\DDD`, so that
    /// `init(parsing:)` gives back the same name.
    public var description: String {
        guard !isRoot else { return "." }
        var text: [UInt8] = []
        for (position, label) in labels.enumerated() {
            if position > 0 { text.append(UInt8(ascii: ".")) }
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text += [UInt8(ascii: "\\"), byte]
                case 0x21...0x7E:
                    text.append(byte)
                default:
                    text.append(UInt8(ascii: "\\"))
                    text += [byte / 100, byte / 10 % 10, byte % 10].map { UInt8(ascii: "0") + $0 }
                }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
