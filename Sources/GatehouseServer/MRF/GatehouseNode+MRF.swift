import GatehousePolicy
import MRF

/// The MRF's resources follow the policy: read when the node starts and on every reload, before the policy is
/// swapped, so an announcement file that is missing or unplayable refuses the start or the reload instead of
/// leaving a caller in silence later.
extension GatehouseNode {
    /// The resources of `policy`'s `mrf:` section, read now; nil without one.
    static func mrfResources(of policy: Policy, directory: String) throws(MRFResources.LoadError) -> MRFResources? {
        guard let settings = policy.mrf else { return nil }
        return try MRFResources(settings, policyDirectory: directory)
    }

    /// Calls the MRF is answering or in (for tests and status).
    public func activeMRFCallCount() async -> Int {
        (try? await engine.loop.submit { self.engine.mrf.calls.count }.get()) ?? 0
    }

    /// Hands the engine the resources new calls to the MRF use (calls in progress keep theirs).
    func installMRF(_ resources: MRFResources?) {
        engine.loop.execute { [engine] in engine.installMRF(resources) }
    }
}

extension CallEngine {
    /// New MRF calls use `resources`; conference limits change once no room is open (seats are counted against
    /// the limits they were taken under).
    func installMRF(_ resources: MRFResources?) {
        mrf.resources = resources
        if let resources, mrf.rooms.rooms.isEmpty {
            mrf.rooms = ConferenceRooms(configuration: resources.configuration)
        }
    }
}
