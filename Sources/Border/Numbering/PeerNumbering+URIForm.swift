import SIPMessage

// The scheme a number travels in toward a peer: `tel:+44…` or `sip:+44…@host;user=phone`.

extension PeerNumbering {
    /// The URI scheme a peer wants numbers in (the policy's `numbering.uri_form`).
    ///
    /// RFC 3261 §19.1.6 lets a telephone number travel as a tel URI or inside a SIP URI flagged `user=phone`;
    /// peers differ in which they accept. Carriers and IMS interconnects (TS 24.229 §5.1.2A.1.3) often want the
    /// tel form; many trunks accept only SIP URIs.
    public enum URIForm: Hashable, Sendable {
        /// A tel URI is carried in a SIP URI at the host given; a SIP URI whose user is a global number gets
        /// `user=phone`.
        case sip
        /// A SIP URI whose user is a global number (`+` and digits) becomes the tel URI of that number, its
        /// telephone-subscriber parameters (`npdi`, `rn`, `ext`, …) kept, its SIP parameters left behind.
        case tel
    }

    /// The URI of `field` of a request going to this peer, as the peer wants it: when the field is configured,
    /// in the peer's scheme (`uriForm`) and its number in the peer's form (`plan.outboundFormat`); then flagged
    /// `user=phone` when the policy says so for every field.
    ///
    /// The scheme is changed before the number's form, so that a national form in a tel URI gets the
    /// `phone-context` RFC 3966 requires of it. `host` is where a tel URI that becomes a SIP URI points: the
    /// B2BUA's own address toward the peer, the host its From already carries for topology hiding; without one a
    /// tel URI stays as it is. A `sips` URI is never made a tel URI: it would lose its demand for TLS.
    public func outbound(_ uri: URI, in field: NumberField, host: Host?) -> URI {
        var written = uri
        if denormalizedFields.contains(field) {
            if let uriForm { written = Self.converting(written, to: uriForm, host: host) }
            written = plan.denormalize(uri: written)
            if uriForm == .sip { written = Self.flaggingUserPhone(written) }
        }
        return flagsUserPhone ? Self.flaggingUserPhone(written) : written
    }

    /// `uri` in `form`; unchanged when it already is, when it carries no global number (a tel URI always carries
    /// one), or when it is a `sips` URI.
    static func converting(_ uri: URI, to form: URIForm, host: Host?) -> URI {
        switch (form, uri) {
        case (.sip, .tel(let tel)):
            guard let host else { return uri }
            return .sip(TelephoneURIConversion.sipURI(from: tel, host: host))
        case (.tel, .sip(let sip)):
            guard let subscriber = TelephoneURIConversion.subscriber(in: uri), subscriber.isGlobal,
                (try? E164Number(parsing: subscriber.number)) != nil, !sip.isSecure
            else { return uri }
            return .tel(subscriber)
        default:
            return uri
        }
    }

    /// `user=phone` on a SIP URI whose user is a global number (RFC 3261 §19.1.6), unless it has a `user`
    /// parameter already.
    static func flaggingUserPhone(_ uri: URI) -> URI {
        guard case .sip(var sip) = uri, let user = sip.user, user.hasPrefix("+"), sip.userParameter == nil else {
            return uri
        }
        sip.userParameter = "phone"
        return .sip(sip)
    }
}
