/// Smaller attributes: packet times (RFC 8866 §6.4, §6.5), `mid` and `group` (RFC 5888).

/// `a=group:<semantics> <identification-tag>*` (RFC 5888 §5), e.g. `BUNDLE 0 1` (RFC 9143 §7) or `LS`.
public struct MediaGroup: SDPAttributeValue {
    public static let attributeName = "group"

    public var semantics: String
    /// `a=mid` values of the grouped media sections.
    public var identifiers: [String]

    public init(semantics: String, identifiers: [String]) {
        self.semantics = semantics
        self.identifiers = identifiers
    }

    public static let bundle = "BUNDLE"

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard let semantics = fields.first else { return nil }
        self.init(semantics: semantics, identifiers: Array(fields.dropFirst()))
    }

    public var attributeValue: String { ([semantics] + identifiers).joined(separator: " ") }
}

extension SDPAttributes {
    /// `a=ptime` in milliseconds; nil when absent or not a whole number.
    public var ptime: Int? {
        get { value(named: "ptime").flatMap { Lex.int(Lex.trimmingSpaces($0)) } }
        set { setNumber("ptime", newValue) }
    }

    /// `a=maxptime` in milliseconds.
    public var maxptime: Int? {
        get { value(named: "maxptime").flatMap { Lex.int(Lex.trimmingSpaces($0)) } }
        set { setNumber("maxptime", newValue) }
    }

    /// `a=mid` (RFC 5888 §4).
    public var mid: String? {
        get { value(named: "mid") }
        set {
            if let newValue { set("mid", value: newValue) } else { removeAll(named: "mid") }
        }
    }

    public var rtpmaps: [RTPMap] { all(RTPMap.self) }

    public var formatParameters: [FormatParameters] { all(FormatParameters.self) }

    /// Replaces the `a=rtpmap` for `map.payloadType` in place, or appends one. rtpmap and fmtp lines interleave,
    /// so there is no list setter that would have to pick a place for all of them.
    public mutating func setRTPMap(_ map: RTPMap) {
        let attribute = SDPAttribute(map)
        if let index = firstIndex(where: { $0.decode(RTPMap.self)?.payloadType == map.payloadType }) {
            self[index] = attribute
        } else {
            append(attribute)
        }
    }

    /// Replaces the `a=fmtp` for `parameters.format` in place, or appends one.
    public mutating func setFormatParameters(_ parameters: FormatParameters) {
        let attribute = SDPAttribute(parameters)
        if let index = firstIndex(where: { $0.decode(FormatParameters.self)?.format == parameters.format }) {
            self[index] = attribute
        } else {
            append(attribute)
        }
    }

    private mutating func setNumber(_ name: String, _ number: Int?) {
        if let number { set(name, value: String(number)) } else { removeAll(named: name) }
    }
}
