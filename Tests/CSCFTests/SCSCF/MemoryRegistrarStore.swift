import IMSInterfaces
import Synchronization

/// A RegistrarStore in memory, as the HSS's database keeps bindings: rows by public identity.
final class MemoryRegistrarStore: RegistrarStore {
    struct Failing: Error {}

    let rows = Mutex<[PublicIdentity: [ContactBinding]]>([:])
    let failing = Mutex(false)

    func loadBindings() throws -> [ContactBinding] {
        rows.withLock { rows in rows.keys.sorted().flatMap { rows[$0] ?? [] } }
    }

    func replaceBindings(of identity: PublicIdentity, with bindings: [ContactBinding]) throws {
        if failing.withLock({ $0 }) { throw Failing() }
        rows.withLock { $0[identity] = bindings.isEmpty ? nil : bindings }
    }

    var snapshot: [PublicIdentity: [ContactBinding]] { rows.withLock { $0 } }
}
