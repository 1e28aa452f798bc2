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
}
