/// ICE attributes other than candidates (RFC 8839 §5.3–§5.6).
extension SDPAttributes {
    /// Every attribute name RFC 8839 defines (plus `ice-pacing`, `ice-mismatch`), which `removeICEAttributes()`
    /// removes.
    public static let iceAttributeNames: Set<String> = [
        "candidate", "remote-candidates", "end-of-candidates", "ice-lite", "ice-mismatch", "ice-ufrag", "ice-pwd",
        "ice-options", "ice-pacing",
    ]

    /// Removes every ICE attribute from this section.
    public mutating func removeICEAttributes() { removeAll(named: Self.iceAttributeNames) }

    /// `a=candidate` lines that parse, in order. Setting replaces them all where the first stood.
    public var candidates: [ICECandidate] {
        get { all(ICECandidate.self) }
        set { replaceAll(with: newValue) }
    }

    public var remoteCandidates: RemoteCandidates? { first(RemoteCandidates.self) }

    /// `a=ice-ufrag` (RFC 8839 §5.4).
    public var iceUfrag: String? {
        get { value(named: "ice-ufrag") }
        set { setValue("ice-ufrag", newValue) }
    }

    /// `a=ice-pwd` (RFC 8839 §5.4).
    public var icePwd: String? {
        get { value(named: "ice-pwd") }
        set { setValue("ice-pwd", newValue) }
    }

    /// `a=ice-options` tokens, e.g. `trickle` (RFC 8839 §5.6).
    public var iceOptions: [String] {
        get { value(named: "ice-options").map { Lex.fields($0) } ?? [] }
        set { setValue("ice-options", newValue.isEmpty ? nil : newValue.joined(separator: " ")) }
    }

    /// `a=ice-lite` (RFC 8839 §5.3); session level only.
    public var iceLite: Bool {
        get { contains(named: "ice-lite") }
        set { setFlag("ice-lite", newValue) }
    }

    /// `a=end-of-candidates` (RFC 8840 §8.2).
    public var endOfCandidates: Bool {
        get { contains(named: "end-of-candidates") }
        set { setFlag("end-of-candidates", newValue) }
    }

    private mutating func setValue(_ name: String, _ value: String?) {
        if let value { set(name, value: value) } else { removeAll(named: name) }
    }
}
