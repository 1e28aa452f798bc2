import IMSInterfaces

// The JSON forms of a service profile's iFCs and of S-CSCF capabilities (TS 29.228 Annex B), as the store writes
// them. They mirror the IMSInterfaces model field by field but are HSS-private, so that the model can change
// without changing what a database file holds: a new model field gets an optional JSON key.

/// One `InitialFilterCriterion`.
struct StoredFilterCriterion: Codable, Hashable {
    var priority: Int
    var triggerPoint: StoredTriggerPoint?
    var applicationServer: String
    var defaultHandling: String
    var serviceInfo: String?
    var profilePart: String?

    init(_ criterion: InitialFilterCriterion) {
        priority = criterion.priority
        triggerPoint = criterion.triggerPoint.map(StoredTriggerPoint.init)
        applicationServer = criterion.applicationServer.serverName
        defaultHandling = criterion.applicationServer.defaultHandling.rawValue
        serviceInfo = criterion.applicationServer.serviceInfo
        profilePart = criterion.profilePart?.rawValue
    }

    func model(_ what: String) throws(HSSStoreError) -> InitialFilterCriterion {
        guard let handling = ApplicationServer.DefaultHandling(rawValue: defaultHandling) else {
            throw HSSStoreError(.corrupt, "\(what): unknown default handling \(defaultHandling)")
        }
        var part: InitialFilterCriterion.ProfilePart?
        if let profilePart {
            guard let known = InitialFilterCriterion.ProfilePart(rawValue: profilePart) else {
                throw HSSStoreError(.corrupt, "\(what): unknown profile part \(profilePart)")
            }
            part = known
        }
        return InitialFilterCriterion(
            priority: priority, triggerPoint: try triggerPoint?.model(what),
            applicationServer: ApplicationServer(
                serverName: applicationServer, defaultHandling: handling, serviceInfo: serviceInfo),
            profilePart: part)
    }
}

/// One `TriggerPoint`.
struct StoredTriggerPoint: Codable, Hashable {
    var form: String
    var groups: [[StoredServicePointTrigger]]

    init(_ point: TriggerPoint) {
        form = point.form.rawValue
        groups = point.groups.map { $0.map(StoredServicePointTrigger.init) }
    }

    func model(_ what: String) throws(HSSStoreError) -> TriggerPoint {
        guard let form = TriggerPoint.Form(rawValue: form) else {
            throw HSSStoreError(.corrupt, "\(what): unknown trigger point form \(self.form)")
        }
        var modelGroups: [[ServicePointTrigger]] = []
        for group in groups {
            var triggers: [ServicePointTrigger] = []
            for trigger in group { triggers.append(try trigger.model(what)) }
            modelGroups.append(triggers)
        }
        return TriggerPoint(form: form, groups: modelGroups)
    }
}

/// One `ServicePointTrigger`: exactly one of the condition keys is present; `pattern` goes with `header` (the
/// value's expression) and `sdpLine` (the content's).
struct StoredServicePointTrigger: Codable, Hashable {
    var negated: Bool
    var method: String?
    var requestURI: String?
    var header: String?
    var sessionCase: String?
    var sdpLine: String?
    var pattern: String?

    init(_ trigger: ServicePointTrigger) {
        negated = trigger.isNegated
        switch trigger.condition {
        case .method(let method): self.method = method
        case .requestURI(let expression): requestURI = expression
        case .header(let name, let value):
            header = name
            pattern = value
        case .sessionCase(let sessionCase): self.sessionCase = sessionCase.rawValue
        case .sdpLine(let line, let content):
            sdpLine = line
            pattern = content
        }
    }

    func model(_ what: String) throws(HSSStoreError) -> ServicePointTrigger {
        let present = [method, requestURI, header, sessionCase, sdpLine].compactMap { $0 }
        guard present.count == 1 else {
            throw HSSStoreError(.corrupt, "\(what): a service point trigger has \(present.count) conditions, not 1")
        }
        let condition: ServicePointTrigger.Condition
        if let method {
            condition = .method(method)
        } else if let requestURI {
            condition = .requestURI(requestURI)
        } else if let header {
            condition = .header(name: header, value: pattern)
        } else if let sdpLine {
            condition = .sdpLine(line: sdpLine, content: pattern)
        } else {
            guard let sessionCase, let known = SessionCase(rawValue: sessionCase) else {
                throw HSSStoreError(.corrupt, "\(what): unknown session case \(sessionCase ?? "")")
            }
            condition = .sessionCase(known)
        }
        return ServicePointTrigger(condition, isNegated: negated)
    }
}

/// `SCSCFCapabilities`.
struct StoredCapabilities: Codable, Hashable {
    var mandatory: [Int]
    var optional: [Int]

    init(_ capabilities: SCSCFCapabilities) {
        mandatory = capabilities.mandatory
        optional = capabilities.optional
    }

    var model: SCSCFCapabilities { SCSCFCapabilities(mandatory: mandatory, optional: optional) }
}
