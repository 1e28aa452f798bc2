/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
///
/// The condition is asked once more after the deadline, so a test task that was kept from running past the
/// deadline (the whole suite shares two cooperative threads on a two-core machine) still sees what happened
/// meanwhile instead of failing on a wait it never got to make.
public func eventually(
    _ timeout: Duration = .seconds(3), _ condition: @Sendable () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
