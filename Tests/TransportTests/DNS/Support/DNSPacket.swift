@testable import Transport

/// Hand-made DNS packets, byte by byte, so that tests can build what no encoder would: pointers anywhere, wrong
/// lengths, cut-off records.
enum DNSPacket {
    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)] }

    static func u32(_ value: UInt32) -> [UInt8] { u16(UInt16(value >> 16)) + u16(UInt16(truncatingIfNeeded: value)) }

    /// The labels of `text` (dot-separated), without the terminating zero byte.
    static func labels(_ text: String) -> [UInt8] {
        text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    /// An uncompressed name: labels and the zero byte.
    static func name(_ text: String) -> [UInt8] { labels(text) + [0] }

    /// A compression pointer to `offset`.
    static func pointer(_ offset: Int) -> [UInt8] { [0xC0 | UInt8(offset >> 8), UInt8(truncatingIfNeeded: offset)] }

    static func header(
        id: UInt16 = 0x1234, flags: UInt16 = 0x8180, questions: UInt16 = 1, answers: UInt16 = 0,
        authorities: UInt16 = 0, additionals: UInt16 = 0
    ) -> [UInt8] {
        u16(id) + u16(flags) + u16(questions) + u16(answers) + u16(authorities) + u16(additionals)
    }

    static func question(_ name: [UInt8], _ type: DNSRecordType, class: UInt16 = 1) -> [UInt8] {
        name + u16(type.rawValue) + u16(`class`)
    }

    static func record(
        _ owner: [UInt8], _ type: DNSRecordType, ttl: UInt32 = 300, class: UInt16 = 1, data: [UInt8]
    ) -> [UInt8] {
        owner + u16(type.rawValue) + u16(`class`) + u32(ttl) + u16(UInt16(data.count)) + data
    }

    static func srvData(priority: UInt16, weight: UInt16, port: UInt16, target: [UInt8]) -> [UInt8] {
        u16(priority) + u16(weight) + u16(port) + target
    }

    static func naptrData(
        order: UInt16, preference: UInt16, flags: String, services: String, regexp: String, replacement: [UInt8]
    ) -> [UInt8] {
        let strings = [flags, services, regexp].flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        return u16(order) + u16(preference) + strings + replacement
    }

    static func soaData(minimum: UInt32) -> [UInt8] {
        name("ns.example.test") + name("hostmaster.example.test") + u32(1) + u32(1200) + u32(120) + u32(1_209_600)
            + u32(minimum)
    }

    /// A response to `query` (same ID and question) with the given RCODE and sections of already-encoded records.
    static func response(
        to query: DNSQuery, id: UInt16? = nil, rcode: DNSResponseCode = .noError, truncated: Bool = false,
        answers: [[UInt8]] = [], authorities: [[UInt8]] = []
    ) -> [UInt8] {
        let flags = 0x8180 | UInt16(rcode.rawValue) | (truncated ? DNSHeader.truncatedFlag : 0)
        var question: [UInt8] = []
        query.question.encode(into: &question)
        return header(
            id: id ?? query.id, flags: flags, answers: UInt16(answers.count), authorities: UInt16(authorities.count))
            + question + answers.flatMap { $0 } + authorities.flatMap { $0 }
    }

    /// Bytes from hex text (whitespace ignored), for packets captured from a real server.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { !$0.isWhitespaceASCII })
        return stride(from: 0, to: digits.count - 1, by: 2).map {
            UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)!
        }
    }
}

extension UInt8 {
    fileprivate var isWhitespaceASCII: Bool { self == 0x20 || self == 0x0A || self == 0x09 || self == 0x0D }
}

extension DNSName: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = try! DNSName(parsing: value)
    }
}
