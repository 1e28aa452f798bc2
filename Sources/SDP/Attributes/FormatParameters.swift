/// `a=fmtp:<format> <format specific parameters>` (RFC 8866 §6.15).
///
/// The parameter text is kept verbatim because its syntax belongs to each payload format; `parameterList` reads
/// the common `key=value;key=value` shape (RFC 4855 §3), which also covers flags like telephone-event's `0-16`.
public struct FormatParameters: SDPAttributeValue {
    public static let attributeName = "fmtp"

    /// One `key[=value]` item of the parameter text.
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The format (payload type number for RTP).
    public var format: String
    /// Everything after the first space, as written.
    public var parameters: String

    public init(format: String, parameters: String) {
        self.format = format
        self.parameters = parameters
    }

    public init(format: String, parameterList: [Parameter]) {
        self.init(
            format: format,
            parameters: parameterList.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }
                .joined(separator: ";"))
    }

    public var payloadType: UInt8? { Lex.decimal(format, as: UInt8.self).flatMap { $0 <= 127 ? $0 : nil } }

    /// `parameters` split at `;`, each item trimmed and split at its first `=`. Empty items are dropped.
    public var parameterList: [Parameter] {
        Lex.pieces(parameters, at: Lex.semicolon).compactMap { item in
            let trimmed = Lex.trimmingSpaces(item)
            guard !trimmed.isEmpty else { return nil }
            if let (name, value) = Lex.splitOnce(trimmed, at: Lex.equals) {
                return Parameter(name: Lex.trimmingSpaces(name), value: Lex.trimmingSpaces(value))
            }
            return Parameter(name: trimmed)
        }
    }

    /// The value of the first parameter called `name`, compared case-insensitively (RFC 4855 §3).
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return parameterList.first { $0.name.lowercased() == wanted }?.value
    }

    public init?(attributeValue: String) {
        let utf8 = attributeValue.utf8
        guard let first = utf8.firstIndex(where: { $0 != Lex.space }) else { return nil }
        let rest = utf8[first...]
        if let space = rest.firstIndex(of: Lex.space) {
            self.init(format: Lex.string(rest[..<space]), parameters: Lex.string(rest[rest.index(after: space)...]))
        } else {
            self.init(format: Lex.string(rest), parameters: "")
        }
    }

    public var attributeValue: String { parameters.isEmpty ? format : "\(format) \(parameters)" }
}
