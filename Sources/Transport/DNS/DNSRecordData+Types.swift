/// An SRV record (RFC 2782): where a service runs. Ordered by `priority` (lower first), then chosen at random
/// weighted by `weight` within one priority; a `target` of `.` means the service is decidedly not offered.
public struct DNSSRVRecord: Hashable, Sendable, CustomStringConvertible {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DNSName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    public var description: String { "\(priority) \(weight) \(port) \(target)." }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        priority = try reader.readUInt16("an SRV record")
        weight = try reader.readUInt16("an SRV record")
        port = try reader.readUInt16("an SRV record")
        target = try reader.readName()
    }
}

/// A NAPTR record (RFC 3403 §4.1), every field kept: RFC 3263 uses `order`, `preference`, `flags`, `services` and
/// `replacement`; ENUM (RFC 6116) uses `regexp`. The three strings are kept as their bytes (a regexp may hold
/// UTF-8); the `…Text` accessors decode them.
public struct DNSNAPTRRecord: Hashable, Sendable, CustomStringConvertible {
    public var order: UInt16
    public var preference: UInt16
    /// `S`, `A`, `U`, `P` or empty (RFC 3404 §4.3); compare without regard to case.
    public var flags: [UInt8]
    /// `SIP+D2U`, `E2U+sip`…; compare without regard to case.
    public var services: [UInt8]
    public var regexp: [UInt8]
    /// The next name to look up; the root when `regexp` is used instead.
    public var replacement: DNSName

    public init(
        order: UInt16, preference: UInt16, flags: [UInt8], services: [UInt8], regexp: [UInt8], replacement: DNSName
    ) {
        self.order = order
        self.preference = preference
        self.flags = flags
        self.services = services
        self.regexp = regexp
        self.replacement = replacement
    }

    public var flagsText: String { String(decoding: flags, as: UTF8.self) }
    public var servicesText: String { String(decoding: services, as: UTF8.self) }
    public var regexpText: String { String(decoding: regexp, as: UTF8.self) }

    /// Whether `flags` holds this flag letter, in either case.
    public func hasFlag(_ flag: Unicode.Scalar) -> Bool {
        flags.contains { DNSName.lower($0) == DNSName.lower(UInt8(ascii: flag)) }
    }

    public var description: String {
        "\(order) \(preference) \"\(flagsText)\" \"\(servicesText)\" \"\(regexpText)\" \(replacement)."
    }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        order = try reader.readUInt16("a NAPTR record")
        preference = try reader.readUInt16("a NAPTR record")
        flags = try reader.readCharacterString("a NAPTR record")
        services = try reader.readCharacterString("a NAPTR record")
        regexp = try reader.readCharacterString("a NAPTR record")
        replacement = try reader.readName()
    }
}

/// An SOA record (RFC 1035 §3.3.13). In the authority section of a negative answer it says how long the absence
/// may be cached: the smaller of its own TTL and `minimum` (RFC 2308 §5).
public struct DNSSOARecord: Hashable, Sendable, CustomStringConvertible {
    public var primaryServer: DNSName
    public var responsibleMailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(
        primaryServer: DNSName, responsibleMailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32,
        expire: UInt32, minimum: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    public var description: String {
        "\(primaryServer). \(responsibleMailbox). \(serial) \(refresh) \(retry) \(expire) \(minimum)"
    }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        primaryServer = try reader.readName()
        responsibleMailbox = try reader.readName()
        serial = try reader.readUInt32("an SOA record")
        refresh = try reader.readUInt32("an SOA record")
        retry = try reader.readUInt32("an SOA record")
        expire = try reader.readUInt32("an SOA record")
        minimum = try reader.readUInt32("an SOA record")
    }
}
