/// `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]` (RFC 3605 §2.1): where RTCP goes when it is not
/// on the RTP port plus one. An anchoring SBC rewrites it along with `m=` and `c=`.
public struct RTCPAttribute: SDPAttributeValue {
    public static let attributeName = "rtcp"

    public var port: UInt16
    public var connection: Connection?

    public init(port: UInt16, connection: Connection? = nil) {
        self.port = port
        self.connection = connection
    }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard fields.count == 1 || fields.count == 4, let port = Lex.decimal(fields[0], as: UInt16.self) else {
            return nil
        }
        var connection: Connection?
        if fields.count == 4 {
            guard let parsed = Connection(fields: Array(fields[1...])) else { return nil }
            connection = parsed
        }
        self.init(port: port, connection: connection)
    }

    public var attributeValue: String {
        connection.map { "\(port) \($0.lineValue)" } ?? String(port)
    }
}

extension SDPAttributes {
    public var rtcp: RTCPAttribute? {
        get { first(RTCPAttribute.self) }
        set {
            if let newValue { set(newValue) } else { removeAll(named: RTCPAttribute.attributeName) }
        }
    }

    /// `a=rtcp-mux` (RFC 5761 §5.1.1): RTP and RTCP share one port.
    public var rtcpMux: Bool {
        get { contains(named: "rtcp-mux") }
        set { setFlag("rtcp-mux", newValue) }
    }

    /// `a=rtcp-rsize` (RFC 5506 §5): reduced-size RTCP.
    public var rtcpReducedSize: Bool {
        get { contains(named: "rtcp-rsize") }
        set { setFlag("rtcp-rsize", newValue) }
    }
}
