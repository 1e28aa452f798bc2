import Border
import GatehousePolicy
import HSS
import Logging

/// The embedded IMS core's life in the node: made at start when the policy embeds it (the store opened, the
/// policy's subscribers provisioned, registrations restored), its subscribers provisioned again at each reload.
extension GatehouseNode {
    /// Starts the embedded core if the policy has one; throws (nothing started) when its store cannot be opened or
    /// a subscriber cannot be provisioned.
    func startIMSCore(_ snapshot: ActivePolicy.Snapshot) async throws {
        guard let ims = snapshot.policy.ims, let embedded = ims.embedded else { return }
        let store = try IMSStateStore.open(snapshot.policy.node.state, directory: snapshot.directory)
        let provisioned = try SubscriberProvisioning.provision(embedded.subscribers, into: store, domain: ims.domain)
        let settings = IMSCoreSettings(domain: ims.domain, embedded: embedded)
        let core = try EmbeddedIMSCore(settings: settings, store: store, logger: logger)
        try await engine.loop.submit { [engine] in
            engine.imsCore = core
            engine.authenticationFailures = AuthenticationFailureTracker(settings.failures)
        }.get()
        logger.notice(
            "embedded IMS core started",
            metadata: ["domain": "\(ims.domain)", "provisioned": "\(provisioned.count)"])
    }

    /// After a reload: the new policy's subscribers go into the HSS (added or replaced, never deleted). Other
    /// changes to the embedded core's settings take effect at the next start.
    func reprovisionIMSCore(old: Policy, new snapshot: ActivePolicy.Snapshot) async {
        let running = try? await engine.loop.submit { [engine] in engine.imsCore }.get()
        guard let core = running ?? nil, let ims = snapshot.policy.ims, let embedded = ims.embedded else {
            if old.ims != snapshot.policy.ims {
                logger.warning("a changed IMS core (embedded or external) takes effect at the next start")
            }
            return
        }
        do {
            let provisioned = try SubscriberProvisioning.provision(
                embedded.subscribers, into: core.store, domain: ims.domain)
            logger.notice("IMS subscribers provisioned", metadata: ["provisioned": "\(provisioned.count)"])
        } catch {
            logger.error("IMS subscribers not provisioned", metadata: ["error": "\(error)"])
        }
        var oldSettings = old.ims?.embedded
        oldSettings?.subscribers = []
        var newSettings = embedded
        newSettings.subscribers = []
        if oldSettings != newSettings {
            logger.warning("changed IMS core settings (other than subscribers) take effect at the next start")
        }
    }

    /// Registration sets the embedded core holds (0 without one).
    public func imsRegisteredSetCount() async -> Int {
        guard let core = try? await engine.loop.submit({ [engine] in engine.imsCore }).get() else { return 0 }
        return core.census().registeredSets
    }

    /// Makes the embedded core's state durable in its file (at stop); a failure is logged, not thrown: the
    /// database stays consistent and its log is replayed at the next start.
    func flushIMSState() async {
        guard let core = try? await engine.loop.submit({ [engine] in engine.imsCore }).get() else { return }
        do {
            try core.flush()
        } catch {
            logger.error("could not flush the IMS state at stop", metadata: ["error": "\(error)"])
        }
    }

    /// The contacts registered with the embedded core (none without one).
    public func imsRegistrations() async -> [IMSRegistrationSummary] {
        guard let core = try? await engine.loop.submit({ [engine] in engine.imsCore }).get() else { return [] }
        return core.registrations().map { server, binding in
            IMSRegistrationSummary(
                publicIdentity: binding.publicIdentity.description,
                privateIdentity: binding.privateIdentity.description, contact: binding.contact,
                scscf: server, expiresAt: Int(binding.expiresAt.secondsSince1970),
                registeredAt: Int(binding.registeredAt.secondsSince1970), receivedFrom: binding.receivedFrom,
                userAgent: binding.userAgent)
        }
    }
}

/// A contact registered with the embedded IMS core, as the admin API lists it.
public struct IMSRegistrationSummary: Sendable, Codable, Equatable {
    public var publicIdentity: String
    public var privateIdentity: String
    public var contact: String
    public var scscf: String
    /// Seconds since 1970.
    public var expiresAt: Int
    public var registeredAt: Int
    public var receivedFrom: String?
    public var userAgent: String?
}
