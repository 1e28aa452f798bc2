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

    /// Candidate entry indices by the lower-cased first byte of the name: a lookup compares a handful of names.
    static let buckets: [[UInt8]] = {
        var buckets = [[UInt8]](repeating: [], count: 256)
        for (index, entry) in entries.enumerated() {
            buckets[Int(entry.lowercased[0])].append(UInt8(index))
        }
        return buckets
    }()

    /// Compact form → entry index.
    static let compactForms: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (index, entry) in entries.enumerated() {
            if let compact = entry.compact { table[Int(compact)] = UInt8(index) }
        }
        return table
    }()

    /// The registry index for a header name as it appears on the wire (any case, long or compact form).
    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard let first = name.first else { return nil }
        let lowerFirst = ASCII.lowercased(first)
        if name.count == 1 { return compactForms[Int(lowerFirst)] }
        for index in buckets[Int(lowerFirst)] {
            let candidate = entries[Int(index)].lowercased
            guard candidate.count == name.count else { continue }
            var matches = true
            for offset in 1..<name.count where ASCII.lowercased(name[offset]) != candidate[offset] {
                matches = false
                break
            }
            if matches { return index }
        }
        return nil
    }

    static func lookup(_ name: some Collection<UInt8>) -> UInt8? {
        let bytes = Array(name)
        return bytes.withUnsafeBufferPointer { lookup($0) }
    }
}
