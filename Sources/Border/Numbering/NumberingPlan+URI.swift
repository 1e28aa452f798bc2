import SIPMessage

/// A URI whose telephone number has been normalized, and that number.
public struct NumberedURI: Hashable, Sendable {
    /// The URI as it should travel on: the number in `+CC…` form, parameters kept.
    public var uri: URI
    /// The number it carries; nil when it carries none (`sip:alice@host`) or was left alone.
    public var number: E164Number?

    public init(uri: URI, number: E164Number?) {
        self.uri = uri
        self.number = number
    }
}

extension NumberingPlan {
    /// Rewrites the number inside a Request-URI or a From, To or P-Asserted-Identity URI to E.164 (pure: returns the
    /// new URI). A URI that carries no telephone number comes back unchanged with a nil `number`.
    ///
    /// A local tel number (RFC 3966 §5.1.5) is read through its `phone-context`: a global context equal to the plan's
    /// country code, or a domain name, means the plan's national rules apply; a global context of another country
    /// is taken as the number's leading digits (`7042;phone-context=+44-20` → `+44207042…`). The result is global, so
    /// `phone-context` is removed (a global number must not carry it); every other parameter stays.
    public func normalize(uri: URI, acceptingNumericUser: Bool = true) -> Result<NumberedURI, NumberingError> {
        Result { () throws(NumberingError) in
            guard
                let subscriber = TelephoneURIConversion.subscriber(in: uri, acceptingNumericUser: acceptingNumericUser)
            else { return NumberedURI(uri: uri, number: nil) }
            let number = try normalizedSubscriber(subscriber)
            var rewritten = subscriber
            rewritten.number = number.description
            rewritten.phoneContext = nil
            return NumberedURI(
                uri: TelephoneURIConversion.replacingSubscriber(in: uri, with: rewritten), number: number)
        }
    }

    /// The URI with its E.164 number written in `format` for this peer; unchanged when it carries no global number.
    /// A tel URI holding a national form gets `phone-context=+CC`, which RFC 3966 requires of local numbers; a SIP
    /// user gets none, since peers that ask for national numbers do not expect one.
    public func denormalize(uri: URI, as format: NumberFormat? = nil) -> URI {
        guard let subscriber = TelephoneURIConversion.subscriber(in: uri),
            let number = try? E164Number(parsing: subscriber.number)
        else { return uri }
        var rewritten = subscriber
        rewritten.number = denormalize(number, as: format ?? outboundFormat)
        if case .tel = uri, !rewritten.isGlobal {
            rewritten.phoneContext = "+" + countryCodeDigits
        }
        // Already in the peer's form (an E.164 number toward an E.164 peer): nothing to rebuild.
        guard rewritten != subscriber else { return uri }
        return TelephoneURIConversion.replacingSubscriber(in: uri, with: rewritten)
    }

    /// The E.164 number of a telephone-subscriber, reading a local number through its `phone-context`.
    func normalizedSubscriber(_ subscriber: TelURI) throws(NumberingError) -> E164Number {
        guard !subscriber.isGlobal, let context = subscriber.phoneContext, context.utf8.first == UInt8(ascii: "+")
        else { return try normalized(subscriber.number) }
        let contextDigits = E164Number.removingSeparators(String(decoding: context.utf8.dropFirst(), as: UTF8.self))
        if contextDigits == countryCodeDigits { return try normalized(subscriber.number) }
        let local = E164Number.removingSeparators(subscriber.number)
        guard local.utf8.allSatisfy(E164Number.isDigit) else {
            throw NumberingError(.unresolvableContext, "'\(subscriber.number)' in context \(context) is not digits")
        }
        return try E164Number(digits: contextDigits + local)
    }
}
