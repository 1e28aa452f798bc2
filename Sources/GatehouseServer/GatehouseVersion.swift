/// The version of this build, shown by `gatehouse version`, in `Server`/`User-Agent` headers and in logs.
public enum GatehouseVersion {
    public static let current = "0.1.0"

    /// The product token written in `Server` and `User-Agent` headers.
    public static var productToken: String { "Gatehouse/\(current)" }
}
