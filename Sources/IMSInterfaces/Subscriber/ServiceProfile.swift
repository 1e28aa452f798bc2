/// A service profile (TS 29.228 Annex B): the initial filter criteria the S-CSCF evaluates for requests of the
/// public identities that use it. Issue 7's S-CSCF evaluates them; the HSS stores and hands them out.
public struct ServiceProfile: Hashable, Sendable {
    public var name: String
    /// Evaluated in ascending `priority` order.
    public var initialFilterCriteria: [InitialFilterCriterion]

    public init(name: String, initialFilterCriteria: [InitialFilterCriterion] = []) {
        self.name = name
        self.initialFilterCriteria = initialFilterCriteria.sorted { $0.priority < $1.priority }
    }
}
