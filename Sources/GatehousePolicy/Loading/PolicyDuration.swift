/// Durations written as in the policy file (`500ms`, `30s`, `10m`, `2h`), for other inputs that take the same form
/// (the admin API's blocks, the CLI).
public enum PolicyDuration {
    /// The duration `text` writes, or nil when it is not one.
    public static func parse(_ text: String) -> Duration? {
        YAMLReader.parseDuration(text)
    }
}
