import GatehousePolicy
import SIPMessage

extension PeerNumbering {
    /// A peer's numbering as its policy section says.
    public init(settings: NumberingSettings) {
        let form: NumberingPlan.NumberFormat =
            switch settings.sendAs {
            case .e164: .e164
            case .national: .national
            case .nationalSignificant: .nationalSignificant
            case .international: .international
            }
        let plan = NumberingPlan(
            countryCode: settings.countryCode, nationalPrefix: settings.nationalPrefix,
            internationalPrefix: settings.internationalPrefix, nationalNumberLengths: settings.nationalLengths,
            outboundFormat: form)
        var statuses: [NumberingError.Code: SIPStatus] = [:]
        for (code, status) in settings.rejectWith {
            statuses[NumberingError.Code(rawValue: code)] = SIPStatus(status, RouteTarget.defaultReason(for: status))
        }
        let validation = NumberValidation(
            allowedCountryCodes: settings.allowedCountryCodes, nationalLengths: settings.countryLengths,
            blockedPrefixes: settings.blockedPrefixes, statuses: statuses)
        self.init(
            plan: plan, validation: validation, normalizedFields: Set(settings.normalize.map(NumberField.init)),
            validatedFields: Set(settings.validate.map(NumberField.init)),
            denormalizedFields: Set(settings.outbound.map(NumberField.init)),
            acceptsNumericUser: settings.numericUser, uriForm: settings.uriForm.map(URIForm.init),
            flagsUserPhone: settings.userPhone)
    }
}

extension PeerNumbering.URIForm {
    init(_ form: NumberingSettings.URIForm) {
        switch form {
        case .sip: self = .sip
        case .tel: self = .tel
        }
    }
}

extension NumberField {
    init(_ field: NumberingSettings.Field) {
        switch field {
        case .requestURI: self = .requestURI
        case .from: self = .from
        case .to: self = .to
        case .pAssertedIdentity: self = .pAssertedIdentity
        }
    }
}

extension StaticENUMTable {
    /// The policy's `enum.static` table.
    public init(settings: ENUMSettings) throws(NumberingError) {
        var entries: [Entry] = []
        for entry in settings.staticEntries {
            let target: Target =
                switch entry.target {
                case .peer(let name): .peer(name)
                case .reject(let code): .reject(SIPStatus(code, RouteTarget.defaultReason(for: code)))
                }
            entries.append(try Entry(entry.pattern, target: target))
        }
        try self.init(entries)
    }
}
