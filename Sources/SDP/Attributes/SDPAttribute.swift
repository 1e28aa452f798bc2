/// One `a=` line (RFC 8866 §5.13): `a=<name>` (a flag) or `a=<name>:<value>`.
///
/// The value is kept exactly as written, after the first `:`. `a=x:` has the value `""`, unlike `a=x`, so both
/// survive a round trip.
public struct SDPAttribute: Hashable, Sendable, CustomStringConvertible {
    /// Compared exactly (case-sensitive), as every registered attribute name is lowercase.
    public var name: String
    public var value: String?

    public init(_ name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// An attribute from a typed value, e.g. `SDPAttribute(RTPMap(…))`.
    public init<Value: SDPAttributeValue>(_ typed: Value) {
        self.init(Value.attributeName, value: typed.attributeValue)
    }

    /// This attribute read as `Value`, or nil when the name differs or the value does not parse.
    public func decode<Value: SDPAttributeValue>(_: Value.Type) -> Value? {
        guard name == Value.attributeName, let value else { return nil }
        return Value(attributeValue: value)
    }

    /// The text after `a=`.
    public var description: String { value.map { "\(name):\($0)" } ?? name }
}

/// A typed reading of one attribute's value, such as `RTPMap` for `a=rtpmap:…`.
///
/// The raw `SDPAttribute` stays the source of truth; a typed value is parsed from it on demand and written back
/// through `SDPAttributes.set(_:)`/`replaceAll(with:)`. Parsing is lenient about surrounding spaces and strict
/// about the grammar, and `Self(attributeValue: x.attributeValue) == x` for every value it accepts.
public protocol SDPAttributeValue: Hashable, Sendable {
    /// The attribute name this type reads, e.g. `rtpmap`.
    static var attributeName: String { get }
    /// Parses the text after `name:`; nil when it breaks the attribute's grammar.
    init?(attributeValue: String)
    /// The text written after `name:`.
    var attributeValue: String { get }
}
