import Border
import CSCF
import GatehousePolicy
import IMSInterfaces

/// The embedded core's policy settings (`ims.hss: embedded`) as each function's configuration.
struct IMSCoreSettings {
    struct Server {
        var configuration: ServingCSCF.Configuration
        var capabilities: Set<Int>

        var entry: InterrogatingCSCF.ServerEntry {
            InterrogatingCSCF.ServerEntry(name: configuration.serverName, capabilities: capabilities)
        }
    }

    var proxy: ProxyCSCF.Configuration
    var servers: [Server]
    var regEvent: RegEventNotifier.Configuration
    var failures: AuthenticationFailureTracker.Configuration

    init(domain: String, embedded: EmbeddedIMSSettings) {
        proxy = ProxyCSCF.Configuration(uri: embedded.pcscf.description, visitedNetworkID: nil, domain: domain)
        let registration = embedded.registration
        servers = embedded.scscfs.map { server in
            Server(
                configuration: ServingCSCF.Configuration(
                    serverName: server.name.description, realm: domain,
                    minExpires: Self.seconds(registration.minimumExpires),
                    maxExpires: Self.seconds(registration.maximumExpires),
                    defaultExpires: Self.seconds(registration.defaultExpires),
                    challengeLifetime: Self.seconds(embedded.authentication.challengeLifetime)),
                capabilities: Set(server.capabilities))
        }
        let subscriptions = embedded.regEvent
        regEvent = RegEventNotifier.Configuration(
            contactURI: embedded.scscfs.first?.name.description ?? "sip:scscf.\(domain)",
            minExpires: UInt32(clamping: Self.seconds(subscriptions.minimumExpires)),
            defaultExpires: UInt32(clamping: Self.seconds(subscriptions.defaultExpires)),
            maxExpires: UInt32(clamping: Self.seconds(subscriptions.maximumExpires)))
        let failures = embedded.authentication.failures
        self.failures = AuthenticationFailureTracker.Configuration(
            maximum: failures.maximum, window: failures.window, blockDuration: failures.blockDuration)
    }

    static func seconds(_ duration: Duration) -> Int { Int(duration.components.seconds) }
}
