// Dialled forms → E.164 and back, by one peer's plan.

extension NumberingPlan {
    /// The E.164 number a peer means by `user` (the user part of a URI, or a tel number).
    ///
    /// In order: separators removed (if the plan says so); a leading `+` means the digits are already international;
    /// the international prefix (`011`, `00`) is followed by a country code; the national prefix (`1`, `0`) is
    /// followed by a national number, which must have a length the plan allows; a bare national number of such a
    /// length gets the plan's country code. The international prefix is tried before the national one because in Europe `00` starts
    /// with `0`.
    ///
    /// Errors: `.notANumber`, `.tooShort` (484: the peer may be dialling a number it has not finished), `.tooLong`,
    /// `.unknownCountryCode` (604).
    public func normalize(_ user: String) -> Result<E164Number, NumberingError> {
        Result { () throws(NumberingError) in try normalized(user) }
    }

    /// `normalize(_:)` as a throwing function, for callers that chain several steps.
    public func normalized(_ user: String) throws(NumberingError) -> E164Number {
        // Read through the text's own UTF-8 (no copies): every numbered field of every initial request comes here.
        let text = stripsVisualSeparators ? E164Number.removingSeparators(user) : user
        let bytes = text.utf8
        if bytes.first == UInt8(ascii: "+") {
            guard acceptsLeadingPlus else {
                throw NumberingError(.notANumber, "this peer's numbers never start with '+': '\(user)'")
            }
            return try E164Number(digits: String(text.dropFirst()))
        }
        guard !bytes.isEmpty, bytes.allSatisfy(E164Number.isDigit) else {
            throw NumberingError(.notANumber, "'\(user)' is not a telephone number")
        }
        let international = internationalPrefix.utf8
        if !international.isEmpty, bytes.count > international.count, bytes.starts(with: international) {
            return try E164Number(digits: String(decoding: bytes.dropFirst(international.count), as: UTF8.self))
        }
        // A national significant number never starts with the trunk prefix (that is what makes the prefix
        // readable), so digits that start with it are the prefix and a national number whatever their length:
        // `020794600` is a London number one digit short (484), not a nine-digit number `020794600`.
        let trunk = nationalPrefix.utf8
        let national = !trunk.isEmpty && bytes.starts(with: trunk) ? bytes.dropFirst(trunk.count) : bytes[...]
        guard nationalNumberLengths.contains(national.count) else {
            if national.count < nationalNumberLengths.lowerBound {
                throw NumberingError(
                    .tooShort,
                    "'\(user)' is shorter than a national number of +\(countryCode) "
                        + "(\(nationalNumberLengths.lowerBound) digits)")
            }
            throw NumberingError(
                .tooLong,
                "'\(user)' is longer than a national number of +\(countryCode) "
                    + "(\(nationalNumberLengths.upperBound) digits)")
        }
        return try E164Number(digits: countryCodeDigits + String(decoding: national, as: UTF8.self))
    }

    /// The number written in the plan's `outboundFormat`, for a peer that wants national forms.
    public func denormalize(_ number: E164Number) -> String {
        denormalize(number, as: outboundFormat)
    }

    /// The number written in `format`. A foreign number in a national format gets the international prefix (or
    /// stays E.164 when the plan has none): it has no national form here.
    public func denormalize(_ number: E164Number, as format: NumberFormat) -> String {
        let abroad = internationalPrefix.isEmpty ? number.description : internationalPrefix + number.digits
        switch format {
        case .e164:
            return number.description
        case .international:
            return abroad
        case .national, .nationalSignificant:
            guard number.countryCode == countryCode else { return abroad }
            let prefix = format == .national ? nationalPrefix : ""
            return prefix + number.nationalSignificantNumber
        }
    }
}
