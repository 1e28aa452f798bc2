import SIPMessage
import Yams

/// Initial filter criteria in the XML form of TS 29.228 Annex B (`ifc_xml:` of a service profile): the
/// `<InitialFilterCriteria>` elements of the text, wherever they are (alone, inside a `<ServiceProfile>` or a whole
/// `<IMSSubscription>`), become the same criteria as the YAML form.
///
/// ```xml
/// <InitialFilterCriteria>
///   <Priority>10</Priority>
///   <TriggerPoint>
///     <ConditionTypeCNF>1</ConditionTypeCNF>            1: CNF (an AND of OR-groups), 0: DNF
///     <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT>
///     <SPT><Group>1</Group><SessionCase>0</SessionCase></SPT>
///   </TriggerPoint>
///   <ApplicationServer>
///     <ServerName>sip:as.ims.example</ServerName>
///     <DefaultHandling>0</DefaultHandling>               0: SESSION_CONTINUED, 1: SESSION_TERMINATED
///     <ServiceInfo>gold</ServiceInfo>
///   </ApplicationServer>
///   <ProfilePartIndicator>0</ProfilePartIndicator>      0: REGISTERED, 1: UNREGISTERED (absent: both)
/// </InitialFilterCriteria>
/// ```
///
/// An SPT is one of `<Method>`, `<RequestURI>`, `<SIPHeader><Header>…<Content>…</SIPHeader>`, `<SessionCase>` (0
/// originating, 1 terminating registered, 2 terminating unregistered, 3 originating unregistered, 4 originating
/// CDIV) or `<SessionDescription><Line>…<Content>…</SessionDescription>`; it joins every `<Group>` it lists. Problems
/// are reported at the `ifc_xml` value, with the line and column inside the XML.
extension PolicyReader {
    static func readFilterCriteriaXML(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [FilterCriterion]? {
        guard let text = reader.string(yaml, "\(what) ifc_xml") else { return nil }
        let root: XMLElementTree.Element
        do {
            root = try XMLElementTree.parse(text)
        } catch {
            reader.report(.badXML, "\(what) ifc_xml: \(error.message) (XML \(error.line):\(error.column))", at: yaml)
            return nil
        }
        var mapper = FilterCriteriaXMLMapper()
        var criteria: [FilterCriterion] = []
        for element in root.descendants(named: "InitialFilterCriteria") {
            guard let criterion = mapper.criterion(element) else { continue }
            if criteria.contains(where: { $0.priority == criterion.priority }) {
                mapper.problem("priority \(criterion.priority) is used by an earlier criterion", at: element)
            }
            criteria.append(criterion)
        }
        for problem in mapper.problems {
            reader.report(.badXML, "\(what) ifc_xml: \(problem)", at: yaml)
        }
        if root.descendants(named: "InitialFilterCriteria").isEmpty {
            reader.report(.badXML, "\(what) ifc_xml has no <InitialFilterCriteria>", at: yaml)
            return nil
        }
        return mapper.problems.isEmpty ? criteria : nil
    }
}

/// TS 29.228 Annex B elements → the provisioned model, collecting every problem.
struct FilterCriteriaXMLMapper {
    typealias Element = XMLElementTree.Element
    typealias Condition = ProvisionedSubscriber.Condition

    var problems: [String] = []

    mutating func problem(_ message: String, at element: Element) {
        problems.append("\(message) (XML \(element.line):\(element.column))")
    }

    mutating func criterion(_ element: Element) -> ProvisionedSubscriber.FilterCriterion? {
        let before = problems.count
        let priority = integer(element, "Priority", in: 0...Int(Int32.max), required: true)
        var trigger: ProvisionedSubscriber.Trigger?
        if let point = element.child("TriggerPoint") { trigger = self.trigger(point) }
        var server: ProvisionedSubscriber.ApplicationServer?
        if let serverElement = element.child("ApplicationServer") {
            server = applicationServer(serverElement)
        } else {
            problem("<InitialFilterCriteria> needs <ApplicationServer>", at: element)
        }
        var part: ProvisionedSubscriber.FilterCriterion.ProfilePart?
        switch integer(element, "ProfilePartIndicator", in: 0...1, required: false) {
        case 0?: part = .registered
        case 1?: part = .unregistered
        default: part = nil
        }
        guard problems.count == before, let priority, let server else { return nil }
        return ProvisionedSubscriber.FilterCriterion(
            priority: priority, trigger: trigger, applicationServer: server, profilePart: part)
    }

    mutating func trigger(_ element: Element) -> ProvisionedSubscriber.Trigger? {
        let form: ProvisionedSubscriber.Trigger.Form =
            integer(element, "ConditionTypeCNF", in: 0...1, required: true) == 0 ? .disjunctive : .conjunctive
        var groups: [Int: [Condition]] = [:]
        for spt in element.children(named: "SPT") {
            guard let condition = condition(spt) else { continue }
            let numbers = spt.children(named: "Group").compactMap { group -> Int? in
                guard let number = Int(group.trimmedText), number >= 0 else {
                    problem("<Group> must be a whole number, not '\(group.trimmedText)'", at: group)
                    return nil
                }
                return number
            }
            for number in numbers.isEmpty ? [0] : numbers { groups[number, default: []].append(condition) }
        }
        guard !groups.isEmpty else {
            problem("<TriggerPoint> has no <SPT>", at: element)
            return nil
        }
        return ProvisionedSubscriber.Trigger(form: form, groups: groups.keys.sorted().map { groups[$0]! })
    }

    mutating func condition(_ spt: Element) -> Condition? {
        let negated = integer(spt, "ConditionNegated", in: 0...1, required: false) == 1
        let kinds = ["Method", "RequestURI", "SIPHeader", "SessionCase", "SessionDescription"]
        let present = spt.children.filter { kinds.contains($0.name) }
        guard present.count == 1, let element = present.first else {
            problem("<SPT> needs exactly one of \(kinds.map { "<\($0)>" }.joined(separator: ", "))", at: spt)
            return nil
        }
        let kind: Condition.Kind?
        switch element.name {
        case "Method":
            let method = element.trimmedText
            if let issue = PolicyReader.methodProblem(method) {
                problem("method '\(method)' \(issue)", at: element)
                kind = nil
            } else {
                kind = .method(SIPMethod(method))
            }
        case "RequestURI":
            kind = pattern(element).map { .requestURI($0) }
        case "SIPHeader":
            guard let header = element.child("Header")?.trimmedText, !header.isEmpty else {
                problem("<SIPHeader> needs <Header>", at: element)
                return nil
            }
            let content = element.child("Content").flatMap { pattern($0) }
            kind = .header(name: HeaderName(header), value: content)
        case "SessionCase":
            let cases: [ProvisionedSubscriber.SessionCase] = [
                .originating, .terminatingRegistered, .terminatingUnregistered, .originatingUnregistered,
                .originatingCDIV,
            ]
            guard let number = Int(element.trimmedText), cases.indices.contains(number) else {
                problem("<SessionCase> must be 0 to 4, not '\(element.trimmedText)'", at: element)
                return nil
            }
            kind = .sessionCase(cases[number])
        default:
            guard let line = element.child("Line")?.trimmedText.lowercased(), line.count == 1,
                line.first.map({ $0.isLetter && $0.isASCII }) == true
            else {
                problem("<SessionDescription> needs <Line>, one letter such as m", at: element)
                return nil
            }
            kind = .sdpLine(line: line, content: element.child("Content").flatMap { pattern($0) })
        }
        return kind.map { Condition($0, isNegated: negated) }
    }

    mutating func applicationServer(_ element: Element) -> ProvisionedSubscriber.ApplicationServer? {
        guard let nameElement = element.child("ServerName") else {
            problem("<ApplicationServer> needs <ServerName>", at: element)
            return nil
        }
        guard let uri = try? SIPURI(parsing: nameElement.trimmedText) else {
            problem("<ServerName> '\(nameElement.trimmedText)' is not a SIP URI", at: nameElement)
            return nil
        }
        var server = ProvisionedSubscriber.ApplicationServer(uri: uri)
        if integer(element, "DefaultHandling", in: 0...1, required: false) == 1 { server.defaultHandling = .terminate }
        server.serviceInfo = element.child("ServiceInfo")?.text
        return server
    }

    /// A regular expression's text, checked like the YAML form's.
    mutating func pattern(_ element: Element) -> String? {
        let text = element.trimmedText
        do {
            _ = try UserPattern(text)
        } catch {
            problem("<\(element.name)> '\(text)' is not a valid regular expression", at: element)
            return nil
        }
        return text
    }

    /// The whole number in child `name`, within `range`; nil (with a problem when it is wrong or required) else.
    mutating func integer(_ element: Element, _ name: String, in range: ClosedRange<Int>, required: Bool) -> Int? {
        guard let child = element.child(name) else {
            if required { problem("<\(element.name)> needs <\(name)>", at: element) }
            return nil
        }
        guard let value = Int(child.trimmedText), range.contains(value) else {
            problem(
                "<\(name)> must be \(range.lowerBound) to \(range.upperBound), not '\(child.trimmedText)'", at: child)
            return nil
        }
        return value
    }
}
