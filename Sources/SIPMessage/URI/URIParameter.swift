/// One `;name[=value]` parameter of a SIP or tel URI, unescaped.
///
/// Names keep the case they were written in; lookups through `SIPURI` and `TelURI` ignore ASCII case.
public struct URIParameter: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// The value after `=`, or nil for a flag such as `lr`.
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// `name` or `name=value`, unescaped (for logs, not for the wire).
    public var description: String { value.map { "\(name)=\($0)" } ?? name }
}

/// One `name=value` header of a SIP URI (the part after `?`), unescaped.
public struct URIHeader: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// The value; it may be empty.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `name=value`, unescaped (for logs, not for the wire).
    public var description: String { "\(name)=\(value)" }
}

// Parameter-list operations shared by SIPURI and TelURI.
extension [URIParameter] {
    func firstIndex(named name: String) -> Int? {
        firstIndex { URISyntax.equalsIgnoringCase($0.name, name) }
    }

    func first(named name: String) -> URIParameter? {
        firstIndex(named: name).map { self[$0] }
    }

    /// Sets a valued parameter, or removes it when `value` is nil: what a typed accessor's setter does
    /// (`uri.transport = nil` removes `transport`). A flag parameter such as `lr` is set with `set(_:to: nil)`.
    mutating func setOrRemove(_ name: String, _ value: String?) {
        if let value { set(name, to: value) } else { removeAll(named: name) }
    }

    /// Replaces the value of the first parameter of this name (keeping its place and spelling) and removes any later
    /// ones; appends the parameter if there is none.
    mutating func set(_ name: String, to value: String?) {
        guard let index = firstIndex(named: name) else {
            append(URIParameter(name: name, value: value))
            return
        }
        self[index].value = value
        var later = index + 1
        while later < count {
            if URISyntax.equalsIgnoringCase(self[later].name, name) { remove(at: later) } else { later += 1 }
        }
    }

    mutating func removeAll(named name: String) {
        removeAll { URISyntax.equalsIgnoringCase($0.name, name) }
    }
}
