import GatehouseServer

extension GatehouseNode {
    /// Starts the node, runs `body`, then stops the node and waits for its listeners to close, so that the next
    /// test can bind the same addresses (a stop left to a detached task races the next test's start).
    func serving<T>(_ body: (Running) async throws -> T) async throws -> T {
        let running = try await start()
        do {
            let result = try await body(running)
            await stop(running)
            return result
        } catch {
            await stop(running)
            throw error
        }
    }
}
