/// The `a=` lines of one section, in order, with lookups and edits by name.
///
/// Keeping one ordered raw list (rather than a field per known attribute) is what lets unknown attributes survive
/// in place and makes a round trip byte-identical. Typed accessors (`rtpmaps`, `crypto`, `candidates`,
/// `direction`, …) read from and write to this list; their setters replace matching lines where the first one
/// stood, so the rest of the section keeps its order.
public struct SDPAttributes: Hashable, Sendable, RandomAccessCollection, MutableCollection,
    RangeReplaceableCollection, ExpressibleByArrayLiteral
{
    private var storage: [SDPAttribute]

    public init() { storage = [] }
    public init(arrayLiteral elements: SDPAttribute...) { storage = elements }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public func index(after index: Int) -> Int { index + 1 }
    public func index(before index: Int) -> Int { index - 1 }

    public subscript(position: Int) -> SDPAttribute {
        get { storage[position] }
        set { storage[position] = newValue }
    }

    public mutating func replaceSubrange(_ subrange: Range<Int>, with newElements: some Collection<SDPAttribute>) {
        storage.replaceSubrange(subrange, with: newElements)
    }

    public mutating func reserveCapacity(_ n: Int) { storage.reserveCapacity(n) }
}

// MARK: - By name

extension SDPAttributes {
    public func contains(named name: String) -> Bool { storage.contains { $0.name == name } }

    public func first(named name: String) -> SDPAttribute? { storage.first { $0.name == name } }

    /// The value of the first attribute called `name`; nil when absent or a flag.
    public func value(named name: String) -> String? { first(named: name)?.value }

    public func all(named name: String) -> [SDPAttribute] { storage.filter { $0.name == name } }

    public mutating func append(_ name: String, value: String? = nil) {
        storage.append(SDPAttribute(name, value: value))
    }

    public mutating func removeAll(named name: String) { storage.removeAll { $0.name == name } }

    public mutating func removeAll(named names: Set<String>) { storage.removeAll { names.contains($0.name) } }

    /// Makes `name` appear once with `value`: the first occurrence is rewritten in place, later ones removed, or
    /// the attribute appended when absent.
    public mutating func set(_ name: String, value: String?) {
        replaceAll(named: name, with: [value])
    }

    /// Replaces every attribute called `name` with one per entry of `values`, inserted where the first old one
    /// stood (appended when there was none). An empty `values` removes them.
    public mutating func replaceAll(named name: String, with values: [String?]) {
        replaceAll(where: { $0.name == name }, with: values.map { SDPAttribute(name, value: $0) })
    }

    /// Replaces every attribute matching `predicate` with `replacement`, inserted where the first match stood.
    public mutating func replaceAll(where predicate: (SDPAttribute) -> Bool, with replacement: [SDPAttribute]) {
        let position = storage.firstIndex(where: predicate)
        storage.removeAll(where: predicate)
        // Everything before the first match is untouched, so its index is still the right place.
        storage.insert(contentsOf: replacement, at: position ?? storage.count)
    }

    /// Sets a flag attribute such as `rtcp-mux`: `true` keeps or appends one, `false` removes all.
    mutating func setFlag(_ name: String, _ isOn: Bool) {
        if !isOn {
            removeAll(named: name)
        } else if !contains(named: name) {
            append(name)
        }
    }
}

// MARK: - Typed

extension SDPAttributes {
    /// Every attribute of `Value`'s name that parses, in order. Malformed ones are skipped; the parser rejects
    /// them for the validated kinds (see `SDPParser.validatesKnownAttributes`).
    public func all<Value: SDPAttributeValue>(_: Value.Type) -> [Value] {
        storage.compactMap { $0.decode(Value.self) }
    }

    public func first<Value: SDPAttributeValue>(_: Value.Type) -> Value? {
        for attribute in storage where attribute.name == Value.attributeName {
            if let value = attribute.decode(Value.self) { return value }
        }
        return nil
    }

    public mutating func append<Value: SDPAttributeValue>(_ value: Value) {
        storage.append(SDPAttribute(value))
    }

    /// Makes `Value`'s attribute appear once, with `value`, where the first one stood.
    public mutating func set<Value: SDPAttributeValue>(_ value: Value) {
        replaceAll(with: [value])
    }

    /// Replaces every attribute of `Value`'s name with `values`, where the first one stood.
    public mutating func replaceAll<Value: SDPAttributeValue>(with values: [Value]) {
        replaceAll(named: Value.attributeName, with: values.map { $0.attributeValue })
    }
}
