/// The one place where SIP header names are registered: long name, compact form, and whether a field may hold a
/// comma-separated list of values (RFC 3261 §7.3.1).
///
/// Adding a header is one line here; `HeaderName`, the parser, the serializer and the typed views all read from it.
/// Names are compared case-insensitively; the compact forms are those of the IANA "Header Fields" registry.
enum HeaderRegistry {
    struct Entry: Sendable {
        /// The name as Gatehouse writes it.
        let canonical: String
        let canonicalBytes: [UInt8]
        let lowercased: [UInt8]
        /// The one-letter compact form, lower-case, if the header has one.
        let compact: UInt8?
        /// True when the grammar allows `#(value)`: several values separated by commas in one field.
        let isList: Bool
    }

    static let entries: [Entry] = [
        ("Accept", nil, true), ("Accept-Contact", "a", true), ("Accept-Encoding", nil, true),
        ("Accept-Language", nil, true), ("Alert-Info", nil, true), ("Allow", nil, true),
        ("Allow-Events", "u", true), ("Authentication-Info", nil, false), ("Authorization", nil, false),
        ("Call-ID", "i", false), ("Call-Info", nil, true), ("Contact", "m", true),
        ("Content-Disposition", nil, false), ("Content-Encoding", "e", true), ("Content-Language", nil, true),
        ("Content-Length", "l", false), ("Content-Type", "c", false), ("CSeq", nil, false), ("Date", nil, false),
        ("Error-Info", nil, true), ("Event", "o", false), ("Expires", nil, false), ("From", "f", false),
        ("Identity", "y", false), ("Identity-Info", "n", false), ("In-Reply-To", nil, true),
        ("Max-Forwards", nil, false), ("MIME-Version", nil, false), ("Min-Expires", nil, false),
        ("Min-SE", nil, false), ("Organization", nil, false), ("P-Access-Network-Info", nil, true),
        ("P-Asserted-Identity", nil, true), ("P-Associated-URI", nil, true), ("P-Called-Party-ID", nil, false),
        ("P-Charging-Function-Addresses", nil, false), ("P-Charging-Vector", nil, false),
        ("P-Preferred-Identity", nil, true), ("P-Visited-Network-ID", nil, true), ("Path", nil, true),
        ("Priority", nil, false), ("Privacy", nil, false), ("Proxy-Authenticate", nil, false),
        ("Proxy-Authorization", nil, false), ("Proxy-Require", nil, true), ("RAck", nil, false),
        ("Reason", nil, true), ("Record-Route", nil, true), ("Refer-To", "r", false), ("Referred-By", "b", false),
        ("Reject-Contact", "j", true), ("Replaces", nil, false), ("Reply-To", nil, false),
        ("Request-Disposition", "d", true), ("Require", nil, true), ("Retry-After", nil, false),
        ("Route", nil, true), ("RSeq", nil, false), ("Security-Client", nil, true), ("Security-Server", nil, true),
        ("Security-Verify", nil, true), ("Server", nil, false), ("Service-Route", nil, true),
        ("Session-Expires", "x", false), ("Subject", "s", false), ("Subscription-State", nil, false),
        ("Supported", "k", true), ("Timestamp", nil, false), ("To", "t", false), ("Unsupported", nil, true),
        ("User-Agent", nil, false), ("Via", "v", true), ("Warning", nil, true), ("WWW-Authenticate", nil, false),
    ].map { (name: String, compact: Character?, isList: Bool) in
        Entry(
            canonical: name, canonicalBytes: Array(name.utf8), lowercased: Array(name.lowercased().utf8),
            compact: compact.flatMap { $0.asciiValue }, isList: isList)
    }

    /// The lookup table, built once from `entries`. The parser fetches it once per message and passes it down,
    /// so the per-header path touches no global.
    static let table = LookupTable(entries)

    /// The registry index for a header name as it appears on the wire (any case, long or compact form).
    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        table.lookup(name)
    }

    static func lookup(_ name: some Collection<UInt8>) -> UInt8? {
        let bytes = Array(name)
        return bytes.withUnsafeBufferPointer { table.lookup($0) }
    }

    /// An open-addressing hash table over (length, first byte, last byte), lower-cased: a lookup computes one
    /// hash and compares one name, almost always.
    final class LookupTable: Sendable {
        private static let slotCount = 512
        /// Entry index + 1 per slot; 0 is empty.
        private let slots: [UInt8]
        /// Every lower-cased long name, back to back.
        private let names: [UInt8]
        private let offsets: [Int]
        private let lengths: [Int]
        /// Compact form (lower-case byte) → entry index + 1.
        private let compactForms: [UInt8]

        init(_ entries: [Entry]) {
            var slots = [UInt8](repeating: 0, count: Self.slotCount)
            var names: [UInt8] = []
            var offsets: [Int] = []
            var lengths: [Int] = []
            var compactForms = [UInt8](repeating: 0, count: 256)
            for (index, entry) in entries.enumerated() {
                offsets.append(names.count)
                lengths.append(entry.lowercased.count)
                names.append(contentsOf: entry.lowercased)
                var slot = Self.hash(
                    count: entry.lowercased.count, first: entry.lowercased[0], last: entry.lowercased.last ?? 0)
                while slots[slot] != 0 { slot = (slot + 1) & (Self.slotCount - 1) }
                slots[slot] = UInt8(index + 1)
                if let compact = entry.compact { compactForms[Int(compact)] = UInt8(index + 1) }
            }
            self.slots = slots
            self.names = names
            self.offsets = offsets
            self.lengths = lengths
            self.compactForms = compactForms
        }

        @inline(__always)
        private static func hash(count: Int, first: UInt8, last: UInt8) -> Int {
            (count &* 31 &+ Int(first) &* 7 &+ Int(last) &* 3) & (slotCount - 1)
        }

        func lookup(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
            guard let first = name.first, let last = name.last else { return nil }
            let lowerFirst = ASCII.lowercased(first)
            if name.count == 1 {
                let index = compactForms[Int(lowerFirst)]
                return index == 0 ? nil : index - 1
            }
            var slot = Self.hash(count: name.count, first: lowerFirst, last: ASCII.lowercased(last))
            while true {
                let candidate = slots[slot]
                if candidate == 0 { return nil }
                let index = Int(candidate - 1)
                if lengths[index] == name.count {
                    let offset = offsets[index]
                    var matches = true
                    for position in 0..<name.count where ASCII.lowercased(name[position]) != names[offset + position] {
                        matches = false
                        break
                    }
                    if matches { return UInt8(index) }
                }
                slot = (slot + 1) & (Self.slotCount - 1)
            }
        }
    }
}
