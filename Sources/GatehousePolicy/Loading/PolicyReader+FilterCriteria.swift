import SIPMessage
import Yams

extension PolicyReader {
    typealias FilterCriterion = ProvisionedSubscriber.FilterCriterion
    typealias TriggerCondition = ProvisionedSubscriber.Condition

    static let conditionKinds = ["method", "request_uri", "header", "session_case", "sdp_line"]

    /// A subscriber's service profiles as read: their names even when a profile is broken, so that the public
    /// identities naming it are not reported as well.
    struct ReadProfiles {
        var profiles: [ProvisionedSubscriber.ServiceProfile] = []
        var names: [String] = []
        var isValid = true
    }

    /// `service_profiles: [{ name, ifc: [...] }]`: names unique within the subscriber.
    static func readServiceProfiles(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> ReadProfiles {
        var read = ReadProfiles()
        guard let items = reader.sequence(yaml, "\(what) service_profiles") else {
            read.isValid = false
            return read
        }
        for item in items {
            guard
                let entries = reader.mapping(
                    item, "a service profile of \(what)", allowed: ["name", "ifc", "ifc_xml"], required: ["name"]),
                let nameNode = entries["name"], let name = reader.string(nameNode, "\(what) service profile name")
            else {
                read.isValid = false
                continue
            }
            if !isValidName(name) {
                reader.report(
                    .badName, "\(what): service profile name '\(name)' must be letters, digits, '-' and '_'",
                    at: nameNode)
                read.isValid = false
            } else if read.names.contains(name) {
                reader.report(.duplicateKey, "\(what): service profile '\(name)' is defined twice", at: nameNode)
                read.isValid = false
            }
            read.names.append(name)
            var criteria: [FilterCriterion] = []
            if let node = entries["ifc"] {
                if let list = readFilterCriteria(node, "\(what) service profile '\(name)'", reader: &reader) {
                    criteria = list
                } else {
                    read.isValid = false
                }
            }
            if let node = entries["ifc_xml"] {
                if let list = readFilterCriteriaXML(node, "\(what) service profile '\(name)'", reader: &reader) {
                    let taken = Set(criteria.map(\.priority))
                    for duplicate in list where taken.contains(duplicate.priority) {
                        reader.report(
                            .duplicatePriority,
                            "\(what) service profile '\(name)': priority \(duplicate.priority) is in ifc and ifc_xml",
                            at: node)
                        read.isValid = false
                    }
                    criteria += list
                } else {
                    read.isValid = false
                }
            }
            read.profiles.append(ProvisionedSubscriber.ServiceProfile(name: name, filterCriteria: criteria))
        }
        return read
    }

    /// `ifc: [{ priority, trigger, application_server, profile_part }]`: priorities unique within the profile.
    static func readFilterCriteria(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [FilterCriterion]? {
        guard let items = reader.sequence(yaml, "\(what) ifc") else { return nil }
        var criteria: [FilterCriterion] = []
        var priorities: Set<Int> = []
        var valid = true
        for item in items {
            guard
                let entries = reader.mapping(
                    item, "an ifc of \(what)", allowed: ["priority", "trigger", "application_server", "profile_part"],
                    required: ["priority", "application_server"])
            else {
                valid = false
                continue
            }
            let priority = entries["priority"].flatMap {
                reader.integer($0, "\(what) ifc priority", in: 0...Int(Int32.max))
            }
            if let priority, !priorities.insert(priority).inserted {
                reader.report(
                    .duplicatePriority, "\(what): priority \(priority) is used by an earlier ifc",
                    at: entries["priority"])
                valid = false
            }
            let label = "\(what) ifc \(priority.map(String.init) ?? "?")"
            var trigger: ProvisionedSubscriber.Trigger?
            if let node = entries["trigger"] {
                trigger = readTrigger(node, "\(label) trigger", reader: &reader)
                valid = valid && trigger != nil
            }
            let server = entries["application_server"].flatMap {
                readApplicationServer($0, "\(label) application_server", reader: &reader)
            }
            var profilePart: FilterCriterion.ProfilePart?
            if let node = entries["profile_part"] {
                profilePart = readChoice(node, "\(label) profile_part", reader: &reader)
                valid = valid && profilePart != nil
            }
            guard let priority, let server else {
                valid = false
                continue
            }
            criteria.append(
                FilterCriterion(
                    priority: priority, trigger: trigger, applicationServer: server, profilePart: profilePart))
        }
        return valid ? criteria : nil
    }

    /// `"sip:as.example"` or `{ uri, default_handling: continue | terminate, service_info }`.
    static func readApplicationServer(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> ProvisionedSubscriber.ApplicationServer? {
        guard case .mapping = yaml else {
            return readNextHop(yaml, "\(what)", reader: &reader).map { .init(uri: $0) }
        }
        guard
            let entries = reader.mapping(
                yaml, what, allowed: ["uri", "default_handling", "service_info"], required: ["uri"]),
            let uriNode = entries["uri"]
        else { return nil }
        let uri = readNextHop(uriNode, "\(what) uri", reader: &reader)
        var server = uri.map { ProvisionedSubscriber.ApplicationServer(uri: $0) }
        if let node = entries["default_handling"] {
            let handling: ProvisionedSubscriber.ApplicationServer.DefaultHandling? = readChoice(
                node, "\(what) default_handling", reader: &reader)
            guard let handling else { return nil }
            server?.defaultHandling = handling
        }
        if let node = entries["service_info"] {
            guard let info = reader.string(node, "\(what) service_info") else { return nil }
            server?.serviceInfo = info
        }
        return server
    }

    /// `{ all: [[…], […]] }` (an AND of OR-groups) or `{ any: [[…], […]] }` (an OR of AND-groups).
    static func readTrigger(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> ProvisionedSubscriber.Trigger? {
        guard let entries = reader.mapping(yaml, what, allowed: ["all", "any"]) else { return nil }
        let form: ProvisionedSubscriber.Trigger.Form
        let groupsNode: Node
        switch (entries["all"], entries["any"]) {
        case (nil, nil):
            reader.report(
                .missingKey,
                "\(what) needs 'all' (every group has a matching condition) or 'any' (some group has all its conditions matching)",
                at: yaml)
            return nil
        case (.some, let any?):
            reader.report(.conflictingKeys, "\(what) takes 'all' or 'any', not both", at: any)
            return nil
        case (let all?, nil):
            (form, groupsNode) = (.conjunctive, all)
        case (nil, let any?):
            (form, groupsNode) = (.disjunctive, any)
        }
        let label = "\(what) \(form.rawValue)"
        guard let groupItems = reader.sequence(groupsNode, label) else { return nil }
        guard !groupItems.isEmpty else {
            reader.report(.badValue, "\(label) needs at least one group of conditions", at: groupsNode)
            return nil
        }
        var groups: [[TriggerCondition]] = []
        var valid = true
        for groupNode in groupItems {
            guard case .sequence(let items) = groupNode, !items.isEmpty else {
                reader.report(
                    .wrongType,
                    "\(label) is a list of groups, each a non-empty list of conditions: \(form.rawValue): [[{ method: INVITE }]]",
                    at: groupNode)
                valid = false
                continue
            }
            let conditions = items.compactMap { readTriggerCondition($0, label, reader: &reader) }
            valid = valid && conditions.count == items.count
            groups.append(conditions)
        }
        return valid ? ProvisionedSubscriber.Trigger(form: form, groups: groups) : nil
    }

    /// One condition: exactly one of `method`, `request_uri`, `header`, `session_case`, `sdp_line`, and an optional
    /// `not: true`.
    static func readTriggerCondition(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> TriggerCondition? {
        guard let entries = reader.mapping(yaml, "a condition of \(what)", allowed: conditionKinds + ["not"]) else {
            return nil
        }
        let given = conditionKinds.filter { entries[$0] != nil }
        guard given.count == 1, let kindName = given.first, let node = entries[kindName] else {
            if given.isEmpty {
                reader.report(
                    .missingKey,
                    "a condition of \(what) needs one of \(conditionKinds.joined(separator: ", "))", at: yaml)
            } else {
                reader.report(
                    .conflictingKeys,
                    "a condition of \(what) has one of \(conditionKinds.joined(separator: ", ")); make \(given.joined(separator: " and ")) separate conditions",
                    at: entries[given[1]])
            }
            return nil
        }
        let isNegated = entries["not"].map { reader.boolean($0, "\(what) not") } ?? false
        let kind: TriggerCondition.Kind?
        switch kindName {
        case "method": kind = readMethodCondition(node, what, reader: &reader)
        case "request_uri":
            kind = readConditionPattern(node, "\(what) request_uri", reader: &reader).map { .requestURI($0) }
        case "header": kind = readHeaderCondition(node, "\(what) header", reader: &reader)
        case "session_case":
            let sessionCase: ProvisionedSubscriber.SessionCase? = readChoice(
                node, "\(what) session_case", reader: &reader)
            kind = sessionCase.map { .sessionCase($0) }
        default: kind = readSDPLineCondition(node, "\(what) sdp_line", reader: &reader)
        }
        guard let kind, let isNegated else { return nil }
        return TriggerCondition(kind, isNegated: isNegated)
    }

    static func readMethodCondition(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> TriggerCondition.Kind? {
        guard let method = reader.string(yaml, "\(what) method") else { return nil }
        if let problem = methodProblem(method) {
            reader.report(.badMethod, "\(what): method '\(method)' \(problem)", at: yaml)
            return nil
        }
        return .method(SIPMethod(method))
    }

    /// `header: NAME` (present) or `header: { name: NAME, value: REGEX }`.
    static func readHeaderCondition(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> TriggerCondition.Kind? {
        var nameNode = yaml
        var value: String?
        if case .mapping = yaml {
            guard let entries = reader.mapping(yaml, what, allowed: ["name", "value"], required: ["name"]),
                let node = entries["name"]
            else { return nil }
            nameNode = node
            if let valueNode = entries["value"] {
                guard let pattern = readConditionPattern(valueNode, "\(what) value", reader: &reader) else {
                    return nil
                }
                value = pattern
            }
        }
        guard let text = reader.string(nameNode, "\(what) name"),
            let pattern = readHeaderPattern(text, nameNode, "\(what) name", reader: &reader)
        else { return nil }
        guard case .name(let name) = pattern.kind else {
            reader.report(.badHeaderName, "\(what) name '\(text)' must name one header, not a wildcard", at: nameNode)
            return nil
        }
        return .header(name: name, value: value)
    }

    /// `sdp_line: m` (present) or `sdp_line: { line: m, content: REGEX }`; a line type is one lower-case letter
    /// (RFC 8866 §5).
    static func readSDPLineCondition(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> TriggerCondition.Kind? {
        var lineNode = yaml
        var content: String?
        if case .mapping = yaml {
            guard let entries = reader.mapping(yaml, what, allowed: ["line", "content"], required: ["line"]),
                let node = entries["line"]
            else { return nil }
            lineNode = node
            if let contentNode = entries["content"] {
                guard let pattern = readConditionPattern(contentNode, "\(what) content", reader: &reader) else {
                    return nil
                }
                content = pattern
            }
        }
        guard let line = reader.string(lineNode, "\(what) line") else { return nil }
        guard line.count == 1, let letter = line.unicodeScalars.first, ("a"..."z").contains(letter) else {
            reader.report(.badValue, "\(what) line '\(line)' must be one lower-case letter (m, a, c, …)", at: lineNode)
            return nil
        }
        return .sdpLine(line: line, content: content)
    }

    /// A regular expression of a condition, checked to compile (Swift `Regex` syntax, as route patterns).
    static func readConditionPattern(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> String? {
        guard let pattern = reader.string(yaml, what) else { return nil }
        do {
            _ = try UserPattern(pattern)
        } catch {
            reportBadPattern(pattern, error, what: what, node: yaml, reader: &reader, label: "pattern")
            return nil
        }
        return pattern
    }
}
