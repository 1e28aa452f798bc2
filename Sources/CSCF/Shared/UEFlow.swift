import SIPMessage

/// The flow a UE's request arrived on at the P-CSCF: transport, source address and source port (RFC 5626 §3.1
/// calls it a flow; TS 24.229 §5.2.2.1 has the P-CSCF bind a registration to the UE's IP address and port).
///
/// Written as `transport:address:port`, the form the P-CSCF hands the S-CSCF in the internal `P-Gatehouse-Flow`
/// header and the registrar keeps in `ContactBinding.receivedFrom`: `udp:1.2.3.4:5060`, `tcp:[2001:db8::1]:5060`.
/// An address that is an IP literal is kept in canonical form (IPv6 per RFC 5952), so that two spellings of one
/// flow compare equal; the address is otherwise kept as given.
public struct UEFlow: Hashable, Sendable, CustomStringConvertible {
    /// `udp`, `tcp` or `tls`, in lower case.
    public var transport: String
    /// The UE's IP address as text, IPv6 without brackets.
    public var address: String
    public var port: Int

    /// The transports a UE reaches the P-CSCF over (TS 24.229 §5.2.2.1; no SCTP or WebSocket access here).
    public static let transports: Set<String> = ["udp", "tcp", "tls"]

    /// The internal header the P-CSCF adds to a REGISTER for the S-CSCF, holding the flow's `description`
    /// (`HeaderName.gatehouseFlow`, where its rules are).
    public static let headerName = HeaderName.gatehouseFlow

    public init(transport: String, address: String, port: Int) {
        self.transport = transport.lowercased()
        self.address = Self.canonicalAddress(address)
        self.port = port
    }

    /// Parses `transport:address:port` (IPv6 addresses in brackets); nil for an unknown transport, an address that
    /// is not an IP literal, or a port outside 1–65535.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let transport = text[..<colon].lowercased()
        guard Self.transports.contains(transport) else { return nil }
        let rest = text[text.index(after: colon)...]
        let addressText: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            addressText = rest[rest.index(after: rest.startIndex)..<close]
            let afterClose = rest[rest.index(after: close)...]
            guard afterClose.hasPrefix(":") else { return nil }
            portText = afterClose.dropFirst()
            guard case .ipv6 = Host(ipLiteral: String(addressText)) else { return nil }
        } else {
            guard let lastColon = rest.lastIndex(of: ":") else { return nil }
            addressText = rest[..<lastColon]
            portText = rest[rest.index(after: lastColon)...]
            guard case .ipv4 = Host(ipLiteral: String(addressText)) else { return nil }
        }
        guard !portText.isEmpty, portText.utf8.count <= 5, portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        self.init(transport: transport, address: String(addressText), port: port)
    }

    /// Reads the flow from a request's `P-Gatehouse-Flow` header; nil when it is absent or not a flow.
    public init?(header message: SIPMessage) {
        guard var value = message.headers.first(Self.headerName) else { return nil }
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        self.init(parsing: String(decoding: value, as: UTF8.self))
    }

    /// Whether the address is an IPv6 literal (and is written in brackets).
    public var isIPv6: Bool { address.contains(":") }

    public var description: String {
        isIPv6 ? "\(transport):[\(address)]:\(port)" : "\(transport):\(address):\(port)"
    }

    private static func canonicalAddress(_ text: String) -> String {
        switch Host(ipLiteral: text) {
        case .ipv6(let address): address.canonicalText
        case .ipv4(let address): address.description
        case .name, nil: text
        }
    }
}
